using System.Net;
using System.Net.Sockets;
using System.Text;
using ConsultBot.Host.Operations;
using ConsultBot.Host.Telegram;
using ConsultBot.Tests.EndToEnd;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ConsultBot.Tests.Operations;

/// <summary>
/// Operations against the real host in webhook mode: /metrics, correlation ids on the outbox, graceful shutdown, and the
/// host-level bad inputs (torn and oversized webhook bodies).
/// </summary>
public sealed class OperationsTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Metrics_CountsUpdatesSendsAndBacklog_WhenWebhookUpdatesAreProcessed()
    {
        await StartWebhookAsync();
        var user = new TelegramUser(918_273_645);
        var update = TelegramUpdates.Text(user.Id, "/start").WithUpdateId(810_001);

        using (var first = await PostWebhookAsync(update.ToJsonString(), WebhookSecret))
        using (var again = await PostWebhookAsync(update.ToJsonString(), WebhookSecret))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        await NextMessageAsync(user);
        // The send is counted when the messenger answers and the row marked sent just after: wait for both.
        var text = await EventuallyAsync(MetricsAsync,
            t => MetricsText.Value(t, "consultbot_messages_sent_total", "channel=\"telegram\"") == 1
                 && MetricsText.Value(t, "consultbot_outbox_pending_rows") == 0, "the send to be counted and recorded");

        Assert.Equal(1, MetricsText.Value(text, "consultbot_updates_received_total", "channel=\"telegram\"", "outcome=\"processed\""));
        Assert.Equal(1, MetricsText.Value(text, "consultbot_updates_received_total", "channel=\"telegram\"", "outcome=\"duplicate\""));
        Assert.Equal(0, MetricsText.Value(text, "consultbot_updates_received_total", "channel=\"vk\"", "outcome=\"processed\""));
        Assert.Equal(0, MetricsText.Value(text, "consultbot_outbox_pending_rows"));
        Assert.Equal(0, MetricsText.Value(text, "consultbot_outbox_oldest_pending_age_seconds"));
        Assert.Equal(1, MetricsText.Value(text, "consultbot_database_up"));
        Assert.True(MetricsText.Value(text, "http_request_duration_seconds_count", "endpoint=\"/telegram/webhook\"") >= 2, text);
        Assert.NotNull(MetricsText.Value(text, "process_working_set_bytes"));
        // Low-cardinality labels only: no chat id, no token, no secret.
        Assert.DoesNotContain(user.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Telegram.Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ShowsBacklogAndFailuresByReason_WhenBotApiRefuses()
    {
        await StartWebhookAsync();
        var blocked = new TelegramUser(5201);
        var limited = new TelegramUser(5202);
        Telegram.FailNextForChat(blocked.Id, FakeFault.BlockedByUser());
        Telegram.FailNextForChat(limited.Id, FakeFault.TooManyRequests(1));
        await Db.ExecuteAsync(
            "INSERT INTO outbox (channel, chat_id, body, next_attempt_at) VALUES ('telegram', '5299', '{\"text\":\"later\"}', now() + interval '1 hour')");

        await SendAsync(TelegramUpdates.Text(blocked.Id, "/start"));
        await SendAsync(TelegramUpdates.Text(limited.Id, "/start"));
        await NextMessageAsync(limited); // delivered after the 429's pause
        await EventuallyAsync(() => CountAsync("SELECT count(*) FROM outbox WHERE status IN ('sent', 'undeliverable')"), n => n == 2,
            "both replies to be recorded");
        var text = await MetricsAsync();

        Assert.Equal(1, MetricsText.Value(text, "consultbot_send_failures_total", "channel=\"telegram\"", "reason=\"unreachable\""));
        Assert.Equal(1, MetricsText.Value(text, "consultbot_messages_sent_total", "channel=\"telegram\""));
        Assert.True(Telegram.TooManyRequestsCount >= 1);
        Assert.Equal(Telegram.TooManyRequestsCount, MetricsText.Value(text, "consultbot_send_failures_total", "channel=\"telegram\"", "reason=\"rate_limited\""));
        Assert.Equal(Telegram.TooManyRequestsCount, MetricsText.Value(text, "consultbot_rate_limited_total", "channel=\"telegram\""));
        Assert.Equal(0, MetricsText.Value(text, "consultbot_send_failures_total", "channel=\"telegram\"", "reason=\"transient\""));
        Assert.Equal(1, MetricsText.Value(text, "consultbot_outbox_pending_rows"));
        Assert.True(MetricsText.Value(text, "consultbot_outbox_oldest_pending_age_seconds") >= 0);
    }

    [Fact]
    public async Task Metrics_Returns403_WhenRequestCameThroughAProxy()
    {
        await StartWebhookAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, OperationsExtensions.MetricsPath);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await HostClient.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task OutboxRows_CarryCorrelationIdOfTheirUpdate_WhenUpdateIsProcessed()
    {
        await StartWebhookAsync();
        var user = new TelegramUser(5301);
        using (var response = await PostWebhookAsync(TelegramUpdates.Text(user.Id, "/start").WithUpdateId(820_001).ToJsonString(), WebhookSecret))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await NextMessageAsync(user);

        Assert.Equal(["telegram:820001"], await CorrelationIdsAsync(user.Id));
    }

    [Fact]
    public async Task Webhook_Answers503WithReasonAndStoresNothing_WhenRequestArrivesWhileHostIsStopping()
    {
        // Registered last, so stopped first: while it holds the stop, shutdown has begun and Kestrel still listens.
        var gate = new StopGate();
        TestServices = services => services.AddSingleton<IHostedService>(gate);
        await StartWebhookAsync();
        var late = new TelegramUser(5402);

        HttpStatusCode status;
        string? retryAfter;
        string reason;
        try
        {
            Host!.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication(); // what SIGTERM does
            await gate.Reached.Task.WaitAsync(Patience);
            using var refused = await PostWebhookAsync(TelegramUpdates.Text(late.Id, "/start").WithUpdateId(830_002).ToJsonString(), WebhookSecret);
            status = refused.StatusCode;
            retryAfter = refused.Headers.RetryAfter?.ToString();
            reason = await refused.Content.ReadAsStringAsync();
        }
        finally
        {
            gate.Release();
        }
        await StopHostAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("5", retryAfter);
        Assert.Equal(OperationsExtensions.StoppingReason, reason);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM processed_updates WHERE update_id = '830002'"));
        Assert.Empty(await CorrelationIdsAsync(late.Id));
    }

    [Fact]
    public async Task Stop_FinishesAndCommitsWebhookUpdateInFlightWhole_WhileKestrelDrains()
    {
        await StartWebhookAsync(new Dictionary<string, string?> { ["Operations:ShutdownTimeoutSeconds"] = "60" });
        var user = new TelegramUser(5401);
        await SendAsync(TelegramUpdates.Text(user.Id, "/start"));
        var consent = await NextMessageAsync(user);
        // Accepting the consent writes three things in one transaction: the dedupe mark, the person, the next question.
        var accept = TelegramUpdates.Callback(user.Id, consent.Button(Ru.ConsentAccept).CallbackData).WithUpdateId(830_001);
        await using var chatLock = await HoldChatLockAsync(user);
        // A client of its own: the factory disposes the clients it made when the host stops.
        using var telegramSide = new HttpClient { BaseAddress = Host!.BaseAddress };
        var inFlight = telegramSide.SendAsync(WebhookRequest(accept.ToJsonString()));
        await WaitForLockWaiterAsync();

        Host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication(); // what SIGTERM does
        // Kestrel stops listening, then waits for the requests in flight: once a new connection is refused the host is
        // draining, and only then may the update go on.
        await EventuallyAsync(() => ConnectionRefusedAsync(Host.BaseAddress), refused => refused, "Kestrel to stop listening");
        Assert.False(inFlight.IsCompleted);
        await chatLock.ReleaseAsync();
        using var response = await inFlight;
        await StopHostAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates WHERE update_id = '830001'"));
        Assert.NotNull(await PersonAsync(user));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox WHERE correlation_id = 'telegram:830001'"));
        // The reply went out while the host stopped or goes out at the next start: once either way.
        await StartWebhookAsync();
        Assert.Equal(Ru.ChooseRole, (await NextMessageAsync(user)).Text);
        await EventuallyAsync(() => CountAsync("SELECT count(*) FROM outbox WHERE status <> 'sent'"), n => n == 0, "the outbox to drain");
        Assert.Equal([Ru.Consent(SchoolName), Ru.ChooseRole], Telegram.MessagesTo(user.Id).Select(m => m.Text));
    }

    [Fact]
    public async Task Stop_CommitsPolledUpdateInFlightWhole_WhenPollingStops()
    {
        await StartPollingAsync();
        var user = new TelegramUser(5501);
        await using var chatLock = await HoldChatLockAsync(user);
        var id = Telegram.EnqueueUpdate(TelegramUpdates.Text(user.Id, "/start"));
        await WaitForLockWaiterAsync();

        // What the host does to the polling service on SIGTERM: its stopping token is cancelled at once.
        var bot = Host!.Services.GetRequiredService<TelegramBot>();
        var stopped = bot.StopAsync(CancellationToken.None);
        await chatLock.ReleaseAsync();
        await stopped;

        Assert.True(bot.ExecuteTask!.IsCompleted);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates WHERE update_id = @id",
            ("id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(["telegram:" + id], await CorrelationIdsAsync(user.Id));
    }

    [Fact]
    public async Task Webhook_StoresNothingAndHostGoesOn_WhenClientClosesConnectionMidBody()
    {
        await StartWebhookAsync();
        var torn = new TelegramUser(5601);
        var body = Encoding.UTF8.GetBytes(TelegramUpdates.Text(torn.Id, "/start").WithUpdateId(840_001).ToJsonString());

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, Host!.BaseAddress.Port);
            var stream = client.GetStream();
            var head = $"POST {TelegramWebhook.Path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                       $"Content-Length: {body.Length}\r\n{TelegramWebhook.SecretHeader}: {WebhookSecret}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2));
            await stream.FlushAsync();
            await EventuallyAsync(MetricsAsync, t => WebhookInProgress(t) == 1, "the torn request to reach the webhook");
        }
        await EventuallyAsync(MetricsAsync, t => WebhookInProgress(t) == 0, "the torn request to end");
        var next = new TelegramUser(5602);
        await SendAsync(TelegramUpdates.Text(next.Id, "/start"));
        await NextMessageAsync(next);

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM processed_updates WHERE update_id = '840001'"));
        Assert.Empty(await CorrelationIdsAsync(torn.Id));
        Assert.Empty(Telegram.MessagesTo(torn.Id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Webhook_Returns413AndStoresNothing_WhenBodyIs10Megabytes(bool chunked)
    {
        await StartWebhookAsync();
        var user = new TelegramUser(chunked ? 5703 : 5701);
        var huge = Encoding.UTF8.GetBytes(TelegramUpdates.Text(user.Id, new string('я', 5 * 1024 * 1024)).WithUpdateId(chunked ? 850_002 : 850_001).ToJsonString());
        Assert.True(huge.Length >= 10 * 1024 * 1024);

        var status = await PostRawAsync(TelegramWebhook.Path, huge, chunked, new Dictionary<string, string> { [TelegramWebhook.SecretHeader] = WebhookSecret });
        var next = new TelegramUser(5702);
        await SendAsync(TelegramUpdates.Text(next.Id, "/start"));
        await NextMessageAsync(next);

        Assert.Equal(413, status);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM processed_updates WHERE update_id IN ('850001', '850002')"));
        Assert.Empty(await CorrelationIdsAsync(user.Id));
    }

    /// <summary>
    /// Sends a large body the way a client that does not wait would: the headers, then the body (declared by Content-Length,
    /// or in 64 KB chunks) until the server answers, and returns the status code. The server may answer and close
    /// before the body is through, so it is sent on a raw socket and the answer is read as soon as it arrives.
    /// </summary>
    internal static async Task<int> PostRawAsync(Uri host, string path, byte[] body, bool chunked, IReadOnlyDictionary<string, string> headers)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Port);
        var stream = client.GetStream();
        var head = new StringBuilder($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n");
        head.Append(chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append($"{name}: {value}\r\n");
        }
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        var answer = ReadStatusAsync(stream);
        const int Chunk = 64 * 1024;
        try
        {
            for (var sent = 0; sent < body.Length && !answer.IsCompleted; sent += Chunk)
            {
                var part = body.AsMemory(sent, Math.Min(Chunk, body.Length - sent));
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{part.Length:X}\r\n"));
                    await stream.WriteAsync(part);
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }
                else
                {
                    await stream.WriteAsync(part);
                }
            }
        }
        catch (IOException)
        {
            // The server answered and closed while the body was still coming: the answer is what counts.
        }
        return await answer.WaitAsync(Patience);
    }

    private static async Task<int> ReadStatusAsync(NetworkStream stream)
    {
        var buffer = new byte[64];
        var read = 0;
        while (read < 12)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read));
            if (n == 0)
            {
                throw new IOException("the server closed the connection without an answer");
            }
            read += n;
        }
        // "HTTP/1.1 413 ..."
        return int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<int> PostRawAsync(string path, byte[] body, bool chunked, IReadOnlyDictionary<string, string> headers) =>
        PostRawAsync(Host!.BaseAddress, path, body, chunked, headers);

    /// <summary>Whether a new TCP connection to the host is refused (its listener closed).</summary>
    private static async Task<bool> ConnectionRefusedAsync(Uri host)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, host.Port);
            return false;
        }
        // Refused, or reset when the listening socket closed with this connection still in its backlog: either way
        // nothing listens any more.
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            return true;
        }
    }

    /// <summary>
    /// A hosted service that, when the host stops it, says so and waits for the test: the host has begun stopping
    /// (<see cref="IHostApplicationLifetime.ApplicationStopping"/>) and the services registered before it still run.
    /// </summary>
    private sealed class StopGate : IHostedService
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            Reached.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }
    }

    private static HttpRequestMessage WebhookRequest(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, TelegramWebhook.Path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(TelegramWebhook.SecretHeader, WebhookSecret);
        return request;
    }

    private static double? WebhookInProgress(string metrics) =>
        MetricsText.Value(metrics, "http_requests_in_progress", "endpoint=\"/telegram/webhook\"") ?? 0;

    private async Task<string> MetricsAsync() => await HostClient.GetStringAsync(OperationsExtensions.MetricsPath);

    private async Task<List<string?>> CorrelationIdsAsync(long chatId)
    {
        await using var command = Db.DataSource.CreateCommand(
            "SELECT DISTINCT correlation_id FROM outbox WHERE channel = 'telegram' AND chat_id = @chat");
        command.Parameters.AddWithValue("chat", chatId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var ids = new List<string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }
        return ids;
    }

    /// <summary>Takes the chat's advisory lock (as a concurrent update of the same chat would), so the host's update waits in its transaction.</summary>
    private async Task<ChatLock> HoldChatLockAsync(TelegramUser user)
    {
        var connection = await Db.DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@chat, 0))", connection);
        command.Parameters.AddWithValue("chat", "telegram:" + user.Key);
        await command.ExecuteNonQueryAsync();
        return new ChatLock(connection);
    }

    private Task WaitForLockWaiterAsync() => EventuallyAsync(
        () => CountAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'"),
        n => n == 1, "the update to wait for its chat's lock");

    private sealed class ChatLock(Npgsql.NpgsqlConnection connection) : IAsyncDisposable
    {
        public async Task ReleaseAsync()
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var command = new Npgsql.NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await ReleaseAsync();
            await connection.DisposeAsync();
        }
    }
}
