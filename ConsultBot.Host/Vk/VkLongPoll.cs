using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Vk;

/// <summary>
/// The VK side of the host. At start it checks the token (error 5 stops the host with a clear message). Without the
/// Callback API it runs the Bots Long Poll loop (https://dev.vk.com/ru/api/bots-long-poll/getting-started):
/// <c>a_check</c> with the last ts; <c>failed: 1</c> takes the new ts, <c>failed: 2</c> gets a new key, <c>failed: 3</c> a new
/// key and ts. The ts advances only after the events it covers committed, so a crash re-reads them and the dedupe
/// mark (event_id) makes that harmless. Errors back off from 1 s doubling to 30 s.
/// </summary>
public sealed partial class VkLongPoll(
    VkApiClient client,
    VkChannel channel,
    IOptions<VkOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<VkLongPoll> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            LogOff(logger);
            return;
        }
        if (o.UseCallback)
        {
            // A token check: users.get answers any valid token.
            if (await RetryAsync("users.get", async ct => await client.GetUsersAsync([1], ct), stoppingToken) is null)
            {
                return;
            }
            LogMode(logger, "Callback API", o.ApiVersion);
            return;
        }
        var server = await RetryAsync("groups.getLongPollServer", client.GetLongPollServerAsync, stoppingToken);
        if (server is null)
        {
            return;
        }
        LogMode(logger, "Bots Long Poll", o.ApiVersion);
        await PollAsync(server, o, stoppingToken);
    }

    private async Task PollAsync(VkLongPollServer server, VkOptions o, CancellationToken stoppingToken)
    {
        var ts = server.Ts;
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var answer = await client.CheckAsync(server, ts, o.LongPollWaitSeconds, stoppingToken);
                switch (answer.Failed)
                {
                    case null:
                        if (answer.Updates.Count > 0)
                        {
                            await ProcessAsync(answer.Updates, stoppingToken);
                        }
                        ts = answer.Ts!;
                        break;
                    case 1:
                        // The history is partly gone: go on from the ts VK gives.
                        LogFailed(logger, 1);
                        ts = answer.Ts ?? ts;
                        break;
                    case 2:
                        LogFailed(logger, 2);
                        var fresh = await client.GetLongPollServerAsync(stoppingToken);
                        server = fresh with { Ts = ts };
                        break;
                    default:
                        LogFailed(logger, answer.Failed.Value);
                        server = await client.GetLongPollServerAsync(stoppingToken);
                        ts = server.Ts;
                        break;
                }
                backoff = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (VkApiException e) when (e.IsAuthorisation)
            {
                LogBadToken(logger, e.Method, e.Code);
                lifetime.StopApplication();
                return;
            }
            catch (Exception e)
            {
                LogPollingError(logger, e is VkApiException api ? "VK error " + api.Code : e.GetType().Name, backoff.TotalSeconds);
                await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Chats in parallel, each chat's events in order.</summary>
    private Task ProcessAsync(IReadOnlyList<JsonObject> updates, CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(updates.Select(VkUpdateMapper.Map).GroupBy(e => e.ChatId),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = stoppingToken },
            async (chat, _) =>
            {
                foreach (var incoming in chat)
                {
                    // On shutdown no further update is started, but one already begun is not cancelled: its transaction
                    // commits whole (bounded by the host's shutdown timeout). The offset is not confirmed, so the rest
                    // are read again at the next start and the dedupe mark skips those that committed.
                    if (stoppingToken.IsCancellationRequested)
                    {
                        return;
                    }
                    await channel.HandleAsync(incoming, CancellationToken.None);
                }
            });

    private async Task<T?> RetryAsync<T>(string method, Func<CancellationToken, Task<T>> call, CancellationToken stoppingToken)
        where T : class
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                return await call(stoppingToken);
            }
            catch (VkApiException e) when (e.IsAuthorisation)
            {
                LogBadToken(logger, method, e.Code);
                lifetime.StopApplication();
                return null;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e)
            {
                LogStartupRetry(logger, method, e is VkApiException api ? "VK error " + api.Code : e.GetType().Name, backoff.TotalSeconds);
                await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "VK channel is off: Vk__GroupId and Vk__AccessToken are not set")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "VK channel started in {Mode} mode, API {Version}")]
    private static partial void LogMode(ILogger logger, string mode, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "VK long poll answered failed={Failed}; recovering as the API describes")]
    private static partial void LogFailed(ILogger logger, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VK long poll failed ({Error}); retrying in {Seconds} s")]
    private static partial void LogPollingError(ILogger logger, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "VK {Method} failed ({Error}); retrying in {Seconds} s")]
    private static partial void LogStartupRetry(ILogger logger, string method, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "VK refused the community token on {Method} (error {Code}, authorisation failed): check Vk__AccessToken and Vk__GroupId. Stopping.")]
    private static partial void LogBadToken(ILogger logger, string method, int code);
}
