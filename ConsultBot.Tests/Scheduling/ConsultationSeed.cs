using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.Scheduling;

/// <summary>
/// People, slots and bookings written with plain SQL against the consultation tables, so the job tests depend on the
/// schema only, not on the repository.
/// </summary>
internal sealed class ConsultationSeed(PostgresFixture db)
{
    /// <summary>An active person with one reachable, preferred account on the web channel (chat id = <paramref name="chat"/>).</summary>
    public async Task<long> PersonAsync(string role, string name, string language = "ru", string? group = null, string? chat = null)
    {
        long? groupId = group is null ? null : await db.ScalarAsync<long>(
            """
            WITH found AS (SELECT id FROM school_groups WHERE name = @name),
                 added AS (INSERT INTO school_groups (name) SELECT @name WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
            SELECT id FROM found UNION ALL SELECT id FROM added
            """, ("name", group));
        var id = await db.ScalarAsync<long>(
            """
            INSERT INTO persons (role, status, full_name, language, group_id, consented_at)
            VALUES (@role, 'active', @name, @language, @group, now()) RETURNING id
            """, ("role", role), ("name", name), ("language", language), ("group", (object?)groupId ?? DBNull.Value));
        if (chat is not null)
        {
            await AccountAsync(id, "web", chat, preferred: true, reachable: true, createdAt: DateTimeOffset.UtcNow);
        }
        return id;
    }

    public Task AccountAsync(long person, string channel, string chat, bool preferred, bool reachable, DateTimeOffset createdAt) =>
        db.ExecuteAsync(
            """
            INSERT INTO accounts (channel, sender_id, chat_id, person_id, preferred, reachable, created_at)
            VALUES (@channel, @chat, @chat, @person, @preferred, @reachable, @at)
            """, ("channel", channel), ("chat", chat), ("person", person), ("preferred", preferred), ("reachable", reachable), ("at", createdAt));

    public Task<long> SubjectAsync(string name) =>
        db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES (@name) RETURNING id", ("name", name));

    public Task<long> SlotAsync(long teacher, long? subject, DateTimeOffset start, int minutes = 30, string kind = "individual", int capacity = 1,
        string? link = "https://meet.example.org/math", string? room = null, string status = "open", string purpose = "review", string? topicTitle = null) =>
        db.ScalarAsync<long>(
            """
            INSERT INTO consultation_slots (teacher_id, subject_id, starts_at, ends_at, kind, capacity, purpose, topic_title, link, room, status)
            VALUES (@teacher, @subject, @start, @end, @kind, @capacity, @purpose, @topicTitle, @link, @room, @status) RETURNING id
            """,
            ("teacher", teacher), ("subject", (object?)subject ?? DBNull.Value), ("start", start.ToUniversalTime()),
            ("end", start.AddMinutes(minutes).ToUniversalTime()), ("kind", kind), ("capacity", capacity), ("purpose", purpose),
            ("topicTitle", (object?)topicTitle ?? DBNull.Value), ("link", (object?)link ?? DBNull.Value), ("room", (object?)room ?? DBNull.Value),
            ("status", status));

    /// <summary>A booking that became active at <paramref name="activatedAt"/> (and was made then); an active one takes a seat.</summary>
    public async Task<long> BookAsync(long slot, long student, DateTimeOffset activatedAt, long? bookedBy = null, string status = "active",
        string? topic = null)
    {
        var id = await db.ScalarAsync<long>(
            """
            INSERT INTO consultation_bookings (slot_id, student_id, booked_by, status, topic, created_at, updated_at, activated_at)
            VALUES (@slot, @student, @by, @status, @topic, @at, @at, CASE WHEN @status = 'waiting' THEN NULL ELSE @at END) RETURNING id
            """,
            ("slot", slot), ("student", student), ("by", bookedBy ?? student), ("status", status), ("topic", (object?)topic ?? DBNull.Value),
            ("at", activatedAt.ToUniversalTime()));
        if (status == "active")
        {
            await db.ExecuteAsync("UPDATE consultation_slots SET booked = booked + 1 WHERE id = @slot", ("slot", slot));
        }
        return id;
    }

    public async Task<List<OutboxRow>> OutboxAsync()
    {
        var rows = new List<OutboxRow>();
        await using var command = db.DataSource.CreateCommand(
            "SELECT dedupe_key, channel, chat_id, person_id, body->>'text', status FROM outbox ORDER BY dedupe_key");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new OutboxRow(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetString(4), reader.GetString(5)));
        }
        return rows;
    }

    internal sealed record OutboxRow(string? Key, string Channel, string ChatId, long? PersonId, string Text, string Status);
}
