using ConsultBot.Domain.People;
using ConsultBot.Domain.Timetable;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>Single-lesson changes on PostgreSQL, inside the caller's transaction (times are UTC parameters).</summary>
public sealed class PgLessonRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : ILessonRepository
{
    private const string Select =
        """
        SELECT l.id, l.group_id, g.name, l.day, l.starts_at, l.ends_at, s.name, l.teacher_id, t.full_name, l.substitute_id, sub.full_name,
               l.room, l.link, l.status = 'cancelled', l.change_note
        FROM lessons l
        JOIN school_groups g ON g.id = l.group_id
        JOIN subjects s ON s.id = l.subject_id
        LEFT JOIN persons t ON t.id = l.teacher_id
        LEFT JOIN persons sub ON sub.id = l.substitute_id
        """;

    public Task<IReadOnlyList<LessonView>> OfTeacherAsync(PersonId teacher, DateTimeOffset from, DateTimeOffset to, int limit,
        CancellationToken cancellationToken) =>
        ListAsync($"{Select} WHERE (l.teacher_id = @who OR l.substitute_id = @who) AND l.ends_at > @from AND l.starts_at < @to ORDER BY l.starts_at LIMIT @limit",
            teacher.Value, from, to, limit, cancellationToken);

    public Task<IReadOnlyList<LessonView>> OfGroupAsync(GroupId group, DateTimeOffset from, DateTimeOffset to, int limit,
        CancellationToken cancellationToken) =>
        ListAsync($"{Select} WHERE l.group_id = @who AND l.ends_at > @from AND l.starts_at < @to ORDER BY l.starts_at LIMIT @limit",
            group.Value, from, to, limit, cancellationToken);

    public async Task<LessonView?> GetAsync(long lesson, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"{Select} WHERE l.id = @id", connection, transaction);
        command.Parameters.AddWithValue("id", lesson);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> CancelAsync(long lesson, string reason, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE lessons SET status = 'cancelled', change_note = @reason, changed_by_hand = true, updated_at = now()
            WHERE id = @id AND status = 'planned'
            """, connection, transaction);
        command.Parameters.AddWithValue("id", lesson);
        command.Parameters.AddWithValue("reason", reason);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<LessonMoveOutcome> MoveAsync(long lesson, DateOnly day, DateTimeOffset start, DateTimeOffset end,
        CancellationToken cancellationToken)
    {
        // A savepoint keeps the caller's transaction usable when the exclusion constraint refuses the new time.
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT move_lesson"));
        var move = new NpgsqlBatchCommand(
            """
            UPDATE lessons SET day = @day, starts_at = @start, ends_at = @end, changed_by_hand = true, updated_at = now()
            WHERE id = @id AND status = 'planned'
            """);
        move.Parameters.AddWithValue("id", lesson);
        move.Parameters.AddWithValue("day", day);
        move.Parameters.AddWithValue("start", start.ToUniversalTime());
        move.Parameters.AddWithValue("end", end.ToUniversalTime());
        batch.BatchCommands.Add(move);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT move_lesson"));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return move.RecordsAffected == 1 ? LessonMoveOutcome.Moved : LessonMoveOutcome.NotFound;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT move_lesson; RELEASE SAVEPOINT move_lesson", connection, transaction);
            await rollback.ExecuteNonQueryAsync(cancellationToken);
            return LessonMoveOutcome.OverlapsAnotherLesson;
        }
    }

    public async Task<bool> SubstituteAsync(long lesson, PersonId? substitute, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE lessons SET substitute_id = @substitute, changed_by_hand = true, updated_at = now()
            WHERE id = @id AND status = 'planned'
            """, connection, transaction);
        command.Parameters.AddWithValue("id", lesson);
        command.Parameters.AddWithValue("substitute", (object?)substitute?.Value ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<Listener>> ListenersAsync(GroupId group, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT p.id, p.language, NULL::text FROM persons p
            WHERE p.group_id = @group AND p.role = 'student' AND p.status = 'active'
            UNION ALL
            SELECT parent.id, parent.language, child.full_name
            FROM persons child
            JOIN parent_links pl ON pl.child_id = child.id AND pl.follows
            JOIN persons parent ON parent.id = pl.parent_id AND parent.status = 'active'
            WHERE child.group_id = @group AND child.role = 'student' AND child.status = 'active'
            """, connection, transaction);
        command.Parameters.AddWithValue("group", group.Value);
        var listeners = new List<Listener>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            listeners.Add(new Listener(new PersonId(reader.GetInt64(0)), LanguageCodes.Parse(reader.GetString(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return listeners;
    }

    private async Task<IReadOnlyList<LessonView>> ListAsync(string sql, long who, DateTimeOffset from, DateTimeOffset to, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("who", who);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("to", to.ToUniversalTime());
        command.Parameters.AddWithValue("limit", limit);
        var lessons = new List<LessonView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lessons.Add(Read(reader));
        }
        return lessons;
    }

    private static LessonView Read(NpgsqlDataReader r) => new(
        r.GetInt64(0),
        new GroupId(r.GetInt64(1)),
        r.GetString(2),
        r.GetFieldValue<DateOnly>(3),
        r.GetFieldValue<DateTimeOffset>(4),
        r.GetFieldValue<DateTimeOffset>(5),
        r.GetString(6),
        r.IsDBNull(7) ? null : new PersonId(r.GetInt64(7)),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.IsDBNull(9) ? null : new PersonId(r.GetInt64(9)),
        r.IsDBNull(10) ? null : r.GetString(10),
        r.IsDBNull(11) ? null : r.GetString(11),
        r.IsDBNull(12) ? null : r.GetString(12),
        r.GetBoolean(13),
        r.IsDBNull(14) ? null : r.GetString(14));
}
