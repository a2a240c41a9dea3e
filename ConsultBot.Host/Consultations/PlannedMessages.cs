using System.Text.Json;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Consultations;

/// <summary>A message a job plans: to one account, remembered by its key so planning it again does nothing.</summary>
internal sealed record PlannedMessage(string Key, string Channel, string ChatId, long PersonId, string Text);

/// <summary>The SQL and reading shared by the consultation jobs.</summary>
internal static class PlannedMessages
{
    /// <summary>
    /// The columns of a slot as <see cref="ReadSlot"/> reads them, for a query where <c>s</c> is the slot, <c>t</c> its
    /// teacher and <c>sub</c> its subject (left-joined).
    /// </summary>
    public const string SlotColumns =
        """
        s.id, s.teacher_id, coalesce(t.full_name, ''), s.subject_id, sub.name, s.starts_at, s.ends_at, s.kind, s.capacity, s.booked,
        (SELECT count(*) FROM consultation_bookings wb WHERE wb.slot_id = s.id AND wb.status = 'waiting')::int,
        s.purpose, s.topic_title, s.attestation_prep, s.link, s.room, s.note
        """;

    public const int SlotColumnCount = 17;

    /// <summary>
    /// The slot's active bookings as three arrays (name, group, topic) in booking order, for a lateral join where
    /// <c>s</c> is the slot.
    /// </summary>
    public const string StudentArrays =
        """
        SELECT array_agg(coalesce(sp.full_name, '') ORDER BY sb.created_at, sb.id) AS names,
               array_agg(g.name ORDER BY sb.created_at, sb.id) AS groups,
               array_agg(sb.topic ORDER BY sb.created_at, sb.id) AS topics
        FROM consultation_bookings sb
        JOIN persons sp ON sp.id = sb.student_id
        LEFT JOIN school_groups g ON g.id = sp.group_id
        WHERE sb.slot_id = s.id AND sb.status = 'active'
        """;

    public static SlotView ReadSlot(NpgsqlDataReader reader, int first) => new(
        new SlotId(reader.GetInt64(first)),
        new PersonId(reader.GetInt64(first + 1)),
        reader.GetString(first + 2),
        reader.IsDBNull(first + 3) ? null : reader.GetInt64(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetString(first + 4),
        reader.GetFieldValue<DateTimeOffset>(first + 5),
        reader.GetFieldValue<DateTimeOffset>(first + 6),
        reader.GetString(first + 7) == "group" ? ConsultationKind.Group : ConsultationKind.Individual,
        reader.GetInt32(first + 8),
        reader.GetInt32(first + 9),
        reader.GetInt32(first + 10),
        reader.GetString(first + 11) == "topic" ? ConsultationPurpose.Topic : ConsultationPurpose.Review,
        reader.IsDBNull(first + 12) ? null : reader.GetString(first + 12),
        reader.GetBoolean(first + 13),
        reader.IsDBNull(first + 14) ? null : reader.GetString(first + 14),
        reader.IsDBNull(first + 15) ? null : reader.GetString(first + 15),
        reader.IsDBNull(first + 16) ? null : reader.GetString(first + 16),
        Cancelled: false);

    /// <summary>Lines "Иванов Иван, 7Б — «дроби»" from the arrays of <see cref="StudentArrays"/> (null arrays: nobody).</summary>
    public static IReadOnlyList<string> ReadStudents(NpgsqlDataReader reader, int first)
    {
        if (reader.IsDBNull(first))
        {
            return [];
        }
        var names = reader.GetFieldValue<string[]>(first);
        var groups = reader.GetFieldValue<string?[]>(first + 1);
        var topics = reader.GetFieldValue<string?[]>(first + 2);
        return names.Select((name, i) => ConsultationFormat.StudentLine(name, groups[i], topics[i])).ToList();
    }

    public static Language ReadLanguage(NpgsqlDataReader reader, int ordinal) => LanguageCodes.Parse(reader.GetString(ordinal));

    /// <summary>One INSERT for all of them; a key already in the outbox is skipped. Returns how many rows were added.</summary>
    public static async Task<int> InsertAsync(NpgsqlConnection connection, IReadOnlyList<PlannedMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return 0;
        }
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO outbox (channel, chat_id, person_id, body, dedupe_key, correlation_id)
            SELECT c, chat, p, jsonb_build_object('text', t, 'keyboard', NULL), k, @correlation::text
            FROM unnest(@channels, @chats, @persons, @texts, @keys) AS m(c, chat, p, t, k)
            ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
            """, connection);
        command.Parameters.Add(new NpgsqlParameter("channels", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => m.Channel).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("chats", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => m.ChatId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("persons", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = messages.Select(m => m.PersonId).ToArray() });
        // The body (a MessageBody without buttons) is built by PostgreSQL: the texts travel as plain UTF-8, not as JSON with every
        // Cyrillic letter escaped, which matters for the daily reminders' hundred thousand rows.
        command.Parameters.Add(new NpgsqlParameter("texts", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => m.Text).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = messages.Select(m => m.Key).ToArray() });
        // The job run planning these rows (set by the Hangfire server filter); null when called outside a job.
        command.Parameters.Add(new NpgsqlParameter("correlation", NpgsqlDbType.Text) { Value = (object?)Operations.Correlation.Current ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
