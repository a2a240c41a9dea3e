using ConsultBot.Domain.People;
using ConsultBot.Domain.Timetable;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>Daily-reminder settings on PostgreSQL, inside the caller's transaction.</summary>
public sealed class PgReminderSettingsRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IReminderSettingsRepository
{
    public async Task<ReminderChoice> GetAsync(PersonId person, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT enabled, send_at, evening_before FROM reminder_settings WHERE person_id = @person", connection, transaction);
        command.Parameters.AddWithValue("person", person.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return ReminderChoice.Default;
        }
        return new ReminderChoice(reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<TimeOnly>(1), reader.GetBoolean(2));
    }

    public async Task SaveAsync(PersonId person, ReminderChoice choice, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO reminder_settings (person_id, enabled, send_at, evening_before) VALUES (@person, @enabled, @at, @evening)
            ON CONFLICT (person_id) DO UPDATE
            SET enabled = excluded.enabled, send_at = excluded.send_at, evening_before = excluded.evening_before, updated_at = now();
            -- Reminders turned off: the ones already planned and not yet on their way are dropped with the choice. Without
            -- this a reminder planned before the change was still sent (the planner only looks at the setting when planning).
            DELETE FROM outbox
            WHERE NOT @enabled AND person_id = @person AND status = 'pending' AND dedupe_key LIKE 'daily:' || @person || ':%'
            """, connection, transaction);
        command.Parameters.AddWithValue("person", person.Value);
        command.Parameters.AddWithValue("enabled", choice.Enabled);
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlTypes.NpgsqlDbType.Time) { Value = choice.SendAt is { } at ? at : DBNull.Value });
        command.Parameters.AddWithValue("evening", choice.EveningBefore);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FollowedChild>> ChildrenAsync(PersonId parent, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT l.child_id, coalesce(p.full_name, ''), l.follows
            FROM parent_links l JOIN persons p ON p.id = l.child_id
            WHERE l.parent_id = @parent AND p.status <> 'forgotten'
            ORDER BY p.full_name, p.id
            """, connection, transaction);
        command.Parameters.AddWithValue("parent", parent.Value);
        var children = new List<FollowedChild>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            children.Add(new FollowedChild(new PersonId(reader.GetInt64(0)), reader.GetString(1), reader.GetBoolean(2)));
        }
        return children;
    }

    public async Task<bool> SetFollowsAsync(PersonId parent, PersonId child, bool follows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            WITH link AS (
                UPDATE parent_links SET follows = @follows WHERE parent_id = @parent AND child_id = @child RETURNING 1
            ), dropped AS (
                -- A child no longer followed: their reminders already planned for this parent and not yet sent are dropped.
                DELETE FROM outbox
                WHERE NOT @follows AND EXISTS (SELECT 1 FROM link) AND person_id = @parent AND status = 'pending'
                  AND dedupe_key LIKE 'daily:' || @parent || ':' || @child || ':%'
            )
            SELECT count(*) FROM link
            """, connection, transaction);
        command.Parameters.AddWithValue("parent", parent.Value);
        command.Parameters.AddWithValue("child", child.Value);
        command.Parameters.AddWithValue("follows", follows);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }
}
