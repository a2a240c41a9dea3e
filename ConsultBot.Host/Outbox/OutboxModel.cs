using System.Text.Json.Serialization;
using ConsultBot.Domain.Messaging;

namespace ConsultBot.Host.Outbox;

/// <summary>
/// What an outbox row carries: the text and the buttons, channel-neutral; with a <paramref name="Document"/> the text is
/// the file's caption.
/// </summary>
public sealed record MessageBody(
    string Text,
    Keyboard? Keyboard,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] MessageDocument? Document = null);

/// <summary>A file an outbox row delivers (a report): its name and content, kept in the row's JSON as base64 until it is sent.</summary>
public sealed record MessageDocument(string FileName, byte[] Content);

/// <summary>
/// A claimed outbox row on its way to a messenger. <paramref name="LeaseUntil"/> is the claim's token: results are
/// recorded only while the row still carries it, so a worker that lost its lease cannot overwrite a newer claim.
/// <paramref name="CorrelationId"/> is the update or job run that wrote it (logging only).
/// </summary>
public sealed record OutboxRow(long Id, Channel Channel, string ChatId, MessageBody Body, int Attempts, DateTimeOffset LeaseUntil,
    string? CorrelationId = null);

public enum SendOutcome
{
    Sent,
    /// <summary>The messenger asked to slow down: wait <see cref="SendResult.RetryAfter"/> for the whole channel.</summary>
    RateLimited,
    /// <summary>The person blocked the bot or never allowed messages: stop trying this recipient.</summary>
    Unreachable,
    /// <summary>Not tried: the chat must wait <see cref="SendResult.RetryAfter"/> for its own rate; the slot goes to another chat.</summary>
    Deferred,
    /// <summary>Worth another try later (5xx, timeout, malformed reply).</summary>
    Transient,
    /// <summary>The messenger refused the message itself (400): retrying will not help.</summary>
    Rejected,
}

public sealed record SendResult(SendOutcome Outcome, string? Reason = null, TimeSpan RetryAfter = default)
{
    public static readonly SendResult Ok = new(SendOutcome.Sent);
}

/// <summary>Delivers outbox rows to one messenger. One implementation per channel.</summary>
public interface IChannelSender
{
    Channel Channel { get; }

    /// <summary>False when the channel is not configured; its rows then wait for an instance that has it.</summary>
    bool Enabled { get; }

    /// <summary>Sends allowed per second for the whole channel (the bot or the community token).</summary>
    double MessagesPerSecond { get; }

    /// <summary>Sends allowed per second to one chat; 0 for no per-chat limit.</summary>
    double PerChatPerSecond { get; }

    /// <summary>How many messages one chat may receive back to back before the per-chat rate applies.</summary>
    int PerChatBurst { get; }

    Task<SendResult> SendAsync(OutboxRow row, CancellationToken cancellationToken);
}

/// <summary>Keeps a message within what the messengers accept, so a long list is delivered shortened rather than refused.</summary>
public static class MessageText
{
    /// <summary>Telegram's and VK's limit for one message, in characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>Telegram's limit for a document's caption, in characters.</summary>
    public const int MaxCaptionLength = 1024;

    /// <summary>The text, or its beginning with "…" when it is longer than <paramref name="max"/> (never splitting a surrogate pair).</summary>
    public static string Fit(string text, int max = MaxLength)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
