namespace ConsultBot.Domain.Messaging;

/// <summary>What kind of thing arrived from a messenger, after the channel adapter normalised it.</summary>
public enum EventKind
{
    /// <summary>Plain text (commands included) in a private chat.</summary>
    Text,
    /// <summary>An inline button was pressed.</summary>
    Callback,
    /// <summary>A sticker, photo, voice, location, contact... in a private chat.</summary>
    Unsupported,
    /// <summary>A file (document) in a private chat; <see cref="IncomingEvent.Document"/> says which.</summary>
    Document,
    /// <summary>A message edited after it was sent.</summary>
    Edited,
    /// <summary>Anything written in a group or supergroup chat.</summary>
    GroupMessage,
    /// <summary>The person blocked the bot (Telegram my_chat_member "kicked", VK message_deny).</summary>
    Blocked,
    /// <summary>The person unblocked the bot or allowed messages again.</summary>
    Unblocked,
    /// <summary>Something the bot has nothing to say to (channel posts, service updates).</summary>
    Ignored,
}

/// <summary>
/// One update from any channel in a channel-neutral shape. <see cref="UpdateId"/> is unique per channel
/// and is what makes processing idempotent.
/// </summary>
public sealed record IncomingEvent
{
    public required Channel Channel { get; init; }
    public required string UpdateId { get; init; }
    public required EventKind Kind { get; init; }
    /// <summary>The sender's id in the channel (Telegram user id, VK user id, playground user key).</summary>
    public required string SenderId { get; init; }
    /// <summary>Where replies go (the private chat, or the group chat for <see cref="EventKind.GroupMessage"/>).</summary>
    public required string ChatId { get; init; }
    public string? Text { get; init; }
    public string? CallbackData { get; init; }
    /// <summary>The channel's id of a button press, so the adapter can stop the button spinning.</summary>
    public string? CallbackId { get; init; }
    /// <summary>The sender's interface language as the messenger reports it (e.g. "en", "ru").</summary>
    public string? LanguageCode { get; init; }
    /// <summary>What the unsupported content was ("sticker", "photo"...), for logs only.</summary>
    public string? ContentType { get; init; }
    /// <summary>The file of a <see cref="EventKind.Document"/>.</summary>
    public Attachment? Document { get; init; }

    public ChatAddress ReplyAddress => new(Channel, ChatId);
}

/// <summary>A chat in a channel that messages can be delivered to.</summary>
public readonly record struct ChatAddress(Channel Channel, string ChatId);
