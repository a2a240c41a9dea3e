using System.Text.Json;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Playground;

/// <summary>The web channel's "messenger": delivering a row means storing it where the page reads it.</summary>
public sealed class PlaygroundSender(NpgsqlDataSource dataSource, IOptions<PlaygroundOptions> options) : IChannelSender
{
    public Channel Channel => Channel.Web;
    public bool Enabled => options.Value.Enabled;
    public double MessagesPerSecond => 1000;
    public double PerChatPerSecond => 0;
    public int PerChatBurst => 1;

    public async Task<SendResult> SendAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO web_messages (user_key, body) VALUES (@user, @body::jsonb)");
        command.Parameters.AddWithValue("user", row.ChatId);
        command.Parameters.AddWithValue("body", JsonSerializer.Serialize(row.Body, HostJsonAccess.Options));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return SendResult.Ok;
    }
}
