using System.Text.Json;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Materials;
using ConsultBot.Domain.People;
using ConsultBot.Host.Outbox;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Persistence;

/// <summary>
/// Materials on PostgreSQL, inside the caller's transaction. Publishing is one statement whatever the number of
/// recipients: the material, its groups and one outbox row per recipient (students of the groups and the parents who
/// follow them), the body chosen by the recipient's language from bodies rendered once per language. Those rows are
/// written beside the engine's own messages, so the pipeline's "wake the dispatcher after commit" covers them: the
/// teacher's confirmation is always among the engine's messages.
/// </summary>
public sealed class PgMaterialRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IMaterialRepository
{
    private const string PublishSql =
        """
        WITH material AS (
            INSERT INTO materials (teacher_id, subject_id, kind, title, url, description, due_on, lesson_on, created_at)
            VALUES (@teacher, @subject, @kind, @title, @url, @description, @due, @lesson, @posted)
            RETURNING id
        ), linked AS (
            INSERT INTO material_groups (material_id, group_id)
            SELECT material.id, g.id FROM material, school_groups g WHERE g.id = ANY(@groups) AND NOT g.archived
            RETURNING group_id
        ), students AS (
            SELECT p.id FROM persons p
            WHERE p.role = 'student' AND p.status = 'active' AND p.group_id IN (SELECT group_id FROM linked)
        ), recipients AS (
            SELECT id FROM students
            UNION
            SELECT l.parent_id
            FROM parent_links l
            JOIN students s ON s.id = l.child_id
            JOIN persons parent ON parent.id = l.parent_id AND parent.status = 'active'
            WHERE l.follows
        ), notices AS (
            SELECT * FROM unnest(@languages::text[], @bodies::jsonb[]) AS n (language, body)
        ), queued AS (
            INSERT INTO outbox (channel, chat_id, person_id, body)
            SELECT a.channel, a.chat_id, r.id, coalesce(n.body, @fallback::jsonb)
            FROM recipients r
            JOIN persons p ON p.id = r.id
            LEFT JOIN notices n ON n.language = p.language
            CROSS JOIN LATERAL (
                SELECT channel, chat_id FROM accounts a
                WHERE a.person_id = r.id AND a.reachable
                ORDER BY a.preferred DESC, a.created_at
                LIMIT 1
            ) a
            RETURNING 1
        )
        SELECT (SELECT id FROM material), (SELECT count(*) FROM queued)::int
        """;

    private const string ViewColumns =
        """
        m.id, s.name, coalesce(t.full_name, ''), m.kind, m.title, m.url, m.description, m.due_on, m.lesson_on,
        array(SELECT g.name FROM material_groups mg JOIN school_groups g ON g.id = mg.group_id WHERE mg.material_id = m.id ORDER BY g.name),
        m.created_at
        """;

    internal NpgsqlConnection Connection { get; } = connection;
    internal NpgsqlTransaction? Transaction { get; } = transaction;

