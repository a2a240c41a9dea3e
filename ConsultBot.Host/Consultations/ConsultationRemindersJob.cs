using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.School;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Consultations;

/// <summary>
/// Plans consultation reminders into the outbox: to every student with an active booking, to whoever booked it for
/// them, and to the teacher (one per slot, listing who is booked), at each configured offset before the start.
/// One SELECT finds what is due and not yet planned, one INSERT plans it; every row has a key, so a run that repeats
/// (Hangfire is at-least-once, several instances may run) plans nothing twice.
/// </summary>
/// <remarks>
/// A reminder is due once its moment (start − offset) has passed and the consultation has not started, so a moment
/// missed while the host was down is still sent, late, until the start. Of several due moments only the latest is
/// sent: a host that was down a day sends "in 30 min", not yesterday's "tomorrow" as well. A booking that became
/// active after a moment (booked late, promoted from the waitlist, moved to this slot) does not get that moment's
/// reminder. Cancelled bookings and slots get none. Once a reminder went out, no earlier one (a larger offset) follows it:
/// a school clock that jumped forward over the "tomorrow" moment and then back again does not send "tomorrow" after
/// "in 1 h" (the keys of the series are looked up for every offset up to the due one).
/// </remarks>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)] // the next run, a minute later, catches up
public sealed partial class ConsultationRemindersJob(NpgsqlDataSource dataSource, IOptions<ConsultationsOptions> options,
    IOptions<SchoolOptions> school, OutboxSignal signal, SchoolClock clock, ILogger<ConsultationRemindersJob> logger)
{
    /// <summary>A reminder this late still says "in 1 h" rather than the exact time left.</summary>
    private static readonly TimeSpan OnTime = TimeSpan.FromMinutes(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var offsets = options.Value.ReminderOffsets();
        if (offsets.Count == 0)
        {
            return;
        }
        var now = clock.Now;
        var zone = school.Value.TimeZoneInfo;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var planned = new List<PlannedMessage>();
        await using (var command = new NpgsqlCommand(
            $"""
            WITH due AS (
                SELECT b.id AS booking_id, b.slot_id, b.student_id, b.booked_by,
                       (SELECT min(o) FROM unnest(@offsets) o
                        WHERE s.starts_at - make_interval(mins => o) <= @now
                          AND coalesce(b.activated_at, b.created_at) <= s.starts_at - make_interval(mins => o)) AS minutes
                FROM consultation_slots s
                JOIN consultation_bookings b ON b.slot_id = s.id AND b.status = 'active'
                WHERE s.status = 'open' AND s.starts_at > @now AND s.starts_at <= @now + make_interval(mins => @longest)
            ), wanted AS (
                SELECT 'crem:b:' || booking_id AS series, 'student' AS recipient, student_id AS person_id,
                       slot_id, minutes, NULL::bigint AS child_id
                FROM due WHERE minutes IS NOT NULL
                UNION ALL
                SELECT 'crem:bp:' || booking_id, 'booker', booked_by, slot_id, minutes, student_id
                FROM due WHERE minutes IS NOT NULL AND booked_by <> student_id
                UNION ALL
                SELECT 'crem:t:' || d.slot_id, 'teacher', s.teacher_id, d.slot_id, min(d.minutes), NULL
                FROM due d JOIN consultation_slots s ON s.id = d.slot_id
                WHERE d.minutes IS NOT NULL
                GROUP BY d.slot_id, s.teacher_id
            )
            SELECT w.series || ':' || w.minutes, w.recipient, w.person_id, a.channel, a.chat_id, p.language, w.minutes, coalesce(child.full_name, ''),
                   {PlannedMessages.SlotColumns},
                   st.names, st.groups, st.topics
            FROM wanted w
            JOIN persons p ON p.id = w.person_id AND p.status = 'active'
            JOIN LATERAL (
                SELECT ac.channel, ac.chat_id FROM accounts ac
                WHERE ac.person_id = w.person_id AND ac.reachable
                ORDER BY ac.preferred DESC, ac.created_at
                LIMIT 1
            ) a ON true
            JOIN consultation_slots s ON s.id = w.slot_id
            JOIN persons t ON t.id = s.teacher_id
            LEFT JOIN subjects sub ON sub.id = s.subject_id
            LEFT JOIN persons child ON child.id = w.child_id
            LEFT JOIN LATERAL ({PlannedMessages.StudentArrays}) st ON w.recipient = 'teacher'
            WHERE NOT EXISTS (
                SELECT 1 FROM outbox o
                WHERE o.dedupe_key IN (SELECT w.series || ':' || x FROM unnest(@offsets) x WHERE x <= w.minutes))
            """, connection))
        {
            command.Parameters.AddWithValue("offsets", offsets.ToArray());
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("longest", offsets[0]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var t = TextCatalog.For(PlannedMessages.ReadLanguage(reader, 5));
                var slot = PlannedMessages.ReadSlot(reader, 8);
                var card = ConsultationFormat.Card(t, slot, zone);
                var before = Before(slot.Start, reader.GetInt32(6), now);
                var text = reader.GetString(1) switch
                {
                    "teacher" => t.ReminderToTeacher(card, PlannedMessages.ReadStudents(reader, 8 + PlannedMessages.SlotColumnCount), before),
                    "booker" => t.ReminderToParticipant(card, before, reader.GetString(7)),
                    _ => t.ReminderToParticipant(card, before, null),
                };
                planned.Add(new PlannedMessage(reader.GetString(0), reader.GetString(3), reader.GetString(4), reader.GetInt64(2), text));
            }
        }
        var added = await PlannedMessages.InsertAsync(connection, planned, cancellationToken);
        if (added > 0)
        {
            signal.Committed();
            LogPlanned(logger, added);
        }
    }

    /// <summary>The offset when the reminder goes out on time; the time really left when it goes out late.</summary>
    internal static TimeSpan Before(DateTimeOffset start, int offsetMinutes, DateTimeOffset now)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        if (now - (start - offset) <= OnTime)
        {
            return offset;
        }
        return TimeSpan.FromMinutes(Math.Max(1, Math.Round((start - now).TotalMinutes)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Count} consultation reminders")]
    private static partial void LogPlanned(ILogger logger, int count);
}
