using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Questions;
using Npgsql;

namespace ConsultBot.Host.Persistence;

/// <summary>
/// Questions and their threads on PostgreSQL, inside the caller's transaction. Races are settled by conditional
/// updates: the first teacher to take an unassigned question wins, and nothing is written into a closed one. For an
/// anonymous question the asker's name, class and children are not even read: the teacher's side has nothing to leak.
/// </summary>
public sealed class PgQuestionRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IQuestionRepository
{
    /// <summary>
    /// Who reads a subject's questions: the <c>question_readers</c> view (migration 0016), active people only, and for a
    /// confidential subject only teachers assigned to it explicitly. Every query deciding who may read, be offered, be
    /// told or be reminded goes through it, the daily reminder job too.
    /// </summary>
    internal const string Readers = "question_readers";

    /// <summary>The topic questions of a subject not yet tied to a consultation, of the teacher or unassigned (alias <c>q</c>).</summary>
    private const string OpenTopics =
        """
        q.is_topic AND q.topic_slot_id IS NULL AND q.status <> 'closed' AND NOT q.confidential AND q.subject_id = @subject
        AND (q.teacher_id = @teacher OR q.teacher_id IS NULL)
        """;

    private const string ViewColumns =
        """
        q.id, q.asker_id,
        CASE WHEN q.anonymous THEN '' ELSE coalesce(a.full_name, '') END,
        a.role,
        CASE WHEN q.anonymous THEN NULL ELSE g.name END,
        CASE WHEN q.anonymous OR a.role <> 'parent' THEN '{}'::text[] ELSE coalesce((
            SELECT array_agg(coalesce(c.full_name, '') || coalesce(', ' || cg.name, '') ORDER BY c.full_name, c.id)
            FROM parent_links l
            JOIN persons c ON c.id = l.child_id AND c.status = 'active'
            LEFT JOIN school_groups cg ON cg.id = c.group_id
            WHERE l.parent_id = q.asker_id), '{}'::text[]) END,
        q.subject_id, s.name, q.teacher_id, t.full_name, q.confidential, q.anonymous, q.status, q.is_topic, q.waiting_since, q.created_at,
        coalesce((SELECT m.body FROM question_messages m WHERE m.question_id = q.id ORDER BY m.id LIMIT 1), '')
        """;

    private const string ViewFrom =
        """
        FROM questions q
        JOIN persons a ON a.id = q.asker_id
        JOIN subjects s ON s.id = q.subject_id
        LEFT JOIN school_groups g ON g.id = a.group_id
        LEFT JOIN persons t ON t.id = q.teacher_id
        """;

