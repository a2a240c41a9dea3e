using System.Threading.Channels;
using Telegram.Bot;

namespace ConsultBot.Host.Telegram;

/// <summary>
/// Answers callback queries right after the update commits, off the request path. Not an outbox row: the answer
/// only stops the button's spinner and expires within seconds, so a retry later would be worthless
/// (docs/decisions/001-callback-answers-outside-outbox.md).
/// </summary>
public sealed partial class TelegramCallbackAnswerer(TelegramClients clients, Microsoft.Extensions.Options.IOptions<TelegramOptions> options,
    ILogger<TelegramCallbackAnswerer> logger)
    : BackgroundService
{
    private readonly Channel<(string Id, string? Text)> _queue =
        Channel.CreateBounded<(string, string?)>(new BoundedChannelOptions(10_000)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
        });

    public void Enqueue(string callbackId, string? text) => _queue.Writer.TryWrite((callbackId, text));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Value.Enabled ? Task.CompletedTask :
        Parallel.ForEachAsync(_queue.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stoppingToken },
            async (item, ct) =>
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(TimeSpan.FromSeconds(10));
                    await clients.Sender.AnswerCallbackQuery(item.Id, string.IsNullOrEmpty(item.Text) ? null : item.Text,
                        cancellationToken: timeout.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogFailed(logger, e.GetType().Name);
                }
            });

    [LoggerMessage(Level = LogLevel.Information, Message = "A callback query was not answered ({Error}); the button spins until Telegram gives up")]
    private static partial void LogFailed(ILogger logger, string error);
}
