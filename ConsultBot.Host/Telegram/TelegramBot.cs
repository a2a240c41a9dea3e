using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Conversations;
using ConsultBot.Host.Outbox;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ConsultBot.Host.Telegram;

/// <summary>
/// The Telegram side of the host: learns the bot's username, then either registers the webhook or long-polls.
/// Polling backs off on errors (1 s doubling to 30 s) and never spins; an update's offset is confirmed only
/// after it committed, so a crash re-reads it and the dedupe mark makes that harmless.
/// </summary>
public sealed partial class TelegramBot(
    TelegramClients clients,
    UpdatePipeline pipeline,
    EngineProvider engines,
    TelegramCallbackAnswerer answerer,
    IOptions<TelegramOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<TelegramBot> logger) : BackgroundService
{
    internal static readonly UpdateType[] AllowedUpdates =
        [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery, UpdateType.MyChatMember];

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            LogOff(logger);
            return;
        }
        var me = await RetryAsync("getMe", ct => clients.Sender.GetMe(ct), stoppingToken);
        if (me is null)
        {
            return;
        }
        engines.UseTelegramUsername(me.Username);
        if (o.UseWebhook)
        {
            await RetryAsync("setWebhook", async ct =>
            {
                await clients.Sender.SetWebhook(o.WebhookUrl!, secretToken: o.WebhookSecret, allowedUpdates: AllowedUpdates,
                    cancellationToken: ct);
                return true;
            }, stoppingToken);
            LogMode(logger, "webhook");
            return;
        }
        await RetryAsync("deleteWebhook", async ct =>
        {
            await clients.Sender.DeleteWebhook(cancellationToken: ct);
            return true;
        }, stoppingToken);
        LogMode(logger, "long polling");
        await PollAsync(o, stoppingToken);
    }

    private async Task PollAsync(TelegramOptions o, CancellationToken stoppingToken)
    {
        int? offset = null;
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var request = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                request.CancelAfter(TimeSpan.FromSeconds(o.PollingTimeoutSeconds + o.RequestTimeoutSeconds));
                var updates = await clients.Poller.GetUpdates(offset, 100, o.PollingTimeoutSeconds, AllowedUpdates, request.Token);
                if (updates.Length > 0)
                {
                    await ProcessAsync(updates, stoppingToken);
                    offset = updates.Max(u => u.Id) + 1;
                }
                backoff = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPollingError(logger, e.GetType().Name, backoff.TotalSeconds);
                await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Chats in parallel, each chat's updates in order.</summary>
    private Task ProcessAsync(Update[] updates, CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(updates.Select(TelegramUpdateMapper.Map).GroupBy(e => e.ChatId),
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
                    await HandleAsync(incoming, CancellationToken.None);
                }
            });

    /// <summary>
    /// Runs one update through the pipeline. Every button press is answered, ignored ones too (e.g. under a message
    /// in a group chat), or it keeps spinning: by a queued answerCallbackQuery here, or, when
    /// <paramref name="answerInResponse"/> is set (webhook), by the caller in its HTTP response.
    /// </summary>
    public async Task<PipelineResult> HandleAsync(IncomingEvent incoming, CancellationToken cancellationToken, bool answerInResponse = false)
    {
        var result = await pipeline.ProcessAsync(incoming, cancellationToken);
        if (!answerInResponse && incoming.CallbackId is { } id && result.Outcome != UpdateOutcome.Duplicate)
        {
            answerer.Enqueue(id, result.CallbackAnswer);
        }
        return result;
    }

    private async Task<T?> RetryAsync<T>(string method, Func<CancellationToken, Task<T>> call, CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                return await call(stoppingToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode is 401 or 404)
            {
                LogBadToken(logger, method, e.ErrorCode);
                lifetime.StopApplication();
                return default;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return default;
            }
            catch (Exception e)
            {
                LogStartupRetry(logger, method, e.GetType().Name, backoff.TotalSeconds);
                await Task.Delay(backoff, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
        return default;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram channel is off: Telegram__BotToken is not set")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram channel started in {Mode} mode")]
    private static partial void LogMode(ILogger logger, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram getUpdates failed ({Error}); retrying in {Seconds} s")]
    private static partial void LogPollingError(ILogger logger, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram {Method} failed ({Error}); retrying in {Seconds} s")]
    private static partial void LogStartupRetry(ILogger logger, string method, string error, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Telegram refused the bot token on {Method} ({Code}): check Telegram__BotToken. Stopping.")]
    private static partial void LogBadToken(ILogger logger, string method, int code);
}
