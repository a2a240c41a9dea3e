using System.Data.Common;
using System.Text.Json;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Ports;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Persistence;

/// <summary>
/// People and accounts, inside the update's transaction. A person loaded here is written back only if it changed,
/// and the pipeline may hand over the sender's person it already read in its first round trip. With
/// <paramref name="deferSaves"/> the UPDATEs of <see cref="SaveAsync"/> wait for the caller's last batch (the one
/// that commits); any read through this repository sends them first, so reads here always see them.
/// </summary>
public sealed class PgPeopleRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction, bool deferSaves = false)
    : IPeopleRepository
{
    internal const string Columns =
        "p.id, p.role, p.status, p.full_name, p.group_id, p.language, p.under14, p.confirmed_by_parent, p.consented_at, p.dialog::text";

    internal const int ColumnCount = 10;

    /// <summary>The sender's person, locked for the transaction. Parameters: @channel, @sender.</summary>
    internal const string SelectByAccountSql =
        $"""
        SELECT {Columns}
        FROM accounts a JOIN persons p ON p.id = a.person_id
        WHERE a.channel = @channel AND a.sender_id = @sender AND p.status <> 'forgotten'
        FOR UPDATE OF p
        """;

    private readonly Dictionary<long, string> _stored = [];
    private readonly List<NpgsqlBatchCommand> _deferred = [];
    private (Channel Channel, string Sender, Person? Person)? _prefetched;

    /// <summary>Hands over the sender's person read (and locked) by the pipeline in the same transaction.</summary>
    internal void Prefetched(Channel channel, string senderId, Person? person)
    {
        _prefetched = (channel, senderId, person);
        Remember(person);
    }

    public async Task<Person?> FindByAccountAsync(Channel channel, string senderId, CancellationToken cancellationToken)
    {
        if (_prefetched is { } p && p.Channel == channel && p.Sender == senderId)
        {
            return p.Person;
        }
        await using var command = await CommandAsync(SelectByAccountSql, cancellationToken);
        command.Parameters.AddWithValue("channel", channel.ToKey());
        command.Parameters.AddWithValue("sender", senderId);
        return await ReadOneAsync(command, cancellationToken);
    }

    /// <summary>Another person, locked like the sender, so two turns that change the same person never overwrite each other.</summary>
    public async Task<Person?> GetAsync(PersonId id, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"SELECT {Columns} FROM persons p WHERE p.id = @id AND p.status <> 'forgotten' FOR UPDATE", cancellationToken);
        command.Parameters.AddWithValue("id", id.Value);
        return await ReadOneAsync(command, cancellationToken);
    }

    public async Task<Person?> PeekAsync(PersonId id, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"SELECT {Columns} FROM persons p WHERE p.id = @id AND p.status <> 'forgotten'", cancellationToken);
        command.Parameters.AddWithValue("id", id.Value);
        return await ReadOneAsync(command, cancellationToken);
    }

    public async Task<Person> CreateAsync(Channel channel, string senderId, string chatId, Language language, DateTimeOffset consentedAt,
        CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"""
            WITH p AS (
                INSERT INTO persons (language, consented_at, dialog) VALUES (@language, @consented, @dialog::jsonb)
                RETURNING *
            ), a AS (
                INSERT INTO accounts (channel, sender_id, chat_id, person_id) SELECT @channel, @sender, @chat, id FROM p
            )
            SELECT {Columns} FROM p
            """, cancellationToken);
        command.Parameters.AddWithValue("language", language.ToKey());
        command.Parameters.AddWithValue("consented", consentedAt);
        command.Parameters.AddWithValue("dialog", DialogJson.Write(DialogState.Empty));
        command.Parameters.AddWithValue("channel", channel.ToKey());
        command.Parameters.AddWithValue("sender", senderId);
        command.Parameters.AddWithValue("chat", chatId);
        return (await ReadOneAsync(command, cancellationToken))!;
    }

    public async Task SaveAsync(Person person, CancellationToken cancellationToken)
    {
        var state = Fingerprint(person);
        if (_stored.TryGetValue(person.Id.Value, out var stored) && stored == state)
        {
            return;
        }
        _stored[person.Id.Value] = state;
        var update = new NpgsqlBatchCommand(
            """
            UPDATE persons SET role = @role, status = @status, full_name = @name, group_id = @group, language = @language,
                under14 = @under14, confirmed_by_parent = @confirmed, dialog = @dialog::jsonb, updated_at = now()
            WHERE id = @id
            """);
        update.Parameters.AddWithValue("id", person.Id.Value);
        update.Parameters.AddWithValue("role", person.Role.ToString().ToLowerInvariant());
        update.Parameters.AddWithValue("status", person.Status.ToString().ToLowerInvariant());
        // Typed even when null: a parameter of unknown type would keep the statement from being prepared.
        update.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = (object?)person.FullName ?? DBNull.Value });
        update.Parameters.Add(new NpgsqlParameter("group", NpgsqlDbType.Bigint) { Value = (object?)person.GroupId?.Value ?? DBNull.Value });
        update.Parameters.AddWithValue("language", person.Language.ToKey());
        update.Parameters.AddWithValue("under14", person.Under14);
        update.Parameters.AddWithValue("confirmed", person.ConfirmedByParent);
        update.Parameters.AddWithValue("dialog", DialogJson.Write(person.Dialog));
        _deferred.Add(update);
        if (!deferSaves)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Hands the deferred UPDATEs to the caller's final batch.</summary>
    internal void MoveDeferredSavesTo(NpgsqlBatch batch)
    {
        foreach (var command in _deferred)
        {
            batch.BatchCommands.Add(command);
        }
        _deferred.Clear();
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_deferred.Count == 0)
        {
            return;
        }
        await using var batch = new NpgsqlBatch(connection, transaction);
        MoveDeferredSavesTo(batch);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ForgetAsync(PersonId id, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("SELECT forget_person(@id)", cancellationToken);
        command.Parameters.AddWithValue("id", id.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetReachableAsync(Channel channel, string senderId, bool reachable, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            "UPDATE accounts SET reachable = @reachable WHERE channel = @channel AND sender_id = @sender", cancellationToken);
        command.Parameters.AddWithValue("reachable", reachable);
        command.Parameters.AddWithValue("channel", channel.ToKey());
        command.Parameters.AddWithValue("sender", senderId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> LinkParentAsync(PersonId parent, PersonId child, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            "INSERT INTO parent_links (parent_id, child_id) VALUES (@parent, @child) ON CONFLICT DO NOTHING", cancellationToken);
        command.Parameters.AddWithValue("parent", parent.Value);
        command.Parameters.AddWithValue("child", child.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<Person>> ChildrenOfAsync(PersonId parent, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            $"""
            SELECT {Columns} FROM parent_links l JOIN persons p ON p.id = l.child_id
            WHERE l.parent_id = @id AND p.status NOT IN ('forgotten', 'deactivated')
            ORDER BY p.full_name
            FOR UPDATE OF p
            """, cancellationToken);
        command.Parameters.AddWithValue("id", parent.Value);
        var result = new List<Person>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(Map(reader));
            }
        }
        result.ForEach(Remember);
        return result;
    }

    public async Task<IReadOnlyList<LinkedAccount>> AccountsAsync(PersonId person, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            """
            SELECT channel, sender_id, chat_id, reachable, preferred FROM accounts
            WHERE person_id = @person
            ORDER BY reachable DESC, preferred DESC, created_at
            """, cancellationToken);
        command.Parameters.AddWithValue("person", person.Value);
        var result = new List<LinkedAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new LinkedAccount(ChannelNames.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2),
                reader.GetBoolean(3), reader.GetBoolean(4)));
        }
        return result;
    }

    /// <summary>The new account is not preferred: notifications stay where they went until the person chooses otherwise.</summary>
    public async Task<bool> AttachAccountAsync(PersonId person, Channel channel, string senderId, string chatId,
        CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            """
            INSERT INTO accounts (channel, sender_id, chat_id, person_id, preferred)
            VALUES (@channel, @sender, @chat, @person, false)
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        command.Parameters.AddWithValue("channel", channel.ToKey());
        command.Parameters.AddWithValue("sender", senderId);
        command.Parameters.AddWithValue("chat", chatId);
        command.Parameters.AddWithValue("person", person.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>One statement, so no reader ever sees two preferred accounts.</summary>
    public async Task<bool> SetPreferredAsync(PersonId person, Channel channel, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            """
            UPDATE accounts SET preferred = (channel = @channel)
            WHERE person_id = @person
              AND EXISTS (SELECT 1 FROM accounts WHERE person_id = @person AND channel = @channel)
            """, cancellationToken);
        command.Parameters.AddWithValue("channel", channel.ToKey());
        command.Parameters.AddWithValue("person", person.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Never the last account. Turns of one person are serialised by the lock on their row (taken when the sender's
    /// person is read), so two detaches cannot both see a second account and leave none. When the preferred account
    /// goes, the oldest remaining one gets notifications (the outbox's own order).
    /// </summary>
    public async Task<bool> DetachAccountAsync(PersonId person, Channel channel, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            """
            DELETE FROM accounts
            WHERE person_id = @person AND channel = @channel
              AND (SELECT count(*) FROM accounts WHERE person_id = @person) > 1
            """, cancellationToken);
        command.Parameters.AddWithValue("channel", channel.ToKey());
        command.Parameters.AddWithValue("person", person.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

    /// <summary>Every statement other than a deferred save first sends the deferred saves, keeping their order.</summary>
    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        return Command(sql);
    }

    private async Task<Person?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        Person? person;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            person = await reader.ReadAsync(cancellationToken) ? Map(reader) : null;
        }
        Remember(person);
        return person;
    }

    private void Remember(Person? person)
    {
        if (person is not null)
        {
            _stored[person.Id.Value] = Fingerprint(person);
        }
    }

    private static string Fingerprint(Person p) => string.Join('\u001f', p.Role, p.Status, p.FullName, p.GroupId?.Value, p.Language,
        p.Under14, p.ConfirmedByParent, DialogJson.Write(p.Dialog));

    internal static Person Map(DbDataReader r) => Person.Restore(
        new PersonId(r.GetInt64(0)),
        Enum.Parse<Role>(r.GetString(1), ignoreCase: true),
        r.GetString(2) switch { "active" => PersonStatus.Active, "deactivated" => PersonStatus.Deactivated, _ => PersonStatus.Registering },
        r.IsDBNull(3) ? null : r.GetString(3),
        r.IsDBNull(4) ? null : new GroupId(r.GetInt64(4)),
        LanguageCodes.Parse(r.GetString(5)),
        r.GetBoolean(6),
        r.GetBoolean(7),
        r.IsDBNull(8) ? DateTimeOffset.MinValue : r.GetFieldValue<DateTimeOffset>(8),
        DialogJson.Read(r.GetString(9)));
}

/// <summary>Dialog state as stored in <c>persons.dialog</c>.</summary>
internal static class DialogJson
{
    private sealed record Dto(string? Step, Dictionary<string, string>? Data, int Version);

    public static string Write(DialogState state) =>
        JsonSerializer.Serialize(new Dto(state.Step, new Dictionary<string, string>(state.Data), state.Version), HostJsonAccess.Options);

    public static DialogState Read(string json)
    {
        var dto = JsonSerializer.Deserialize<Dto>(json, HostJsonAccess.Options);
        return dto is null || dto.Version == 0
            ? DialogState.Empty
            : new DialogState(dto.Step, dto.Data ?? [], dto.Version);
    }
}

public static class HostJsonAccess
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
