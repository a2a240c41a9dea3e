using ConsultBot.Domain.Announcements;
using ConsultBot.Domain.People;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Persistence;

/// <summary>
/// Announcements on PostgreSQL, inside the caller's transaction. Counting and sending share one recipient query, so the
/// preview's number is what the send delivers to; sending is one statement whatever the number of recipients: the
/// announcement and one outbox row per recipient, tagged with it. Those rows are written beside the engine's own
/// messages, so the pipeline's "wake the dispatcher after commit" covers them (the author's confirmation is always
/// among the engine's messages).
/// </summary>
public sealed class PgAnnouncementRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IAnnouncementRepository
{
    /// <summary>
    /// The audience (@audience, @group) as <c>reach</c>: every active person in it once, the author (@author) left out, with
    /// their preferred reachable account or nulls when they have none. A group is its active students and the active
    /// parents who follow them.
    /// </summary>
    private const string ReachCte =
        """
        audience AS (
            SELECT p.id FROM persons p
            WHERE p.status = 'active' AND p.id <> @author
              AND CASE @audience
                    WHEN 'students' THEN p.role = 'student'
                    WHEN 'parents' THEN p.role = 'parent'
                    WHEN 'teachers' THEN p.role IN ('teacher', 'admin')
                    WHEN 'everyone' THEN p.role IN ('student', 'parent', 'teacher', 'admin')
                    ELSE false
                  END
            UNION
            SELECT s.id FROM persons s
            WHERE @audience = 'group' AND s.role = 'student' AND s.status = 'active' AND s.group_id = @group AND s.id <> @author
            UNION
            SELECT l.parent_id
            FROM parent_links l
            JOIN persons s ON s.id = l.child_id AND s.role = 'student' AND s.status = 'active' AND s.group_id = @group
            JOIN persons parent ON parent.id = l.parent_id AND parent.status = 'active'
            WHERE @audience = 'group' AND l.follows AND l.parent_id <> @author
        ), reach AS (
            SELECT au.id, a.channel, a.chat_id
            FROM audience au
            LEFT JOIN LATERAL (
                SELECT channel, chat_id FROM accounts a
                WHERE a.person_id = au.id AND a.reachable
                ORDER BY a.preferred DESC, a.created_at
                LIMIT 1
            ) a ON true
        )
        """;

    private const string CountSql =
        $"""
        WITH {ReachCte}
        SELECT count(*) FILTER (WHERE channel IS NOT NULL)::int, count(*) FILTER (WHERE channel IS NULL)::int FROM reach
        """;

    private const string SendSql =
        $"""
        WITH {ReachCte},
        counted AS (
            SELECT count(*) FILTER (WHERE channel IS NOT NULL)::int AS reachable, count(*) FILTER (WHERE channel IS NULL)::int AS unreachable
            FROM reach
        ), stored AS (
            INSERT INTO announcements (author_id, audience, group_id, text, request_key, created_at, recipients, unreachable_at_send)
            SELECT @author, @audience, @group, @text, @key, @at, c.reachable, c.unreachable FROM counted c WHERE c.reachable > 0
            ON CONFLICT (request_key) DO NOTHING
            RETURNING id, recipients, unreachable_at_send
        ), notices AS (
            SELECT * FROM unnest(@languages::text[], @bodies::text[]) AS n (language, body)
        ), queued AS (
            INSERT INTO outbox (channel, chat_id, person_id, body, announcement_id)
            SELECT r.channel, r.chat_id, r.id, jsonb_build_object('text', coalesce(n.body, @fallback), 'keyboard', NULL), s.id
            FROM stored s
            CROSS JOIN reach r
            JOIN persons p ON p.id = r.id
            LEFT JOIN notices n ON n.language = p.language
            WHERE r.channel IS NOT NULL
            RETURNING 1
        )
        SELECT s.id, s.recipients, s.unreachable_at_send, (SELECT count(*) FROM queued)::int FROM stored s
        """;

