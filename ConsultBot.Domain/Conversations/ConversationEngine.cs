using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// Turns one incoming event into state changes (through the context's ports) and outgoing messages.
/// Never touches a messenger, the database or the clock directly.
/// </summary>
public sealed class ConversationEngine
{
    /// <summary>Longest text the bot reads (Telegram's own message limit).</summary>
    public const int MaxTextLength = 4096;

    private static readonly HashSet<string> AllowedWhileRegistering = ["start", "help", "lang", "cancel", "forget", "link"];

    private readonly EngineSettings _settings;
    private readonly TimeProvider _time;
    private readonly OnboardingFeature _onboarding;
    private readonly Dictionary<string, IConversationFeature> _byCommand = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IConversationFeature> _byVerb = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IConversationFeature> _byStep = new(StringComparer.Ordinal);
    private readonly List<IDocumentFeature> _documents = [];

    public ConversationEngine(EngineSettings settings, TimeProvider time, IEnumerable<IConversationFeature>? extraFeatures = null)
    {
        _settings = settings;
        _time = time;
        _onboarding = new OnboardingFeature();
        IConversationFeature[] features = [_onboarding, new ProfileFeature(), new AdminFeature(), new PublishFeature(), new SlotsFeature(),
            new OfficeHoursFeature(), new WorkloadFeature(), new BookingFeature(), new LessonsFeature(), new MaterialPostFeature(),
            new MaterialsFeature(), new TimetableImportFeature(), new SettingsFeature(), new LinkFeature(), new AnnouncementFeature(),
            new ReportFeature(), new QuestionsFeature(),
            new DirectoryFeature(), new DirectoryAdminFeature(), new PeopleFeature(), .. extraFeatures ?? []];
        foreach (var feature in features)
        {
            Register(_byCommand, feature.Commands, feature);
            Register(_byVerb, feature.Verbs, feature);
            Register(_byStep, feature.Steps, feature);
            if (feature is IDocumentFeature documents)
            {
                _documents.Add(documents);
            }
        }
    }

    public async Task<EngineResult> HandleAsync(IncomingEvent incoming, ConversationContext context, CancellationToken cancellationToken)
    {
        var turn = new Turn(incoming, context, _settings, _time.GetUtcNow(), cancellationToken);
        await DispatchAsync(turn).ConfigureAwait(false);
        if (turn.Person is { } person && !turn.PersonForgotten)
        {
            await context.People.SaveAsync(person, cancellationToken).ConfigureAwait(false);
        }
        return new EngineResult(turn.Messages, turn.CallbackAnswer, turn.PersonForgotten ? null : turn.Person?.Id);
    }

