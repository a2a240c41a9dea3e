using ConsultBot.Domain.Timetable;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Persistence;

/// <summary>
/// The timetable import and holidays. The import is set-based: the file's lessons travel as arrays and are unnested in
/// three statements (remove what the file no longer has, change what differs, add what is new) inside a savepoint, so an
/// overlap with a lesson kept in the database (added or moved by hand) leaves the caller's transaction usable and nothing stored.
/// </summary>
public sealed partial class PgTimetableRepository
{
    private const string FileLessons =
        """
        unnest(@group::bigint[], @day::date[], @start::timestamptz[], @end::timestamptz[], @subject::bigint[], @teacher::bigint[],
               @room::text[], @link::text[], @source::text[])
            AS f(group_id, day, starts_at, ends_at, subject_id, teacher_id, room, link, source)
        """;

    // Imported lessons of the file's classes from today on that the file no longer places are deleted (not cancelled):
    // nobody changed them by hand, so they are just the old timetable. Lessons changed by hand or added in the chat stay.
    private const string RemoveSql =
        """
        DELETE FROM lessons l
        WHERE l.group_id = ANY(@groups) AND l.day >= @today AND l.source IN ('weekly', 'once') AND NOT l.changed_by_hand
          AND NOT EXISTS (SELECT 1 FROM unnest(@group::bigint[], @start::timestamptz[]) AS f(group_id, starts_at)
                          WHERE f.group_id = l.group_id AND f.starts_at = l.origin_starts_at)
        """;

    private const string ChangeSql =
        "UPDATE lessons l SET day = f.day, starts_at = f.starts_at, ends_at = f.ends_at, subject_id = f.subject_id, teacher_id = f.teacher_id,"
        + " room = f.room, link = f.link, source = f.source, status = 'planned', change_note = NULL, updated_at = now() FROM " + FileLessons
        + """

        WHERE l.group_id = f.group_id AND l.origin_starts_at = f.starts_at AND NOT l.changed_by_hand AND l.source <> 'manual'
          AND (l.day, l.starts_at, l.ends_at, l.subject_id, l.teacher_id, l.room, l.link, l.source, l.status)
              IS DISTINCT FROM (f.day, f.starts_at, f.ends_at, f.subject_id, f.teacher_id, f.room, f.link, f.source, 'planned')
        """;

    private const string AddSql =
        "INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id, room, link, source)"
        + " SELECT f.group_id, f.day, f.starts_at, f.ends_at, f.starts_at, f.subject_id, f.teacher_id, f.room, f.link, f.source FROM "
        + FileLessons + " ON CONFLICT (group_id, origin_starts_at) DO NOTHING";

    // Which file lessons overlap a planned lesson the import keeps (by hand, from the chat, or in the past).
    private const string OverlapsSql =
        """
        SELECT DISTINCT f.line
        FROM unnest(@line::int[], @group::bigint[], @start::timestamptz[], @end::timestamptz[]) AS f(line, group_id, starts_at, ends_at)
        JOIN lessons l ON l.group_id = f.group_id AND l.status = 'planned' AND l.origin_starts_at <> f.starts_at
                      AND tstzrange(l.starts_at, l.ends_at) && tstzrange(f.starts_at, f.ends_at)
                      AND (l.changed_by_hand OR l.source = 'manual' OR l.day < @today)
        ORDER BY f.line
        """;