    public async Task<IReadOnlyList<Group>> TeacherGroupsAsync(PersonId teacher, DateOnly termStart, DateOnly termEnd,
        CancellationToken cancellationToken)
    {
        // Only planned lessons of this term: a cancelled lesson or last year's substitution gives no right to a group,
        // and neither does a material (a teacher may post one to any group).
        await using var command = Command(
            """
            SELECT g.id, g.name FROM school_groups g
            WHERE NOT g.archived
              AND EXISTS (SELECT 1 FROM lessons l
                          WHERE l.group_id = g.id AND l.status = 'planned' AND l.day BETWEEN @from AND @to
                            AND (l.teacher_id = @teacher OR l.substitute_id = @teacher))
            ORDER BY g.name, g.id
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("from", termStart);
        command.Parameters.AddWithValue("to", termEnd);
        var groups = new List<Group>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new Group(new GroupId(reader.GetInt64(0)), reader.GetString(1), false));
        }
        return groups;
    }

    public async Task<RecipientCount> CountAsync(AnnouncementAudience audience, GroupId? group, PersonId author, CancellationToken cancellationToken)
    {
        await using var command = Command(CountSql);
        AddAudience(command, audience, group, author);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RecipientCount(reader.GetInt32(0), reader.GetInt32(1));
    }

    public async Task<AnnouncementSent?> SendAsync(PersonId author, AnnouncementAudience audience, GroupId? group, string text,
        IReadOnlyDictionary<Language, string> bodies, string requestKey, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = Command(SendSql);
        AddAudience(command, audience, group, author);
        command.Parameters.AddWithValue("text", text);
        command.Parameters.AddWithValue("key", requestKey);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter("languages", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = bodies.Keys.Select(l => l.ToKey()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = bodies.Values.ToArray() });
        command.Parameters.AddWithValue("fallback", bodies.TryGetValue(Language.Ru, out var ru) ? ru : bodies.Values.First());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new AnnouncementSent(reader.GetInt64(0), reader.GetInt32(3), reader.GetInt32(2));
    }

    public async Task<IReadOnlyList<AnnouncementSummary>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        // Reported ones carry their final counts; the others are counted live from their outbox rows.
        await using var command = Command(
            """
            SELECT a.id, a.created_at, coalesce(p.full_name, ''), a.audience, g.name, a.text, a.recipients,
                   coalesce(a.delivered, o.sent), coalesce(a.undeliverable, o.undeliverable) + a.unreachable_at_send,
                   coalesce(a.failed, o.failed), CASE WHEN a.reported_at IS NULL THEN o.open ELSE 0 END
            FROM announcements a
            JOIN persons p ON p.id = a.author_id
            LEFT JOIN school_groups g ON g.id = a.group_id
            CROSS JOIN LATERAL (
                SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent,
                       count(*) FILTER (WHERE status = 'undeliverable')::int AS undeliverable,
                       count(*) FILTER (WHERE status = 'failed')::int AS failed,
                       count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS open
                FROM outbox WHERE announcement_id = a.id AND a.reported_at IS NULL
            ) o
            ORDER BY a.created_at DESC, a.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        var list = new List<AnnouncementSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AnnouncementSummary(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                AnnouncementAudiences.TryParse(reader.GetString(3)) ?? AnnouncementAudience.Everyone, reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10)));
        }
        return list;
    }

    private static void AddAudience(NpgsqlCommand command, AnnouncementAudience audience, GroupId? group, PersonId author)
    {
        command.Parameters.AddWithValue("audience", audience.ToKey());
        command.Parameters.Add(new NpgsqlParameter("group", NpgsqlDbType.Bigint)
        {
            Value = audience == AnnouncementAudience.Group && group is { } g ? g.Value : DBNull.Value,
        });
        command.Parameters.AddWithValue("author", author.Value);
    }

    private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);
}
