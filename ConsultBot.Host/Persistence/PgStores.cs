using System.Security.Cryptography;
using System.Text;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Ports;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Persistence;

public sealed class PgGroupRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IGroupRepository
{
    public async Task<IReadOnlyList<Group>> ListAsync(bool includeArchived, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, name, archived FROM school_groups WHERE @all OR NOT archived ORDER BY name COLLATE \"C\", id",
            connection, transaction);
        command.Parameters.AddWithValue("all", includeArchived);
        var groups = new List<Group>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new Group(new GroupId(reader.GetInt64(0)), reader.GetString(1), reader.GetBoolean(2)));
        }
        return groups;
    }

    public async Task<Group?> GetAsync(GroupId id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT id, name, archived FROM school_groups WHERE id = @id", connection, transaction);
        command.Parameters.AddWithValue("id", id.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Group(new GroupId(reader.GetInt64(0)), reader.GetString(1), reader.GetBoolean(2))
            : null;
    }

    public async Task<Group?> AddAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO school_groups (name) VALUES (@name)
            ON CONFLICT (lower(name)) WHERE NOT archived DO NOTHING
            RETURNING id
            """, connection, transaction);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? new Group(new GroupId(id), name, false) : null;
    }

    public async Task<bool> RenameAsync(GroupId id, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE school_groups SET name = @name
            WHERE id = @id AND NOT EXISTS (
                SELECT 1 FROM school_groups o WHERE lower(o.name) = lower(@name) AND NOT o.archived AND o.id <> @id)
            """, connection, transaction);
        command.Parameters.AddWithValue("id", id.Value);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task ArchiveAsync(GroupId id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE school_groups SET archived = true WHERE id = @id", connection, transaction);
        command.Parameters.AddWithValue("id", id.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

public sealed class PgCodeRepository(NpgsqlConnection connection, NpgsqlTransaction? transaction) : ICodeRepository
{
    public async Task CreateAsync(CodeKind kind, string code, PersonId? owner, PersonId? createdBy, DateTimeOffset expiresAt,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO one_time_codes (kind, code_hash, owner_id, created_by, expires_at)
            VALUES (@kind, @hash, @owner, @createdBy, @expires)
            """, connection, transaction);
        command.Parameters.AddWithValue("kind", KindKey(kind));
        command.Parameters.AddWithValue("hash", Hash(code));
        command.Parameters.Add(new NpgsqlParameter("owner", NpgsqlDbType.Bigint) { Value = (object?)owner?.Value ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("createdBy", NpgsqlDbType.Bigint) { Value = (object?)createdBy?.Value ?? DBNull.Value });
        command.Parameters.AddWithValue("expires", expiresAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<RedeemedCode?> RedeemAsync(CodeKind kind, string code, PersonId usedBy, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE one_time_codes SET used_at = @now, used_by = @usedBy
            WHERE kind = @kind AND code_hash = @hash AND used_at IS NULL AND expires_at > @now
            RETURNING owner_id, created_by
            """, connection, transaction);
        command.Parameters.AddWithValue("kind", KindKey(kind));
        command.Parameters.AddWithValue("hash", Hash(code));
        command.Parameters.AddWithValue("usedBy", usedBy.Value);
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new RedeemedCode(kind,
            reader.IsDBNull(0) ? null : new PersonId(reader.GetInt64(0)),
            reader.IsDBNull(1) ? null : new PersonId(reader.GetInt64(1)));
    }

    public async Task<FoundCode?> FindAsync(CodeKind kind, string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT owner_id, used_at IS NOT NULL, expires_at <= @now
            FROM one_time_codes WHERE kind = @kind AND code_hash = @hash
            """, connection, transaction);
        command.Parameters.AddWithValue("kind", KindKey(kind));
        command.Parameters.AddWithValue("hash", Hash(code));
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new FoundCode(reader.IsDBNull(0) ? null : new PersonId(reader.GetInt64(0)), reader.GetBoolean(1), reader.GetBoolean(2));
    }

    /// <summary>Also drops attempts older than a day, so the table stays as small as the window it serves.</summary>
    public async Task RecordRejectedAsync(Channel channel, string senderId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            DELETE FROM code_attempts WHERE at < @at - interval '1 day';
            INSERT INTO code_attempts (account_hash, at) VALUES (@account, @at);
            """, connection, transaction);
        command.Parameters.AddWithValue("account", Hash(channel.ToKey() + ":" + senderId));
        command.Parameters.AddWithValue("at", at);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> CountRejectedSinceAsync(Channel channel, string senderId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*)::int FROM code_attempts WHERE account_hash = @account AND at >= @since", connection, transaction);
        command.Parameters.AddWithValue("account", Hash(channel.ToKey() + ":" + senderId));
        command.Parameters.AddWithValue("since", since);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static string KindKey(CodeKind kind) => kind switch
    {
        CodeKind.TeacherInvite => "teacher-invite",
        CodeKind.AdminBootstrap => "admin-bootstrap",
        CodeKind.AccountLink => "account-link",
        _ => "child-link",
    };

    private static byte[] Hash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code));
}

public sealed class PgAuditLog(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IAuditLog
{
    public async Task WriteAsync(string action, PersonId? subject, PersonId? actor, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO audit_log (action, subject_id, actor_id) VALUES (@action, @subject, @actor)", connection, transaction);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.Add(new NpgsqlParameter("subject", NpgsqlDbType.Bigint) { Value = (object?)subject?.Value ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("actor", NpgsqlDbType.Bigint) { Value = (object?)actor?.Value ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> CountSinceAsync(string action, PersonId subject, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM audit_log WHERE subject_id = @subject AND action = @action AND at >= @since", connection, transaction);
        command.Parameters.AddWithValue("subject", subject.Value);
        command.Parameters.AddWithValue("action", action);
        command.Parameters.AddWithValue("since", since);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

public sealed class PgChatNotices(NpgsqlConnection connection, NpgsqlTransaction? transaction) : IChatNotices
{
    public async Task<bool> FirstTimeAsync(ChatAddress chat, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO chat_notices (channel, chat_id) VALUES (@channel, @chat) ON CONFLICT DO NOTHING", connection, transaction);
        command.Parameters.AddWithValue("channel", chat.Channel.ToKey());
        command.Parameters.AddWithValue("chat", chat.ChatId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
