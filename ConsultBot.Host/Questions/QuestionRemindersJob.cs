using System.Globalization;
using System.Text.Json;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Questions;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.School;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Questions;

/// <summary>
/// Once a day every active teacher (or administrator who teaches) with questions waiting longer than
/// <see cref="QuestionsOptions.ReminderAfterHours"/> — addressed to them, or unassigned in a subject they teach — gets
/// one message: how many, since when the oldest waits, and a button to the inbox. One query finds them all and one
/// insert plans the messages, keyed by teacher and school-local date, so a second run the same day plans nothing.
/// A reminder already planned for a later day (the school clock jumped back across midnight, up to a week) counts
/// too, so the teacher is not reminded twice.
/// </summary>
public sealed partial class QuestionRemindersJob(NpgsqlDataSource dataSource, IOptions<SchoolOptions> school, IOptions<QuestionsOptions> options,
    OutboxSignal signal, SchoolClock clock, ILogger<QuestionRemindersJob> logger)
{
    private const string FindSql =
        $"""
        WITH staff AS (
            SELECT p.id, p.language FROM persons p WHERE p.status = 'active' AND p.role IN ('teacher', 'admin')
        ), waiting AS (
            SELECT s.id AS teacher_id, count(*)::int AS n, min(q.waiting_since) AS oldest
            FROM staff s
            JOIN questions q ON q.status = 'open' AND q.waiting_since <= @before
             AND (q.teacher_id = s.id
                  OR (q.teacher_id IS NULL AND q.subject_id IN (SELECT r.subject_id FROM {PgQuestionRepository.Readers} r WHERE r.teacher_id = s.id)))
            GROUP BY s.id
        )
        SELECT w.teacher_id, a.channel, a.chat_id, s.language, w.n, w.oldest
        FROM waiting w
        JOIN staff s ON s.id = w.teacher_id
        JOIN LATERAL (
            SELECT ac.channel, ac.chat_id FROM accounts ac
            WHERE ac.person_id = w.teacher_id AND ac.reachable
            ORDER BY ac.preferred DESC, ac.created_at
            LIMIT 1
        ) a ON true
        WHERE NOT EXISTS (
            SELECT 1 FROM outbox o
            WHERE o.dedupe_key IN (SELECT 'questions:' || w.teacher_id || ':' || to_char(d, 'YYYY-MM-DD')
                                   FROM generate_series(@day::date, @day::date + 7, interval '1 day') d))
        ORDER BY w.teacher_id
        """;

    private const string InsertSql =
        """
        INSERT INTO outbox (channel, chat_id, person_id, body, dedupe_key, correlation_id)
        SELECT *, @correlation::text FROM unnest(@channels, @chats, @persons, @bodies::jsonb[], @keys)
        ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
        """;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var zone = school.Value.TimeZoneInfo;
        var now = clock.Now;
        var day = SchoolTime.Today(now, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var channels = new List<string>();
        var chats = new List<string>();
        var persons = new List<long>();
        var bodies = new List<string>();
        var keys = new List<string>();
        await using (var find = new NpgsqlCommand(FindSql, connection))
        {
            find.Parameters.AddWithValue("before", now.AddHours(-options.Value.ReminderAfterHours));
            find.Parameters.AddWithValue("day", day);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var teacher = reader.GetInt64(0);
                var t = TextCatalog.For(LanguageCodes.Parse(reader.GetString(3)));
                var oldest = t.QuestionTime(SchoolTime.Local(reader.GetFieldValue<DateTimeOffset>(5), zone));
                var body = new MessageBody(t.UnansweredReminder(reader.GetInt32(4), oldest), Keyboard.Of([QuestionButtons.Inbox(t)]));
                channels.Add(reader.GetString(1));
                chats.Add(reader.GetString(2));
                persons.Add(teacher);
                bodies.Add(JsonSerializer.Serialize(body, HostJsonAccess.Options));
                keys.Add($"questions:{teacher.ToString(CultureInfo.InvariantCulture)}:{day}");
            }
        }
        var added = 0;
        if (keys.Count > 0)
        {
            await using var insert = new NpgsqlCommand(InsertSql, connection);
            insert.Parameters.Add(new NpgsqlParameter("channels", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = channels.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("chats", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chats.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("persons", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = persons.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = bodies.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("correlation", NpgsqlDbType.Text) { Value = (object?)Operations.Correlation.Current ?? DBNull.Value });
            added = await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        if (added > 0)
        {
            signal.Committed();
        }
        LogPlanned(logger, added, day);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Count} reminders of unanswered questions for {Day}")]
    private static partial void LogPlanned(ILogger logger, int count, string day);
}