    public async Task<TimetableImportResult> ImportAsync(TimetablePlan plan, CancellationToken cancellationToken)
    {
        var classes = await ResolveClassesAsync(plan.Rows.Select(r => r.Class), cancellationToken);
        var teachers = await ResolveTeachersAsync(plan.Rows.Where(r => r.Teacher is not null).Select(r => r.Teacher!), cancellationToken);
        var errors = new List<TimetableError>();
        foreach (var row in plan.Rows)
        {
            if (!classes.ContainsKey(row.Class))
            {
                errors.Add(new TimetableError(row.Line, TimetableErrorKind.UnknownClass, row.Class));
            }
            if (row.Teacher is { } teacher && teachers.GetValueOrDefault(teacher) is var (count, _) && count != 1)
            {
                errors.Add(new TimetableError(row.Line, count == 0 ? TimetableErrorKind.UnknownTeacher : TimetableErrorKind.AmbiguousTeacher, teacher));
            }
        }
        if (errors.Count > 0)
        {
            return TimetableImportResult.Failed(errors);
        }

        await ExecuteAsync("SAVEPOINT timetable_import", cancellationToken);
        try
        {
            var subjects = await AddSubjectsAsync(plan.Lessons.Select(l => l.Subject), cancellationToken);
            var lessons = plan.Lessons;
            await using var batch = new NpgsqlBatch(Connection, Transaction);
            var remove = new NpgsqlBatchCommand(RemoveSql);
            remove.Parameters.AddWithValue("groups", classes.Values.Distinct().ToArray());
            remove.Parameters.AddWithValue("today", plan.Today);
            AddKeys(remove, lessons, classes);
            var change = new NpgsqlBatchCommand(ChangeSql);
            AddLessons(change, lessons, classes, subjects, teachers);
            var add = new NpgsqlBatchCommand(AddSql);
            AddLessons(add, lessons, classes, subjects, teachers);
            batch.BatchCommands.Add(remove);
            batch.BatchCommands.Add(change);
            batch.BatchCommands.Add(add);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT timetable_import"));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            var removed = remove.RecordsAffected;
            var changed = change.RecordsAffected;
            var added = add.RecordsAffected;
            return TimetableImportResult.Stored(new ImportCounts(added, changed, removed, lessons.Count - added - changed));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            await ExecuteAsync("ROLLBACK TO SAVEPOINT timetable_import; RELEASE SAVEPOINT timetable_import", cancellationToken);
            return TimetableImportResult.Failed(await OverlappingLinesAsync(plan, classes, cancellationToken));
        }
    }

