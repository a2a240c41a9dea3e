using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Conversations;

/// <summary>Everything one update needs while it is being handled, and what it produces.</summary>
public sealed class Turn
{
    private readonly List<OutgoingMessage> _messages = [];

    internal Turn(IncomingEvent incoming, ConversationContext context, EngineSettings settings, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        Event = incoming;
        Context = context;
        Settings = settings;
        Now = now;
        CancellationToken = cancellationToken;
        Texts = TextCatalog.For(LanguageCodes.FromMessenger(incoming.LanguageCode));
    }

    public IncomingEvent Event { get; }
    public ConversationContext Context { get; }
    public EngineSettings Settings { get; }
    public DateTimeOffset Now { get; }
    public CancellationToken CancellationToken { get; }

    /// <summary>The person behind the sender's account; null before consent.</summary>
    public Person? Person { get; private set; }

    /// <summary>Texts in the language of the person (or of the messenger before registration).</summary>
    public ITexts Texts { get; private set; }

    /// <summary>Set when the person's data was erased in this turn, so nothing is saved back.</summary>
    public bool PersonForgotten { get; set; }

    /// <summary>The short answer shown on a pressed button (Telegram's callback answer).</summary>
    public string? CallbackAnswer { get; set; }

    public IReadOnlyList<OutgoingMessage> Messages => _messages;

    public Person RequirePerson => Person ?? throw new InvalidOperationException("No person in this turn");

    internal void SetPerson(Person? person)
    {
        Person = person;
        if (person is not null)
        {
            Texts = TextCatalog.For(person.Language);
        }
    }

    internal void UseLanguage(Language language) => Texts = TextCatalog.For(language);

    /// <summary>Replies in the chat the update came from.</summary>
    public void Reply(string text, Keyboard? keyboard = null) =>
        _messages.Add(new OutgoingMessage(Recipient.ToChat(Event.ReplyAddress), text, keyboard));

    /// <summary>Replies in the chat the update came from with a file; <paramref name="caption"/> is shown with it.</summary>
    public void ReplyDocument(string caption, OutgoingDocument document) =>
        _messages.Add(new OutgoingMessage(Recipient.ToChat(Event.ReplyAddress), caption, null, document));

    /// <summary>Sends to a particular chat of the person (another of their messengers), bypassing the preferred one.</summary>
    public void SendTo(ChatAddress chat, string text, Keyboard? keyboard = null) =>
        _messages.Add(new OutgoingMessage(Recipient.ToChat(chat), text, keyboard));

    /// <summary>Sends to another person, in their language, through their preferred messenger.</summary>
    public void Notify(Person to, Func<ITexts, string> text) =>
        _messages.Add(new OutgoingMessage(Recipient.ToPerson(to.Id), text(TextCatalog.For(to.Language))));

    /// <summary>Sends to a person known only by id and language (a listener of a class), through their preferred messenger.</summary>
    public void Notify(PersonId to, Language language, Func<ITexts, string> text) =>
        _messages.Add(new OutgoingMessage(Recipient.ToPerson(to), text(TextCatalog.For(language))));

    /// <summary>Sends to another person with buttons, both in the person's language, through their preferred messenger.</summary>
    public void Notify(PersonId to, Language language, Func<ITexts, string> text, Func<ITexts, Keyboard> keyboard)
    {
        var texts = TextCatalog.For(language);
        _messages.Add(new OutgoingMessage(Recipient.ToPerson(to), text(texts), keyboard(texts)));
    }

    /// <summary>A button bound to the current dialog step: pressing it after the step changed is refused as stale.</summary>
    public Button StepButton(string label, string verb, params string[] args) =>
        CallbackPayload.Button(label, verb, RequirePerson.Dialog.Version, args);

    /// <summary>A button valid at any time (menus); its arguments are re-checked when pressed.</summary>
    public static Button MenuButton(string label, string verb, params string[] args) =>
        CallbackPayload.Button(label, verb, 0, args);
}

/// <summary>What handling one update produced; <paramref name="SenderPerson"/> is the registered sender, if any.</summary>
public sealed record EngineResult(IReadOnlyList<OutgoingMessage> Messages, string? CallbackAnswer, PersonId? SenderPerson = null);
