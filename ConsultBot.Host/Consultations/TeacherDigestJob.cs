using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.School;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Consultations;

/// <summary>
/// The evening digest: every teacher with open slots tomorrow (the school's local date) gets one message listing
/// them: when, what, where, who is booked (with group and topic) and how many wait; empty slots too. Keyed by teacher
/// and date, so a repeated run sends nothing twice.
/// </summary>
public sealed partial class TeacherDigestJob(NpgsqlDataSource dataSource, IOptions<SchoolOptions> school, OutboxSignal signal,
    SchoolClock clock, ILogger<TeacherDigestJob> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var zone = school.Value.TimeZoneInfo;
        var tomorrow = SchoolTime.Today(clock.Now, zone).AddDays(1);
        var day = tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var digests = new List<Digest>();
        await using (var command = new NpgsqlCommand(
            $"""
            SELECT s.teacher_id, a.channel, a.chat_id, t.language, {PlannedMessages.SlotColumns}, st.names, st.groups, st.topics
            FROM consultation_slots s
            JOIN persons t ON t.id = s.teacher_id AND t.status = 'active'
            JOIN LATERAL (
                SELECT ac.channel, ac.chat_id FROM accounts ac
                WHERE ac.person_id = s.teacher_id AND ac.reachable
                ORDER BY ac.preferred DESC, ac.created_at
                LIMIT 1
            ) a ON true
            LEFT JOIN subjects sub ON sub.id = s.subject_id
            LEFT JOIN LATERAL ({PlannedMessages.StudentArrays}) st ON true
            WHERE s.status = 'open' AND s.starts_at >= @from AND s.starts_at < @to
              AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'digest:' || s.teacher_id || ':' || @day)
            ORDER BY s.teacher_id, s.starts_at
            """, connection))
        {
            command.Parameters.AddWithValue("from", SchoolTime.StartOfDay(tomorrow, zone).ToUniversalTime());
            command.Parameters.AddWithValue("to", SchoolTime.StartOfDay(tomorrow.AddDays(1), zone).ToUniversalTime());
            command.Parameters.AddWithValue("day", day);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var teacher = reader.GetInt64(0);
                if (digests.Count == 0 || digests[^1].Teacher != teacher)
                {
                    digests.Add(new Digest(teacher, reader.GetString(1), reader.GetString(2), TextCatalog.For(PlannedMessages.ReadLanguage(reader, 3))));
                }
                var digest = digests[^1];
                var slot = PlannedMessages.ReadSlot(reader, 4);
                var t = digest.Texts;
                digest.Entries.Add(t.DigestEntry(ConsultationFormat.When(t, slot, zone), ConsultationFormat.What(t, slot), ConsultationFormat.Place(t, slot),
                    PlannedMessages.ReadStudents(reader, 4 + PlannedMessages.SlotColumnCount), slot.Waiting));
            }
        }
        var planned = digests
            .Select(d => new PlannedMessage($"digest:{d.Teacher.ToString(CultureInfo.InvariantCulture)}:{day}", d.Channel, d.ChatId, d.Teacher,
                d.Texts.TeacherDigest(d.Texts.DigestDate(tomorrow), d.Entries)))
            .ToList();
        var added = await PlannedMessages.InsertAsync(connection, planned, cancellationToken);
        if (added > 0)
        {
            signal.Committed();
        }
        LogPlanned(logger, added, day);
    }

    private sealed record Digest(long Teacher, string Channel, string ChatId, ITexts Texts)
    {
        public List<string> Entries { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Count} teacher digests for {Day}")]
    private static partial void LogPlanned(ILogger logger, int count, string day);
}
