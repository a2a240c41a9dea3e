using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.School;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Timetable;

/// <summary>
/// Plans the daily lesson reminders into the outbox: one message per recipient per school day with that day's planned
/// lessons in order (time, subject, teacher or substitute, room or link, the lesson's materials). Recipients: every
/// active student of a group with lessons that day, every parent for each child they follow (one message per child),
/// and every teacher who teaches that day (the substitute when one is set) with their own plan across groups.
/// </summary>
/// <remarks>
/// Set-based whatever the number of people: one SELECT of the recipients that are due and not yet planned, one SELECT
/// of the lessons (with materials) of today and tomorrow, one INSERT into the outbox. The texts are rendered here, per
/// recipient's language, once per group (or teacher), day and language.
/// A person's reminder is due once their local time has passed (their own <c>send_at</c> or the school's default) on
/// the lesson day; for people who want it the evening before, once the evening time has passed on the day before, or
/// at any time on the lesson day if that evening was missed. Only today's and tomorrow's lessons are ever looked at, so
/// a host that was down at the planned time still sends today's reminders when it starts later that day, and never
/// yesterday's. Every row has the key <c>daily:{person}:{child or 0}:{yyyy-MM-dd}</c>, inserted with ON CONFLICT DO
/// NOTHING: a run that repeats (Hangfire is at-least-once, several instances may run) plans nothing twice.
/// </remarks>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)] // the next run catches up
public sealed partial class DailyRemindersJob(NpgsqlDataSource dataSource, IOptions<TimetableOptions> options, IOptions<SchoolOptions> school,
    OutboxSignal signal, SchoolClock clock, ILogger<DailyRemindersJob> logger)
{
    /// <summary>SQL statements one run issues, whatever the number of people (for the benchmark's report).</summary>
    public const int Statements = 3;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.ToSettings();
        var zone = school.Value.TimeZoneInfo;
        var local = SchoolTime.Local(clock.Now, zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        var tomorrow = today.AddDays(1);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        var recipients = new List<Recipient>();
        await using (var command = new NpgsqlCommand(
            """
            WITH lesson_groups AS (
                SELECT DISTINCT group_id, day FROM lessons
                WHERE day IN (@today, @tomorrow) AND status = 'planned'
            ), lesson_teachers AS (
                SELECT DISTINCT coalesce(substitute_id, teacher_id) AS teacher_id, day FROM lessons
                WHERE day IN (@today, @tomorrow) AND status = 'planned' AND coalesce(substitute_id, teacher_id) IS NOT NULL
            ), wanted AS (
                SELECT p.id AS person_id, 0::bigint AS child_id, 's' AS kind, lg.day, lg.group_id AS bucket
                FROM lesson_groups lg
                JOIN persons p ON p.group_id = lg.group_id AND p.role = 'student' AND p.status = 'active'
                UNION ALL
                SELECT pl.parent_id, c.id, 'p', lg.day, lg.group_id
                FROM lesson_groups lg
                JOIN persons c ON c.group_id = lg.group_id AND c.role = 'student' AND c.status = 'active'
                JOIN parent_links pl ON pl.child_id = c.id AND pl.follows
                UNION ALL
                SELECT lt.teacher_id, 0, 't', lt.day, lt.teacher_id
                FROM lesson_teachers lt
            ), due AS (
                SELECT w.*, 'daily:' || w.person_id || ':' || w.child_id || ':' || to_char(w.day, 'YYYY-MM-DD') AS key
                FROM wanted w
                LEFT JOIN reminder_settings rs ON rs.person_id = w.person_id
                WHERE coalesce(rs.enabled, true)
                  AND CASE WHEN coalesce(rs.evening_before, false)
                           THEN w.day = @today OR @time >= @evening
                           ELSE w.day = @today AND @time >= coalesce(rs.send_at, @default)
                      END
            )
            SELECT d.key, d.person_id, d.kind, d.day, d.bucket, a.channel, a.chat_id, p.language, coalesce(c.full_name, '')
            FROM due d
            JOIN persons p ON p.id = d.person_id AND p.status = 'active'
            JOIN LATERAL (
                SELECT ac.channel, ac.chat_id FROM accounts ac
                WHERE ac.person_id = d.person_id AND ac.reachable
                ORDER BY ac.preferred DESC, ac.created_at
                LIMIT 1
            ) a ON true
            LEFT JOIN persons c ON c.id = d.child_id
            WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = d.key)
            """, connection))
        {
            command.Parameters.AddWithValue("today", today);
            command.Parameters.AddWithValue("tomorrow", tomorrow);
            command.Parameters.AddWithValue("time", TimeOnly.FromDateTime(local.DateTime));
            command.Parameters.AddWithValue("default", settings.ReminderTime);
            command.Parameters.AddWithValue("evening", settings.EveningBeforeTime);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recipients.Add(new Recipient(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)[0], reader.GetFieldValue<DateOnly>(3),
                    reader.GetInt64(4), reader.GetString(5), reader.GetString(6), PlannedMessages.ReadLanguage(reader, 7), reader.GetString(8)));
            }
        }
        if (recipients.Count == 0)
        {
            return 0;
        }

        // The lessons of the two days, each filed under its group and under the teacher who teaches it.
        var byGroup = new Dictionary<(long, DateOnly), List<Lesson>>();
        var byTeacher = new Dictionary<(long, DateOnly), List<Lesson>>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT l.group_id, coalesce(l.substitute_id, l.teacher_id), l.day, l.starts_at, l.ends_at, s.name, g.name,
                   coalesce(coalesce(sp.full_name, tp.full_name), ''), l.substitute_id IS NOT NULL, l.room, l.link, m.titles, m.urls
            FROM lessons l
            JOIN subjects s ON s.id = l.subject_id
            JOIN school_groups g ON g.id = l.group_id
            LEFT JOIN persons tp ON tp.id = l.teacher_id
            LEFT JOIN persons sp ON sp.id = l.substitute_id
            LEFT JOIN LATERAL (
                SELECT array_agg(mt.title ORDER BY mt.created_at, mt.id) AS titles, array_agg(mt.url ORDER BY mt.created_at, mt.id) AS urls
                FROM material_groups mg
                JOIN materials mt ON mt.id = mg.material_id
                WHERE mg.group_id = l.group_id AND mt.subject_id = l.subject_id AND mt.lesson_on = l.day
            ) m ON true
            WHERE l.day IN (@today, @tomorrow) AND l.status = 'planned'
            ORDER BY l.starts_at, l.id
            """, connection))
        {
            command.Parameters.AddWithValue("today", today);
            command.Parameters.AddWithValue("tomorrow", tomorrow);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var lesson = new Lesson(
                    SchoolTime.Local(reader.GetFieldValue<DateTimeOffset>(3), zone), SchoolTime.Local(reader.GetFieldValue<DateTimeOffset>(4), zone),
                    reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetBoolean(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                    reader.IsDBNull(11) ? [] : reader.GetFieldValue<string[]>(11), reader.IsDBNull(12) ? [] : reader.GetFieldValue<string[]>(12));
                var day = reader.GetFieldValue<DateOnly>(2);
                Add(byGroup, (reader.GetInt64(0), day), lesson);
                if (!reader.IsDBNull(1))
                {
                    Add(byTeacher, (reader.GetInt64(1), day), lesson);
                }
            }
        }

        var blocks = new Dictionary<(char, long, DateOnly, Language), IReadOnlyList<string>>();
        var planned = new List<PlannedMessage>(recipients.Count);
        foreach (var r in recipients)
        {
            var teacher = r.Kind == 't';
            if (!(teacher ? byTeacher : byGroup).TryGetValue((r.Bucket, r.Day), out var lessons))
            {
                continue; // changed between the two reads: the next run sees it as it is now
            }
            var t = TextCatalog.For(r.Language);
            var blockKey = (teacher ? 't' : 'g', r.Bucket, r.Day, r.Language);
            if (!blocks.TryGetValue(blockKey, out var block))
            {
                block = lessons.Select(l => Entry(t, l, teacher)).ToList();
                blocks[blockKey] = block;
            }
            var text = r.Kind switch
            {
                't' => t.TeacherDayPlan(r.Day, block),
                'p' => t.DailyLessonsForChild(r.ChildName, r.Day, block),
                _ => t.DailyLessons(r.Day, block),
            };
            planned.Add(new PlannedMessage(r.Key, r.Channel, r.ChatId, r.PersonId, text));
        }
        var added = await PlannedMessages.InsertAsync(connection, planned, cancellationToken);
        if (added > 0)
        {
            signal.Committed();
            LogPlanned(logger, added, today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        return added;
    }

    private static string Entry(ITexts t, Lesson l, bool forTeacher)
    {
        var time = l.Start.ToString("HH:mm", CultureInfo.InvariantCulture) + "–" + l.End.ToString("HH:mm", CultureInfo.InvariantCulture);
        var who = forTeacher ? l.Group : t.LessonTeacher(l.Teacher, l.Substitute);
        var place = l.Link is not null ? t.PlaceOnline(l.Link) : l.Room is not null ? t.PlaceRoom(l.Room) : null;
        var materials = l.MaterialTitles.Select((title, i) => t.LessonMaterial(title, l.MaterialUrls[i])).ToList();
        return t.LessonEntry(time, l.Subject, who, place, materials);
    }

    private static void Add(Dictionary<(long, DateOnly), List<Lesson>> map, (long, DateOnly) key, Lesson lesson)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(lesson);
    }

    /// <summary>Kind: s = student, p = parent (for <see cref="ChildName"/>), t = teacher. Bucket: the group, or the teacher.</summary>
    private sealed record Recipient(string Key, long PersonId, char Kind, DateOnly Day, long Bucket, string Channel, string ChatId,
        Language Language, string ChildName);

    private sealed record Lesson(DateTimeOffset Start, DateTimeOffset End, string Subject, string Group, string Teacher, bool Substitute,
        string? Room, string? Link, string[] MaterialTitles, string[] MaterialUrls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Count} daily lesson reminders on {Day}")]
    private static partial void LogPlanned(ILogger logger, int count, string day);
}
