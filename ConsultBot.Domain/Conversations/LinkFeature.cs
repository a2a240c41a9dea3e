using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// One person, several messengers. <c>/link</c> in a messenger the person uses shows a short-lived one-time code; in
/// the other messenger, a sender who is not registered there sends <c>/link CODE</c> (the consent screen says how),
/// confirms, and that account is attached to the same person. Nothing is stored about the new sender before the code
/// is redeemed: the confirmation button carries the code, and the person already consented from the first messenger.
/// The preferred messenger and detaching are offered in /settings (buttons of this feature).
/// </summary>
internal sealed class LinkFeature : IConversationFeature
{
    /// <summary>Preferred messenger and detaching, from /settings.</summary>
    public const string Verb = "lk";
    /// <summary>Confirmation buttons in the new messenger: accept (carries the code) and decline.</summary>
    public const string AcceptVerb = "la";
    public const string DeclineVerb = "ld";
    /// <summary>The consent screen's "I already use the bot elsewhere" button.</summary>
    public const string HowToVerb = "lh";

    public IReadOnlyCollection<string> Commands { get; } = ["link"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb, AcceptVerb, DeclineVerb, HowToVerb];
    public IReadOnlyCollection<string> Steps { get; } = [];

    /// <summary>/link from a registered person: a new code, or refusal of a code typed here (this account is already someone).</summary>
    public async Task OnCommandAsync(Turn turn, string command, string argument)
    {
        var person = turn.RequirePerson;
        if (!person.IsActive)
        {
            // Consented here but not registered yet: this messenger can still join the person's profile.
            await OnUnregisteredLinkAsync(turn, argument).ConfigureAwait(false);
            return;
        }
        if (argument.Length == 0)
        {
            var code = OneTimeCode.Generate();
            var lifetime = turn.Settings.AccountLinkLifetime;
            await turn.Context.Codes.CreateAsync(CodeKind.AccountLink, code, person.Id, person.Id, turn.Now + lifetime, turn.CancellationToken)
                .ConfigureAwait(false);
            turn.Reply(turn.Texts.LinkCodeIssued(OneTimeCode.Display(code), (int)Math.Round(lifetime.TotalMinutes)));
            return;
        }
        await RefuseCodeFromRegisteredAsync(turn, argument).ConfigureAwait(false);
    }

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        turn.CallbackAnswer = string.Empty;
        if (!turn.RequirePerson.IsActive)
        {
            if (payload.Verb == Verb)
            {
                turn.CallbackAnswer = turn.Texts.FinishRegistrationFirst;
                return;
            }
            await OnUnregisteredCallbackAsync(turn, payload).ConfigureAwait(false);
            return;
        }
        switch (payload.Verb)
        {
            case AcceptVerb:
                await RefuseCodeFromRegisteredAsync(turn, payload.Arg(0)).ConfigureAwait(false);
                return;
            case DeclineVerb:
                turn.Reply(turn.Texts.LinkDeclined);
                return;
            case HowToVerb:
                turn.CallbackAnswer = turn.Texts.AlreadyRegistered;
                return;
        }
        await ManageAsync(turn, payload).ConfigureAwait(false);
    }

    public Task OnTextAsync(Turn turn, string step, string text) => Task.CompletedTask;

    /// <summary>
    /// A registered sender typed a link code (or pressed an old confirmation): this account already belongs to a
    /// person, so it cannot be attached to anyone. Unknown codes count as wrong attempts.
    /// </summary>
    private static async Task RefuseCodeFromRegisteredAsync(Turn turn, string text)
    {
        var person = turn.RequirePerson;
        if (await CodeAttempts.ExhaustedAsync(turn).ConfigureAwait(false))
        {
            turn.Reply(turn.Texts.TooManyAttempts);
            return;
        }
        var found = OneTimeCode.Normalize(text) is { } code
            ? await turn.Context.Codes.FindAsync(CodeKind.AccountLink, code, turn.Now, turn.CancellationToken).ConfigureAwait(false)
            : null;
        if (found is null)
        {
            turn.Reply(await CodeAttempts.RejectAsync(turn).ConfigureAwait(false) ? turn.Texts.TooManyAttempts : turn.Texts.LinkCodeWrong);
            return;
        }
        turn.Reply(found.Owner == person.Id ? turn.Texts.LinkOwnCode : turn.Texts.LinkAccountTaken);
    }

    /// <summary><c>/link [CODE]</c> from a sender who is not registered in this messenger (or has not finished registering).</summary>
    public static async Task OnUnregisteredLinkAsync(Turn turn, string argument)
    {
        if (argument.Length == 0)
        {
            turn.Reply(turn.Texts.LinkAskCode);
            return;
        }
        if (await AccountCodeAttempts.ExhaustedAsync(turn).ConfigureAwait(false))
        {
            turn.Reply(turn.Texts.TooManyAttempts);
            return;
        }
        var code = OneTimeCode.Normalize(argument);
        var owner = await CheckCodeAsync(turn, code).ConfigureAwait(false);
        if (owner is null)
        {
            return;
        }
        turn.Reply(turn.Texts.LinkConfirm(owner.FullName ?? string.Empty), Keyboard.Of(
            [Turn.MenuButton(turn.Texts.LinkYes, AcceptVerb, code!), Turn.MenuButton(turn.Texts.LinkNo, DeclineVerb)]));
    }

    /// <summary>The confirmation buttons pressed by a sender who is not registered in this messenger.</summary>
    public static async Task OnUnregisteredCallbackAsync(Turn turn, CallbackPayload payload)
    {
        turn.CallbackAnswer = string.Empty;
        switch (payload.Verb)
        {
            case HowToVerb:
                if (turn.Person is null)
                {
                    turn.UseLanguage(LanguageCodes.Parse(payload.Arg(0)));
                }
                turn.Reply(turn.Texts.LinkHowTo);
                return;
            case DeclineVerb:
                turn.Reply(turn.Texts.LinkDeclined);
                return;
        }
        if (await AccountCodeAttempts.ExhaustedAsync(turn).ConfigureAwait(false))
        {
            // The confirm button carries the code: a forged press is a guess like a typed one, and counts the same.
            turn.CallbackAnswer = turn.Texts.TooManyAttempts;
            turn.Reply(turn.Texts.TooManyAttempts);
            return;
        }
        var code = OneTimeCode.Normalize(payload.Arg(0));
        var owner = await CheckCodeAsync(turn, code).ConfigureAwait(false);
        if (owner is null)
        {
            return;
        }
        var ev = turn.Event;
        var ct = turn.CancellationToken;
        if (await turn.Context.Codes.RedeemAsync(CodeKind.AccountLink, code!, owner.Id, turn.Now, ct).ConfigureAwait(false) is null)
        {
            // Used or expired between the question and the answer.
            turn.Reply(turn.Texts.LinkCodeUsed);
            return;
        }
        var others = await turn.Context.People.AccountsAsync(owner.Id, ct).ConfigureAwait(false);
        var replacing = turn.Person is not null;
        if (turn.Person is { } unfinished)
        {
            // The sender had consented here and started registering: that empty registration gives way to the
            // existing person, so there is still one person (its row stays only as an anonymous id).
            await turn.Context.People.ForgetAsync(unfinished.Id, ct).ConfigureAwait(false);
            await turn.Context.Audit.WriteAsync("registration-replaced-by-link", unfinished.Id, owner.Id, ct).ConfigureAwait(false);
        }
        if (!await turn.Context.People.AttachAccountAsync(owner.Id, ev.Channel, ev.SenderId, ev.ChatId, ct).ConfigureAwait(false))
        {
            // This account was registered in the meantime.
            turn.PersonForgotten = replacing;
            turn.Reply(turn.Texts.LinkAccountTaken);
            return;
        }
        await turn.Context.Audit.WriteAsync("account-linked", owner.Id, owner.Id, ct).ConfigureAwait(false);
        turn.SetPerson(owner);
        turn.Reply(turn.Texts.LinkDone(owner.FullName ?? string.Empty, ev.Channel));
        foreach (var account in others)
        {
            turn.SendTo(account.Address, turn.Texts.LinkDoneElsewhere(ev.Channel));
        }
        Menus.Show(turn);
    }

    /// <summary>
    /// The person a link code attaches to, locked for the turn, or null after replying why not. Wrong codes count
    /// towards the attempt limit; expired and used ones get their own answer.
    /// </summary>
    private static async Task<Person?> CheckCodeAsync(Turn turn, string? code)
    {
        var t = turn.Texts;
        var ct = turn.CancellationToken;
        var found = code is null ? null : await turn.Context.Codes.FindAsync(CodeKind.AccountLink, code, turn.Now, ct).ConfigureAwait(false);
        var owner = found?.Owner is { } id ? await turn.Context.People.GetAsync(id, ct).ConfigureAwait(false) : null;
        if (found is null || owner is null || !owner.IsActive)
        {
            turn.Reply(await AccountCodeAttempts.RejectAsync(turn).ConfigureAwait(false) ? t.TooManyAttempts : t.LinkCodeWrong);
            return null;
        }
        if (found.Used || found.Expired)
        {
            turn.Reply(found.Used ? t.LinkCodeUsed : t.LinkCodeExpired);
            return null;
        }
        var accounts = await turn.Context.People.AccountsAsync(owner.Id, ct).ConfigureAwait(false);
        if (accounts.Any(a => a.Channel == turn.Event.Channel))
        {
            // One account per messenger: the person already uses this messenger with another account.
            turn.Reply(t.LinkAlreadyThere(turn.Event.Channel));
            return null;
        }
        return owner;
    }

    /// <summary>Preferred messenger and detaching, pressed in /settings.</summary>
    private static async Task ManageAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var ct = turn.CancellationToken;
        Channel channel;
        try
        {
            channel = ChannelNames.Parse(payload.Arg(1));
        }
        catch (ArgumentOutOfRangeException)
        {
            turn.CallbackAnswer = t.ButtonInvalid;
            return;
        }
        switch (payload.Arg(0))
        {
            case "pf":
                if (!await turn.Context.People.SetPreferredAsync(person.Id, channel, ct).ConfigureAwait(false))
                {
                    turn.CallbackAnswer = t.NotAllowed;
                    return;
                }
                turn.CallbackAnswer = t.Done;
                await SettingsFeature.ShowAsync(turn).ConfigureAwait(false);
                return;
            case "dt":
                turn.Reply(t.DetachConfirm(channel, channel == turn.Event.Channel), Keyboard.Of(
                    [Turn.MenuButton(t.DetachYes, Verb, "dy", channel.ToKey()), Turn.MenuButton(t.LinkNo, SettingsFeature.Verb)]));
                return;
            case "dy":
                if (!await turn.Context.People.DetachAccountAsync(person.Id, channel, ct).ConfigureAwait(false))
                {
                    turn.Reply(t.DetachLast);
                    return;
                }
                await turn.Context.Audit.WriteAsync("account-unlinked", person.Id, person.Id, ct).ConfigureAwait(false);
                turn.CallbackAnswer = t.Done;
                turn.Reply(t.Detached(channel));
                if (channel != turn.Event.Channel)
                {
                    await SettingsFeature.ShowAsync(turn).ConfigureAwait(false);
                }
                return;
            default:
                turn.CallbackAnswer = t.ButtonInvalid;
                return;
        }
    }

    /// <summary>The messengers part of the /settings card and its buttons.</summary>
    public static async Task<(string Text, IReadOnlyList<IReadOnlyList<Button>> Rows)> SettingsSectionAsync(Turn turn)
    {
        var t = turn.Texts;
        var accounts = await turn.Context.People.AccountsAsync(turn.RequirePerson.Id, turn.CancellationToken).ConfigureAwait(false);
        if (accounts.Count < 2)
        {
            return (t.SettingsOneMessenger, []);
        }
        // Notifications go to the first reachable account in this order (the same rule the outbox uses).
        var gets = accounts.FirstOrDefault(a => a.Reachable);
        var lines = accounts.Select(a => t.SettingsMessengerLine(a.Channel, a == gets, a.Reachable)).ToList();
        var rows = new List<IReadOnlyList<Button>>();
        foreach (var account in accounts)
        {
            var key = account.Channel.ToKey();
            rows.Add(account.Reachable
                ? [Turn.MenuButton(t.SettingsPreferButton(account.Channel, account == gets), Verb, "pf", key),
                    Turn.MenuButton(t.SettingsDetachButton(account.Channel), Verb, "dt", key)]
                : [Turn.MenuButton(t.SettingsDetachButton(account.Channel), Verb, "dt", key)]);
        }
        return (t.SettingsMessengers(lines), rows);
    }
}
