using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Messaging;

/// <summary>Who a message goes to: a known chat, or a person (delivered to their preferred messenger).</summary>
public readonly record struct Recipient
{
    public ChatAddress? Chat { get; private init; }
    public PersonId? Person { get; private init; }

    public static Recipient ToChat(ChatAddress chat) => new() { Chat = chat };
    public static Recipient ToPerson(PersonId person) => new() { Person = person };

    public override string ToString() => Chat is { } c ? $"{c.Channel.ToKey()}:{c.ChatId}" : $"person:{Person}";
}

/// <summary>A button under a message: a label and a compact payload (≤ 64 bytes) the bot gets back.</summary>
public sealed record Button(string Label, string Payload);

/// <summary>Rows of inline buttons.</summary>
public sealed record Keyboard(IReadOnlyList<IReadOnlyList<Button>> Rows)
{
    public static Keyboard Of(params IReadOnlyList<Button>[] rows) => new(rows);

    /// <summary>One button per row: the shape that reads best on a phone for choices with long labels.</summary>
    public static Keyboard Column(IEnumerable<Button> buttons) => new(buttons.Select(b => (IReadOnlyList<Button>)[b]).ToList());
}

/// <summary>A file sent with a message (a report): its name and its bytes. The message's text is its caption.</summary>
public sealed record OutgoingDocument(string FileName, byte[] Content);

/// <summary>A message the bot sends: text and optional buttons, optionally with a file (the text is then its caption).</summary>
public sealed record OutgoingMessage(Recipient To, string Text, Keyboard? Keyboard = null, OutgoingDocument? Document = null);