    public async Task<IReadOnlyList<QuestionSubject>> SubjectsAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT s.id, s.name, s.confidential FROM subjects s
            WHERE EXISTS (SELECT 1 FROM {Readers} r WHERE r.subject_id = s.id)
            ORDER BY s.name, s.id
            """);
        var subjects = new List<QuestionSubject>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            subjects.Add(new QuestionSubject(reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2)));
        }
        return subjects;
    }

    public async Task<QuestionSubject?> GetSubjectAsync(long subjectId, CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT id, name, confidential FROM subjects WHERE id = @id");
        command.Parameters.AddWithValue("id", subjectId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new QuestionSubject(reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2)) : null;
    }

    public async Task<IReadOnlyList<QuestionTeacher>> TeachersOfAsync(long subjectId, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT p.id, coalesce(p.full_name, ''), p.language FROM persons p
            WHERE p.id IN (SELECT r.teacher_id FROM {Readers} r WHERE r.subject_id = @subject)
            ORDER BY p.full_name, p.id
            """);
        command.Parameters.AddWithValue("subject", subjectId);
        var teachers = new List<QuestionTeacher>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            teachers.Add(new QuestionTeacher(new PersonId(reader.GetInt64(0)), reader.GetString(1), LanguageCodes.Parse(reader.GetString(2))));
        }
        return teachers;
    }

    public async Task<bool> TeachesAsync(PersonId person, long subjectId, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT EXISTS (SELECT 1 FROM {Readers} r WHERE r.teacher_id = @person AND r.subject_id = @subject)
            """);
        command.Parameters.AddWithValue("person", person.Value);
        command.Parameters.AddWithValue("subject", subjectId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<int> CountAskedSinceAsync(PersonId asker, DateTimeOffset since, CancellationToken cancellationToken) =>
        CountAsync("SELECT count(*)::int FROM questions WHERE asker_id = @person AND created_at > @since", asker, since, cancellationToken);

    public Task<int> CountMessagesSinceAsync(PersonId author, DateTimeOffset since, CancellationToken cancellationToken) =>
        CountAsync("SELECT count(*)::int FROM question_messages WHERE author_id = @person AND created_at > @since", author, since, cancellationToken);

    public async Task<QuestionId> CreateAsync(NewQuestion question, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            WITH q AS (
                INSERT INTO questions (asker_id, subject_id, teacher_id, confidential, anonymous, status, waiting_since, created_at)
                VALUES (@asker, @subject, @teacher, @confidential, @anonymous, 'open', @at, @at)
                RETURNING id
            ), m AS (
                INSERT INTO question_messages (question_id, author_id, from_asker, body, created_at)
                SELECT id, @asker, true, @body, @at FROM q
            )
            SELECT id FROM q
            """);
        command.Parameters.AddWithValue("asker", question.Asker.Value);
        command.Parameters.AddWithValue("subject", question.SubjectId);
        command.Parameters.AddWithValue("teacher", question.Teacher is { } t ? t.Value : DBNull.Value);
        command.Parameters.AddWithValue("confidential", question.Confidential);
        command.Parameters.AddWithValue("anonymous", question.Anonymous);
        command.Parameters.AddWithValue("body", question.Body);
        command.Parameters.AddWithValue("at", question.At.ToUniversalTime());
        return new QuestionId((long)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<QuestionView?> GetAsync(QuestionId id, CancellationToken cancellationToken)
    {
        await using var command = Command($"SELECT {ViewColumns} {ViewFrom} WHERE q.id = @id");
        command.Parameters.AddWithValue("id", id.Value);
        return (await ReadViewsAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<TakeOutcome> TakeAsync(QuestionId id, PersonId teacher, CancellationToken cancellationToken)
    {
        // The UPDATE waits for a concurrent taker's row lock and then re-checks teacher_id IS NULL: one of them wins.
        await using var command = Command(
            """
            WITH taken AS (
                UPDATE questions SET teacher_id = @teacher
                WHERE id = @id AND teacher_id IS NULL AND status <> 'closed'
                RETURNING id
            )
            SELECT (SELECT count(*) FROM taken)::int, q.teacher_id, q.status FROM questions q WHERE q.id = @id
            """);
        command.Parameters.AddWithValue("id", id.Value);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return TakeOutcome.TakenByAnother;
        }
        if (reader.GetInt32(0) == 1)
        {
            return TakeOutcome.Taken;
        }
        if (!reader.IsDBNull(1) && reader.GetInt64(1) == teacher.Value)
        {
            return TakeOutcome.AlreadyYours;
        }
        return reader.GetString(2) == "closed" ? TakeOutcome.Closed : TakeOutcome.TakenByAnother;
    }

    public async Task<PostOutcome> AddMessageAsync(QuestionId id, PersonId author, bool fromAsker, string body, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            WITH q AS (
                UPDATE questions SET
                    status = CASE WHEN @fromAsker THEN 'open' ELSE 'answered' END,
                    waiting_since = CASE WHEN @fromAsker THEN coalesce(waiting_since, @at) END,
                    teacher_id = CASE WHEN @fromAsker THEN teacher_id ELSE coalesce(teacher_id, @author) END,
                    first_answered_at = CASE WHEN @fromAsker THEN first_answered_at ELSE coalesce(first_answered_at, @at) END,
                    answered_by = CASE WHEN @fromAsker THEN answered_by ELSE coalesce(answered_by, @author) END
                WHERE id = @id AND status <> 'closed'
                RETURNING id
            ), m AS (
                INSERT INTO question_messages (question_id, author_id, from_asker, body, created_at)
                SELECT id, @author, @fromAsker, @body, @at FROM q
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM m)::int, (SELECT status FROM questions WHERE id = @id)
            """);
        command.Parameters.AddWithValue("id", id.Value);
        command.Parameters.AddWithValue("author", author.Value);
        command.Parameters.AddWithValue("fromAsker", fromAsker);
        command.Parameters.AddWithValue("body", body);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt32(0) == 1 ? PostOutcome.Added : reader.IsDBNull(1) ? PostOutcome.NotFound : PostOutcome.Closed;
    }

    public async Task<bool> CloseAsync(QuestionId id, PersonId by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            UPDATE questions SET status = 'closed', waiting_since = NULL, closed_at = @at, closed_by = @by
            WHERE id = @id AND status <> 'closed'
            """);
        command.Parameters.AddWithValue("id", id.Value);
        command.Parameters.AddWithValue("by", by.Value);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> MarkTopicAsync(QuestionId id, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE questions SET is_topic = true WHERE id = @id AND status <> 'closed' AND NOT confidential");
        command.Parameters.AddWithValue("id", id.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<QuestionView>> AskedByAsync(PersonId asker, int closedShown, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT {ViewColumns} {ViewFrom}
            WHERE q.asker_id = @asker
              AND (q.status <> 'closed' OR q.id IN (
                  SELECT c.id FROM questions c WHERE c.asker_id = @asker AND c.status = 'closed' ORDER BY c.closed_at DESC, c.id DESC LIMIT @closed))
            ORDER BY q.status = 'closed', q.created_at DESC, q.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("asker", asker.Value);
        command.Parameters.AddWithValue("closed", Math.Max(0, closedShown));
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        return await ReadViewsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<QuestionView>> InboxAsync(PersonId teacher, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT {ViewColumns} {ViewFrom}
            WHERE (q.status = 'open' AND (q.teacher_id = @teacher
                   OR (q.teacher_id IS NULL AND q.subject_id IN (SELECT r.subject_id FROM {Readers} r WHERE r.teacher_id = @teacher))))
               OR (q.status = 'answered' AND q.teacher_id = @teacher)
            ORDER BY q.status <> 'open', q.waiting_since, q.id DESC
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        return await ReadViewsAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<QuestionMessage>> ThreadAsync(QuestionId id, CancellationToken cancellationToken)
    {
        await using var command = Command(
            """
            SELECT m.from_asker, CASE WHEN m.from_asker THEN NULL ELSE coalesce(p.full_name, '') END, m.body, m.created_at
            FROM question_messages m LEFT JOIN persons p ON p.id = m.author_id
            WHERE m.question_id = @id
            ORDER BY m.id
            """);
        command.Parameters.AddWithValue("id", id.Value);
        var messages = new List<QuestionMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new QuestionMessage(reader.GetBoolean(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3)));
        }
        return messages;
    }

    public async Task<IReadOnlyList<TopicQuestion>> TopicsAsync(PersonId teacher, long subjectId, int limit, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            SELECT q.id, coalesce((SELECT m.body FROM question_messages m WHERE m.question_id = q.id ORDER BY m.id LIMIT 1), '')
            FROM questions q
            WHERE {OpenTopics}
            ORDER BY q.created_at, q.id
            LIMIT @limit
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("subject", subjectId);
        command.Parameters.AddWithValue("limit", Math.Max(0, limit));
        var topics = new List<TopicQuestion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            topics.Add(new TopicQuestion(new QuestionId(reader.GetInt64(0)), reader.GetString(1)));
        }
        return topics;
    }

    public async Task<IReadOnlyList<TopicAsker>> AttachTopicsAsync(PersonId teacher, long subjectId, SlotId slot, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"""
            WITH tied AS (
                UPDATE questions q SET topic_slot_id = @slot
                WHERE {OpenTopics}
                RETURNING q.asker_id
            )
            SELECT DISTINCT p.id, p.role, p.language FROM tied JOIN persons p ON p.id = tied.asker_id
            WHERE p.status = 'active' AND p.role IN ('student', 'parent')
            ORDER BY p.id
            """);
        command.Parameters.AddWithValue("teacher", teacher.Value);
        command.Parameters.AddWithValue("subject", subjectId);
        command.Parameters.AddWithValue("slot", slot.Value);
        var askers = new List<TopicAsker>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            askers.Add(new TopicAsker(new PersonId(reader.GetInt64(0)), ParseRole(reader.GetString(1)), LanguageCodes.Parse(reader.GetString(2))));
        }
        return askers;
    }

    private async Task<int> CountAsync(string sql, PersonId person, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        command.Parameters.AddWithValue("person", person.Value);
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<IReadOnlyList<QuestionView>> ReadViewsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var views = new List<QuestionView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            views.Add(new QuestionView(
                new QuestionId(reader.GetInt64(0)),
                new PersonId(reader.GetInt64(1)),
                reader.GetString(2),
                ParseRole(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<string[]>(5),
                reader.GetInt64(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : new PersonId(reader.GetInt64(8)),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetBoolean(10),
                reader.GetBoolean(11),
                ParseStatus(reader.GetString(12)),
                reader.GetBoolean(13),
                reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14),
                reader.GetFieldValue<DateTimeOffset>(15),
                reader.GetString(16)));
        }
        return views;
    }

    private static Role ParseRole(string role) => Enum.TryParse<Role>(role, ignoreCase: true, out var parsed) ? parsed : Role.None;

    private static QuestionStatus ParseStatus(string status) => status switch
    {
        "open" => QuestionStatus.Open,
        "answered" => QuestionStatus.Answered,
        _ => QuestionStatus.Closed,
    };

    private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);
}
