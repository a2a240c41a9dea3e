using ConsultBot.Domain.Reports;
using Npgsql;

namespace ConsultBot.Host.Reports;

/// <summary>
/// The monthly activity report in one set-based statement: each figure is aggregated once for the whole month (one
/// <c>GROUP BY</c> per source table) and joined to the people, whatever their number; nothing is queried per person.
/// </summary>
/// <param name="counted">When given, the messages it counted and has not written yet are written first, so the report includes them.</param>
public sealed class PgActivityReport(NpgsqlConnection connection, NpgsqlTransaction? transaction = null, ActivityCounter? counted = null)
    : IActivityReport
{
    /// <summary>
    /// @from/@to: the month's local midnights as instants; @fromDay/@toDay: the same as school-local dates (person_activity
    /// is kept per local day); @now: consultations count as held once they started.
    /// Students: their own questions of the month (anonymous ones, to the psychologist, are left out of the asker's row, so
    /// the report cannot tell who wrote anonymously), those answered by the month's end and the median time to the first
    /// answer; bookings with a seat in consultations that start in the month and their attendance.
    /// Staff: questions of the month addressed to them or that they took, questions they first answered in the month and
    /// the median time to that answer; seats taken on their slots of the month, their slots not cancelled that started in
    /// the month before now, attendance, and materials posted. Administrators appear when they taught in the month: held consultations, were sent or answered questions, or posted materials.
    /// </summary>
    internal const string Sql =
        """
        WITH activity AS (
            SELECT person_id, count(*)::int AS days, sum(messages)::int AS messages
            FROM person_activity
            WHERE day >= @fromDay AND day < @toDay
            GROUP BY person_id
        ), asked AS (
            SELECT q.asker_id AS person_id, count(*)::int AS asked,
                   count(*) FILTER (WHERE q.first_answered_at < @to)::int AS answered,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM q.first_answered_at - q.created_at)::float8)
                       FILTER (WHERE q.first_answered_at < @to) AS median_seconds
            FROM questions q
            WHERE q.created_at >= @from AND q.created_at < @to AND NOT q.anonymous
            GROUP BY q.asker_id
        ), received AS (
            SELECT x.person_id, count(*)::int AS received
            FROM questions q
            CROSS JOIN LATERAL (SELECT q.teacher_id UNION SELECT q.answered_by) AS x (person_id)
            WHERE q.created_at >= @from AND q.created_at < @to AND x.person_id IS NOT NULL
            GROUP BY x.person_id
        ), answered AS (
            SELECT q.answered_by AS person_id, count(*)::int AS answered,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM q.first_answered_at - q.created_at)::float8) AS median_seconds
            FROM questions q
            WHERE q.first_answered_at >= @from AND q.first_answered_at < @to AND q.answered_by IS NOT NULL
            GROUP BY q.answered_by
        ), student_bookings AS (
            SELECT b.student_id AS person_id,
                   count(*) FILTER (WHERE b.status = 'active')::int AS booked,
                   count(*) FILTER (WHERE b.status = 'active' AND b.attendance IN ('present', 'late'))::int AS attended,
                   count(*) FILTER (WHERE b.status = 'active' AND b.attendance = 'absent')::int AS missed
            FROM consultation_bookings b
            JOIN consultation_slots s ON s.id = b.slot_id
            WHERE s.starts_at >= @from AND s.starts_at < @to
            GROUP BY b.student_id
        ), teacher_slots AS (
            SELECT s.teacher_id AS person_id,
                   count(DISTINCT s.id) FILTER (WHERE s.status = 'open')::int AS slots,
                   count(DISTINCT s.id) FILTER (WHERE s.status = 'open' AND s.starts_at < @now)::int AS held,
                   count(b.id) FILTER (WHERE b.status = 'active')::int AS booked,
                   count(b.id) FILTER (WHERE b.status = 'active' AND b.attendance IN ('present', 'late'))::int AS attended,
                   count(b.id) FILTER (WHERE b.status = 'active' AND b.attendance = 'absent')::int AS missed
            FROM consultation_slots s
            LEFT JOIN consultation_bookings b ON b.slot_id = s.id
            WHERE s.starts_at >= @from AND s.starts_at < @to
            GROUP BY s.teacher_id
        ), posted AS (
            SELECT m.teacher_id AS person_id, count(*)::int AS materials
            FROM materials m
            WHERE m.created_at >= @from AND m.created_at < @to AND m.teacher_id IS NOT NULL
            GROUP BY m.teacher_id
        ), people AS (
            SELECT p.id, p.role, p.status, p.full_name, (p.role = 'student') AS student,
                   CASE WHEN p.role = 'student' THEN g.name ELSE asn.name END AS unit,
                   act.days, act.messages, qa.asked, qa.answered AS asker_answered, qa.median_seconds AS asker_median,
                   qr.received, qn.answered AS staff_answered, qn.median_seconds AS staff_median,
                   sb.booked AS student_booked, sb.attended AS student_attended, sb.missed AS student_missed,
                   ts.slots, ts.held, ts.booked AS staff_booked, ts.attended AS staff_attended, ts.missed AS staff_missed,
                   mp.materials
            FROM persons p
            LEFT JOIN school_groups g ON g.id = p.group_id
            LEFT JOIN teacher_profiles tp ON tp.person_id = p.id
            LEFT JOIN associations asn ON asn.id = tp.association_id
            LEFT JOIN activity act ON act.person_id = p.id
            LEFT JOIN asked qa ON qa.person_id = p.id
            LEFT JOIN received qr ON qr.person_id = p.id
            LEFT JOIN answered qn ON qn.person_id = p.id
            LEFT JOIN student_bookings sb ON sb.person_id = p.id
            LEFT JOIN teacher_slots ts ON ts.person_id = p.id
            LEFT JOIN posted mp ON mp.person_id = p.id
            WHERE p.status <> 'registering' AND p.created_at < @to
              AND (
                   (p.role = 'student' AND (p.status = 'active' OR act.person_id IS NOT NULL OR qa.person_id IS NOT NULL
                                            OR sb.person_id IS NOT NULL))
                OR (p.role = 'teacher' AND (p.status = 'active' OR act.person_id IS NOT NULL OR qr.person_id IS NOT NULL
                                            OR qn.person_id IS NOT NULL OR ts.person_id IS NOT NULL OR mp.person_id IS NOT NULL))
                OR (p.role = 'admin' AND (ts.slots > 0 OR qr.person_id IS NOT NULL OR qn.person_id IS NOT NULL OR mp.person_id IS NOT NULL))
              )
        )
        SELECT role, status = 'forgotten', full_name, unit,
               coalesce(days, 0), coalesce(messages, 0),
               CASE WHEN student THEN coalesce(asked, 0) ELSE coalesce(received, 0) END,
               CASE WHEN student THEN coalesce(asker_answered, 0) ELSE coalesce(staff_answered, 0) END,
               CASE WHEN student THEN asker_median ELSE staff_median END,
               CASE WHEN student THEN coalesce(student_booked, 0) ELSE coalesce(staff_booked, 0) END,
               CASE WHEN student THEN NULL ELSE coalesce(held, 0) END,
               CASE WHEN student THEN coalesce(student_attended, 0) ELSE coalesce(staff_attended, 0) END,
               CASE WHEN student THEN coalesce(student_missed, 0) ELSE coalesce(staff_missed, 0) END,
               CASE WHEN student THEN NULL ELSE coalesce(materials, 0) END
        FROM people
        ORDER BY NOT student, unit IS NULL, lower(unit), full_name IS NULL, lower(full_name), id
        """;

    public async Task<IReadOnlyList<ActivityRow>> BuildAsync(ReportMonth month, TimeZoneInfo zone, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (counted is not null)
        {
            await counted.FlushAsync(cancellationToken);
        }
        var (from, to) = month.Bounds(zone);
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("fromDay", month.FirstDay);
        command.Parameters.AddWithValue("toDay", month.EndDay);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        var rows = new List<ActivityRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var forgotten = reader.GetBoolean(1);
            rows.Add(new ActivityRow(
                reader.GetString(0) switch
                {
                    "student" => ReportRole.Student,
                    "admin" => ReportRole.Admin,
                    _ => ReportRole.Teacher,
                },
                forgotten ? null : reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt32(4),
                reader.GetInt32(5),
                reader.GetInt32(6),
                reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetDouble(8) / 3600.0,
                reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetInt32(10),
                reader.GetInt32(11),
                reader.GetInt32(12),
                reader.IsDBNull(13) ? null : reader.GetInt32(13)));
        }
        return rows;
    }
}