    public async Task<MaterialPublished> PublishAsync(PersonId teacher, MaterialDraft draft, IReadOnlyDictionary<Language, MaterialNotice> notices,
        DateTimeOffset postedAt, CancellationToken cancellationToken)
    {
        var bodies = notices.ToDictionary(n => n.Key.ToKey(), n => Body(n.Value));
        var fallback = bodies.TryGetValue(Language.Ru.ToKey(), out var ru) ? ru : bodies.Values.First();
        await using var command = Command(PublishSql);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("subject", draft.SubjectId);
        command.Parameters.AddWithValue("kind", draft.Kind.ToKey());
        command.Parameters.AddWithValue("title", draft.Title);
        command.Parameters.AddWithValue("url", draft.Url);
        command.Parameters.Add(new NpgsqlParameter("description", NpgsqlDbType.Text) { Value = (object?)draft.Description ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("due", NpgsqlDbType.Date) { Value = draft.DueOn is { } due ? due : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("lesson", NpgsqlDbType.Date) { Value = draft.LessonOn is { } lesson ? lesson : DBNull.Value });
        command.Parameters.AddWithValue("posted", postedAt.ToUniversalTime());
        command.Parameters.Add(new NpgsqlParameter("groups", NpgsqlDbType.Array | NpgsqlDbType.Bigint)
        {
            Value = draft.Groups.Select(g => g.Value).Distinct().ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter("languages", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = bodies.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = bodies.Values.ToArray() });
        command.Parameters.AddWithValue("fallback", fallback);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new MaterialPublished(new MaterialId(reader.GetInt64(0)), reader.GetInt32(1));
    }

    public async Task<IReadOnlyList<Subject>> SubjectsAsync(MaterialScope scope, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT s.id, s.name FROM subjects s
            WHERE EXISTS (SELECT 1 FROM materials m WHERE m.subject_id = s.id AND {Visible(scope.Audience)})
            ORDER BY s.name, s.id
            """);
        command.Parameters.AddWithValue("viewer", scope.Viewer.Value);
        var subjects = new List<Subject>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            subjects.Add(new Subject(reader.GetInt64(0), reader.GetString(1)));
        }
        return subjects;
    }

    public async Task<MaterialPage> PageAsync(MaterialScope scope, long subjectId, int offset, int limit, CancellationToken cancellationToken)
    {
        var visible = Visible(scope.Audience);
        await using var batch = new NpgsqlBatch(Connection, Transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT count(*)::int FROM materials m WHERE m.subject_id = @subject AND {visible}"),
                new NpgsqlBatchCommand(
                    $"""
                    SELECT {ViewColumns}
                    FROM materials m JOIN subjects s ON s.id = m.subject_id LEFT JOIN persons t ON t.id = m.teacher_id
                    WHERE m.subject_id = @subject AND {visible}
                    ORDER BY m.created_at DESC, m.id DESC
                    OFFSET @offset LIMIT @limit
                    """),
            },
        };
        foreach (NpgsqlBatchCommand command in batch.BatchCommands)
        {
            command.Parameters.AddWithValue("viewer", scope.Viewer.Value);
            command.Parameters.AddWithValue("subject", subjectId);
            command.Parameters.AddWithValue("offset", Math.Max(0, offset));
            command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        }
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<MaterialView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new MaterialView(
                new MaterialId(reader.GetInt64(0)),
                reader.GetString(1),
                reader.GetString(2),
                MaterialKinds.Parse(reader.GetString(3)),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8),
                reader.GetFieldValue<string[]>(9),
                reader.GetFieldValue<DateTimeOffset>(10)));
        }
        return new MaterialPage(items, total);
    }

    /// <summary>Which materials (alias m) the viewer (@viewer) sees. Fixed SQL per audience; values stay parameters.</summary>
    private static string Visible(MaterialAudience audience) => audience switch
    {
        MaterialAudience.Student =>
            """
            EXISTS (SELECT 1 FROM material_groups mg JOIN persons v ON v.group_id = mg.group_id
                    WHERE mg.material_id = m.id AND v.id = @viewer)
            """,
        MaterialAudience.Parent =>
            """
            EXISTS (SELECT 1 FROM material_groups mg
                    JOIN persons c ON c.group_id = mg.group_id AND c.status = 'active'
                    JOIN parent_links l ON l.child_id = c.id
                    WHERE mg.material_id = m.id AND l.parent_id = @viewer AND l.follows)
            """,
        MaterialAudience.OwnPosts => "m.teacher_id = @viewer",
        _ => "@viewer::bigint IS NOT NULL",
    };

    private static string Body(MaterialNotice notice) =>
        JsonSerializer.Serialize(new MessageBody(notice.Text, notice.Keyboard), HostJsonAccess.Options);

    private NpgsqlCommand Command(string sql) => new(sql, Connection, Transaction);
}