    public async Task<IReadOnlySet<DateOnly>> HolidayDaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT day FROM holidays WHERE day BETWEEN @from AND @to", Connection, Transaction);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var days = new HashSet<DateOnly>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(reader.GetFieldValue<DateOnly>(0));
        }
        return days;
    }

    public async Task<IReadOnlyList<Holiday>> HolidaysAsync(DateOnly from, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT day, name FROM holidays WHERE day >= @from ORDER BY day LIMIT 400", Connection, Transaction);
        command.Parameters.AddWithValue("from", from);
        var holidays = new List<Holiday>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            holidays.Add(new Holiday(reader.GetFieldValue<DateOnly>(0), reader.GetString(1)));
        }
        return holidays;
    }

    public async Task<HolidayAdded> AddHolidaysAsync(DateOnly from, DateOnly to, string name, CancellationToken cancellationToken)
    {
        // Only weekly lessons nobody changed by hand are cancelled: a dated lesson or a hand-made one was put there on purpose.
        await using var command = new NpgsqlCommand(
            """
            WITH added AS (
                INSERT INTO holidays (day, name)
                SELECT d::date, @name FROM generate_series(@from::date, @to::date, interval '1 day') AS d
                ON CONFLICT (day) DO UPDATE SET name = EXCLUDED.name
                RETURNING day
            ), cancelled AS (
                UPDATE lessons SET status = 'cancelled', change_note = @note, updated_at = now()
                WHERE day BETWEEN @from AND @to AND status = 'planned' AND source = 'weekly' AND NOT changed_by_hand
                RETURNING id, group_id
            )
            SELECT (SELECT count(*) FROM added)::int, (SELECT count(*) FROM cancelled)::int,
                   (SELECT coalesce(array_agg(DISTINCT group_id), '{}') FROM cancelled)
            """, Connection, Transaction);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = name.Length > 0 ? name : DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new HolidayAdded(reader.GetInt32(0), reader.GetInt32(1))
        {
            Groups = [.. reader.GetFieldValue<long[]>(2).Select(id => new Domain.People.GroupId(id))],
        };
    }

    public async Task<int> RemoveHolidaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM holidays WHERE day BETWEEN @from AND @to", Connection, Transaction);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Active classes by the names the file uses (any letter case).</summary>
    private async Task<Dictionary<string, long>> ResolveClassesAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT n, g.id FROM unnest(@names::text[]) AS n JOIN school_groups g ON lower(g.name) = lower(n) AND NOT g.archived",
            Connection, Transaction);
        command.Parameters.AddWithValue("names", names.Distinct().ToArray());
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = reader.GetInt64(1);
        }
        return found;
    }

    /// <summary>Active teachers (and administrators) by full name: how many carry each name, and one of their ids.</summary>
    private async Task<Dictionary<string, (int Count, long? Id)>> ResolveTeachersAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT n, count(p.id)::int, min(p.id)
            FROM unnest(@names::text[]) AS n
            LEFT JOIN persons p ON lower(p.full_name) = lower(n) AND p.role IN ('teacher', 'admin') AND p.status = 'active'
            GROUP BY n
            """, Connection, Transaction);
        command.Parameters.AddWithValue("names", names.Distinct().ToArray());
        var found = new Dictionary<string, (int, long?)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = (reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
        }
        return found;
    }

    /// <summary>Subjects by the names the file uses, the missing ones added (the first spelling wins).</summary>
    private async Task<Dictionary<string, long>> AddSubjectsAsync(IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var distinct = names.Distinct().ToArray();
        await using var batch = new NpgsqlBatch(Connection, Transaction);
        var add = new NpgsqlBatchCommand(
            """
            INSERT INTO subjects (name)
            SELECT DISTINCT ON (lower(n)) n FROM unnest(@names::text[]) WITH ORDINALITY AS u(n, i) ORDER BY lower(n), i
            ON CONFLICT (lower(name)) DO NOTHING
            """);
        add.Parameters.AddWithValue("names", distinct);
        var read = new NpgsqlBatchCommand("SELECT n, s.id FROM unnest(@names::text[]) AS n JOIN subjects s ON lower(s.name) = lower(n)");
        read.Parameters.AddWithValue("names", distinct);
        batch.BatchCommands.Add(add);
        batch.BatchCommands.Add(read);
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found[reader.GetString(0)] = reader.GetInt64(1);
        }
        return found;
    }

    private async Task<IReadOnlyList<TimetableError>> OverlappingLinesAsync(TimetablePlan plan, Dictionary<string, long> classes,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(OverlapsSql, Connection, Transaction);
        command.Parameters.AddWithValue("line", plan.Lessons.Select(l => l.Line).ToArray());
        command.Parameters.AddWithValue("today", plan.Today);
        AddKeys(command.Parameters, plan.Lessons, classes);
        command.Parameters.AddWithValue("end", plan.Lessons.Select(l => l.EndsAt.ToUniversalTime()).ToArray());
        var errors = new List<TimetableError>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            errors.Add(new TimetableError(reader.GetInt32(0), TimetableErrorKind.OverlapsExisting));
        }
        return errors.Count > 0 ? errors : [new TimetableError(0, TimetableErrorKind.OverlapsExisting)];
    }

    private static void AddKeys(NpgsqlBatchCommand command, IReadOnlyList<PlannedLesson> lessons, Dictionary<string, long> classes) =>
        AddKeys(command.Parameters, lessons, classes);

    private static void AddKeys(NpgsqlParameterCollection parameters, IReadOnlyList<PlannedLesson> lessons, Dictionary<string, long> classes)
    {
        parameters.AddWithValue("group", lessons.Select(l => classes[l.Class]).ToArray());
        parameters.AddWithValue("start", lessons.Select(l => l.StartsAt.ToUniversalTime()).ToArray());
    }

    private static void AddLessons(NpgsqlBatchCommand command, IReadOnlyList<PlannedLesson> lessons, Dictionary<string, long> classes,
        Dictionary<string, long> subjects, Dictionary<string, (int Count, long? Id)> teachers)
    {
        AddKeys(command, lessons, classes);
        var p = command.Parameters;
        p.AddWithValue("day", lessons.Select(l => l.Day).ToArray());
        p.AddWithValue("end", lessons.Select(l => l.EndsAt.ToUniversalTime()).ToArray());
        p.AddWithValue("subject", lessons.Select(l => subjects[l.Subject]).ToArray());
        p.AddWithValue("teacher", lessons.Select(l => l.Teacher is { } t ? teachers[t].Id : null).ToArray());
        p.AddWithValue("room", lessons.Select(l => l.Room).ToArray());
        p.AddWithValue("link", lessons.Select(l => l.Link).ToArray());
        p.AddWithValue("source", lessons.Select(l => l.Weekly ? "weekly" : "once").ToArray());
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, Connection, Transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
