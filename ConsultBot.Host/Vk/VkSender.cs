using System.Globalization;
using System.Text.Json;
using ConsultBot.Host.Outbox;
using Microsoft.Extensions.Options;
using Channel = ConsultBot.Domain.Messaging.Channel;

namespace ConsultBot.Host.Vk;

/// <summary>
/// Sends outbox rows with messages.send (a row with a file: uploaded as a document and attached, the text as its
/// caption) and maps VK's answers to outbox outcomes. A row whose keyboard is larger than
/// VK's inline limit goes out as several messages (the text first, then the further pages of buttons); each carries a
/// <c>random_id</c> derived from the row id and the page, so a retried row is dropped by VK for the pages already sent.
/// </summary>
public sealed class VkSender(VkApiClient client, IOptions<VkOptions> options) : IChannelSender
{
    /// <summary>Pages one row may need; more buttons than this means a dialog is wrong, not a reason to flood a chat.</summary>
    public const int MaxPages = 16;

    /// <summary>The text of the second and later pages: VK does not send a keyboard without text.</summary>
    public const string ContinuationText = "…";

    public Channel Channel => Channel.Vk;
    public bool Enabled => options.Value.Enabled;
    public double MessagesPerSecond => options.Value.RequestsPerSecond;

    /// <summary>VK limits the community token, not each chat; the token's limit is kept by the lane's limiter.</summary>
    public double PerChatPerSecond => 0;
    public int PerChatBurst => 1;

    public async Task<SendResult> SendAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        if (!long.TryParse(row.ChatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var peerId))
        {
            return new SendResult(SendOutcome.Rejected, "peer id is not a number");
        }
        var pages = VkKeyboards.Render(row.Body.Keyboard);
        if (pages.Count > MaxPages)
        {
            return new SendResult(SendOutcome.Rejected, $"{pages.Count} keyboard pages");
        }
        try
        {
            // A file is uploaded again on a retry (VK has no idempotent upload); the message itself keeps its random_id.
            var attachment = row.Body.Document is { } document
                ? await client.UploadDocumentAsync(peerId, document.FileName, document.Content, cancellationToken)
                : null;
            var count = Math.Max(1, pages.Count);
            for (var page = 0; page < count; page++)
            {
                await client.SendMessageAsync(peerId, page == 0 ? MessageText.Fit(row.Body.Text) : ContinuationText,
                    page < pages.Count ? pages[page] : null, RandomId(row.Id, page), page == 0 ? attachment : null,
                    cancellationToken);
            }
            return SendResult.Ok;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Classify(e);
        }
    }

    /// <summary>
    /// VK keeps random_id as a 32-bit number and remembers it for a while per peer; the row id and page fit in it for
    /// two billion rows before wrapping, long after VK forgot the first.
    /// </summary>
    internal static long RandomId(long rowId, int page) => ((rowId * MaxPages) + page) % int.MaxValue;

    internal static SendResult Classify(Exception e) => e switch
    {
        VkApiException { IsRateLimit: true } api => new SendResult(SendOutcome.RateLimited, Reason(api), TimeSpan.FromSeconds(1)),
        VkApiException { IsUnreachable: true } api => new SendResult(SendOutcome.Unreachable, Reason(api)),
        // 5: the token was revoked while running; 1 and 10: VK failed on its side (an outage answers them to every
        // call for minutes). All may pass and none is the message's fault: retried within Outbox:MaxAttempts, not failed.
        VkApiException api when api.IsAuthorisation || api.IsServerSide => new SendResult(SendOutcome.Transient, Reason(api)),
        VkApiException api => new SendResult(SendOutcome.Rejected, Reason(api)),
        OperationCanceledException => new SendResult(SendOutcome.Transient, "timeout"),
        VkMalformedResponseException or JsonException => new SendResult(SendOutcome.Transient, "malformed response"),
        HttpRequestException http => new SendResult(SendOutcome.Transient,
            http.StatusCode is { } status ? "HTTP " + (int)status : "HttpRequestException"),
        _ => new SendResult(SendOutcome.Transient, e.GetType().Name),
    };

    private static string Reason(VkApiException api) => api.Code.ToString(CultureInfo.InvariantCulture) + " " + api.ErrorMessage;
}