    private async Task DispatchAsync(Turn turn)
    {
        var ev = turn.Event;
        var ct = turn.CancellationToken;
        switch (ev.Kind)
        {
            case EventKind.Ignored:
                return;
            case EventKind.GroupMessage:
                if (await turn.Context.ChatNotices.FirstTimeAsync(ev.ReplyAddress, ct).ConfigureAwait(false))
                {
                    turn.Reply(turn.Texts.PrivateOnly);
                }
                return;
            case EventKind.Blocked or EventKind.Unblocked:
                await turn.Context.People.SetReachableAsync(ev.Channel, ev.SenderId, ev.Kind == EventKind.Unblocked, ct)
                    .ConfigureAwait(false);
                return;
        }

        turn.SetPerson(await turn.Context.People.FindByAccountAsync(ev.Channel, ev.SenderId, ct).ConfigureAwait(false));
        if (turn.Person is null)
        {
            await _onboarding.OnUnregisteredAsync(turn).ConfigureAwait(false);
            return;
        }
        if (turn.Person.Status == PersonStatus.Deactivated)
        {
            await OnDeactivatedAsync(turn).ConfigureAwait(false);
            return;
        }

        switch (ev.Kind)
        {
            case EventKind.Document when turn.RequirePerson.IsActive && ev.Document is { } document:
                foreach (var feature in _documents)
                {
                    if (await feature.OnDocumentAsync(turn, document).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                turn.Reply(turn.Texts.UnsupportedContent);
                return;
            case EventKind.Unsupported or EventKind.Document:
                turn.Reply(turn.Texts.UnsupportedContent);
                return;
            case EventKind.Edited:
                turn.Reply(turn.Texts.EditedMessage);
                return;
            case EventKind.Callback:
                await OnCallbackAsync(turn).ConfigureAwait(false);
                return;
            default:
                await OnTextAsync(turn, ev.Text ?? string.Empty).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// A person the school switched off gets only whom to contact, whatever they write or press; nothing else runs,
    /// so nothing changes. Erasing their own data (/forget and its confirmation) stays open to them: that right
    /// (152-FZ) does not depend on the school's switch.
    /// </summary>
    private async Task OnDeactivatedAsync(Turn turn)
    {
        var ev = turn.Event;
        if (ev.Kind == EventKind.Text && ev.Text?.Trim() is { } text && text.StartsWith('/') && ParseCommand(text).Command == "forget")
        {
            await OnCommandAsync(turn, text).ConfigureAwait(false);
            return;
        }
        if (ev.Kind == EventKind.Callback)
        {
            if (CallbackPayload.TryParse(ev.CallbackData) is { Verb: ProfileFeature.ForgetVerb })
            {
                await OnCallbackAsync(turn).ConfigureAwait(false);
                return;
            }
            turn.CallbackAnswer = turn.Texts.DeactivatedShort;
            return;
        }
        var contacts = await turn.Context.Directory.ContactsAsync(turn.CancellationToken).ConfigureAwait(false);
        turn.Reply(turn.Texts.DeactivatedNotice(contacts));
    }

    private async Task OnCallbackAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var payload = CallbackPayload.TryParse(turn.Event.CallbackData);
        if (payload is null || !_byVerb.TryGetValue(payload.Verb, out var feature))
        {
            turn.CallbackAnswer = turn.Texts.ButtonInvalid;
            return;
        }
        if (payload.Version != 0 && payload.Version != person.Dialog.Version)
        {
            turn.CallbackAnswer = turn.Texts.ButtonStale;
            return;
        }
        if (!person.IsActive && feature != _onboarding && feature is not ProfileFeature and not LinkFeature)
        {
            turn.CallbackAnswer = turn.Texts.FinishRegistrationFirst;
            return;
        }
        if (payload.Version == 0)
        {
            LeaveOpenStep(person);
        }
        await feature.OnCallbackAsync(turn, payload).ConfigureAwait(false);
    }

    private async Task OnTextAsync(Turn turn, string raw)
    {
        var person = turn.RequirePerson;
        if (raw.Length > MaxTextLength && !AnswersLongText(person))
        {
            turn.Reply(turn.Texts.TooLongMessage(MaxTextLength));
            return;
        }
        var text = raw.Trim();
        if (TextInput.Normalize(text).Length == 0)
        {
            turn.Reply(turn.Texts.EmptyMessage);
            return;
        }
        if (text.StartsWith('/'))
        {
            await OnCommandAsync(turn, text).ConfigureAwait(false);
            return;
        }
        if (person.Dialog.Step is { } step && _byStep.TryGetValue(step, out var feature))
        {
            await feature.OnTextAsync(turn, step, text).ConfigureAwait(false);
            return;
        }
        if (!person.IsActive)
        {
            await OnboardingFeature.RepromptAsync(turn).ConfigureAwait(false);
            return;
        }
        turn.Reply(turn.Texts.NotUnderstood, Menus.For(turn));
    }

    private async Task OnCommandAsync(Turn turn, string text)
    {
        var (command, mention, argument) = ParseCommand(text);
        if (mention is not null && !string.Equals(mention, _settings.TelegramBotUsername, StringComparison.OrdinalIgnoreCase))
        {
            turn.Reply(turn.Texts.CommandForOtherBot);
            return;
        }
        if (!_byCommand.TryGetValue(command, out var feature))
        {
            turn.Reply(turn.Texts.UnknownCommand);
            return;
        }
        var person = turn.RequirePerson;
        if (!person.IsActive && !AllowedWhileRegistering.Contains(command))
        {
            turn.Reply(turn.Texts.FinishRegistrationFirst);
            await OnboardingFeature.RepromptAsync(turn).ConfigureAwait(false);
            return;
        }
        LeaveOpenStep(person);
        await feature.OnCommandAsync(turn, command, argument).ConfigureAwait(false);
    }

    private bool AnswersLongText(Person person) =>
        person.Dialog.Step is { } step && _byStep.TryGetValue(step, out var feature) && feature is ILongTextSteps steps && steps.AnswersLongText(step);

    /// <summary>
    /// A registered person who types a command or presses a menu button has left whatever they were typing into
    /// (a class name, a child's code): the step ends, so later text is not taken as its answer. Registration keeps
    /// its step; /cancel ends it itself.
    /// </summary>
    private static void LeaveOpenStep(Person person)
    {
        if (person.IsActive && person.Dialog.Step is not null)
        {
            person.EndDialog();
        }
    }

    /// <summary>"/start@Bot payload" → ("start", "Bot", "payload").</summary>
    internal static (string Command, string? Mention, string Argument) ParseCommand(string text)
    {
        var space = text.IndexOfAny([' ', '\n', '\t']);
        var head = space < 0 ? text[1..] : text[1..space];
        var argument = space < 0 ? string.Empty : text[(space + 1)..].Trim();
        var at = head.IndexOf('@', StringComparison.Ordinal);
        var mention = at < 0 ? null : head[(at + 1)..];
        var command = (at < 0 ? head : head[..at]).ToLowerInvariant();
        return (command, mention, argument);
    }

    private static void Register(Dictionary<string, IConversationFeature> map, IEnumerable<string> keys, IConversationFeature feature)
    {
        foreach (var key in keys)
        {
            if (!map.TryAdd(key, feature))
            {
                throw new InvalidOperationException($"'{key}' is declared by two conversation features");
            }
        }
    }
}
