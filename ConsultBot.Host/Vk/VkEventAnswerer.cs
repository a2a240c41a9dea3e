using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Vk;

/// <summary>
/// Answers callback buttons (messages.sendMessageEventAnswer) right after the event commits, off the request path,
/// as Telegram's answers are: the answer only stops the spinner and expires within seconds, so it is not an outbox row
/// (docs/decisions/001-callback-answers-outside-outbox.md).
/// </summary>
public sealed partial class VkEventAnswerer(VkApiClient client, IOptions<VkOptions> options, TimeProvider time, ILogger<VkEventAnswerer> logger)
    : BackgroundService
{
    /// <summary>
    /// VK accepts an answer for a minute after the press; an older one would only spend the token's requests that
    /// the replies need (answers and sends share one limit), so it is dropped.
    /// </summary>
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(50);

    private readonly Channel<(string EventId, long UserId, long PeerId, string? Text, long Queued)> _queue =
        Channel.CreateBounded<(string, long, long, string?, long)>(new BoundedChannelOptions(10_000)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
        });

    public void Enqueue(string eventId, string userId, string peerId, string? text) =>
        _queue.Writer.TryWrite((eventId, ParseOrZero(userId), ParseOrZero(peerId), text, time.GetTimestamp()));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !options.Value.Enabled ? Task.CompletedTask :
        Parallel.ForEachAsync(_queue.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stoppingToken },
            async (item, ct) =>
            {
                if (time.GetElapsedTime(item.Queued) > MaxAge)
                {
                    return;
                }
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(TimeSpan.FromSeconds(10));
                    await client.SendMessageEventAnswerAsync(item.EventId, item.UserId, item.PeerId, item.Text, timeout.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogFailed(logger, e is VkApiException api ? "VK error " + api.Code.ToString(CultureInfo.InvariantCulture) : e.GetType().Name);
                }
            });

    private static long ParseOrZero(string s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "A VK button press was not answered ({Error}); the button spins until VK gives up")]
    private static partial void LogFailed(ILogger logger, string error);
}
