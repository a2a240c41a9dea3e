using System.Text.Json;
using ConsultBot.Domain.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Outbox;

/// <summary>
/// Writes outgoing messages as outbox rows inside the caller's transaction. After the commit the caller calls
/// <see cref="OutboxSignal.Committed"/> to wake the dispatchers.
/// </summary>
public static class OutboxWriter
{
    /// <summary>Adds the messages to a batch that the caller executes in its transaction.</summary>
    /// <param name="chatOwner">The person behind the chat the update came from, recorded on replies to that chat.</param>
    public static void AddTo(NpgsqlBatch batch, IReadOnlyList<OutgoingMessage> messages, ChatAddress? replyChat = null, long? chatOwner = null)
    {
        if (messages.Count == 0)
        {
            return;
        }
        var channels = new List<string>();
        var chats = new List<string>();
        var bodies = new List<string>();
        var persons = new List<long?>();
        foreach (var message in messages)
        {
            var body = JsonSerializer.Serialize(new MessageBody(message.Text, message.Keyboard,
                message.Document is { } document ? new MessageDocument(document.FileName, document.Content) : null), Persistence.HostJsonAccess.Options);
            if (message.To.Chat is { } chat)
            {
                channels.Add(chat.Channel.ToKey());
                chats.Add(chat.ChatId);
                bodies.Add(body);
                persons.Add(chat == replyChat ? chatOwner : null);
                continue;
            }
            // To a person: their preferred reachable account, resolved when the row is written. A person the school
            // switched off gets nothing this way; replies to their own chat go by the chat's address above, so they
            // still hear whom to contact. (Someone still registering keeps getting what is addressed to them, such
            // as a parent's confirmation; forgotten people have no accounts left.)
            var toPerson = new NpgsqlBatchCommand(
                """
                INSERT INTO outbox (channel, chat_id, person_id, body)
                SELECT a.channel, a.chat_id, a.person_id, @body::jsonb
                FROM accounts a JOIN persons p ON p.id = a.person_id AND p.status <> 'deactivated'
                WHERE a.person_id = @person AND a.reachable
                ORDER BY a.preferred DESC, a.created_at
                LIMIT 1
                """);
            toPerson.Parameters.AddWithValue("person", message.To.Person!.Value.Value);
            toPerson.Parameters.AddWithValue("body", body);
            batch.BatchCommands.Add(toPerson);
        }
        if (chats.Count > 0)
        {
            var toChats = new NpgsqlBatchCommand(
                """
                INSERT INTO outbox (channel, chat_id, person_id, body)
                SELECT * FROM unnest(@channels, @chats, @persons, @bodies::jsonb[])
                """);
            toChats.Parameters.Add(new NpgsqlParameter("channels", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = channels.ToArray() });
            toChats.Parameters.Add(new NpgsqlParameter("chats", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = chats.ToArray() });
            toChats.Parameters.Add(new NpgsqlParameter("persons", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = persons.ToArray() });
            toChats.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = bodies.ToArray() });
            batch.BatchCommands.Add(toChats);
        }
    }
}
