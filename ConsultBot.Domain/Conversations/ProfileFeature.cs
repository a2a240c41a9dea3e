using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>Menu, help, profile, language, cancel, /forget, and parent–child linking.</summary>
internal sealed class ProfileFeature : IConversationFeature
{
    private const string StepForget = "prof.forget";
    public const string ForgetVerb = "fg";
    private const string StepChildCode = "prof.child";

    public IReadOnlyCollection<string> Commands { get; } = ["menu", "help", "profile", "lang", "cancel", "forget"];
    public IReadOnlyCollection<string> Verbs { get; } = [Menus.Verb, "lg", "fg", "pc", "cc"];
    public IReadOnlyCollection<string> Steps { get; } = [StepChildCode];

    public async Task OnCommandAsync(Turn turn, string command, string argument)
    {
        var person = turn.RequirePerson;
        switch (command)
        {
            case "menu":
                Menus.Show(turn);
                return;
            case "help":
                turn.Reply(turn.Texts.Help(person.Role, person.IsActive));
                return;
            case "profile":
                await ShowProfileAsync(turn).ConfigureAwait(false);
                return;
            case "lang":
                ShowLanguages(turn);
                return;
            case "forget":
                AskForget(turn);
                return;
            case "cancel":
                turn.Reply(turn.Texts.Cancelled);
                if (person.IsActive)
                {
                    person.EndDialog();
                    Menus.Show(turn);
                }
                else
                {
                    // A role picked by button can be picked again; one granted by a code or the admin list stays.
                    person.EndDialog();
                    if (person.Role is Role.Student or Role.Parent)
                    {
                        person.ChooseRole(Role.None);
                    }
                    await OnboardingFeature.RepromptAsync(turn).ConfigureAwait(false);
                }
                return;
        }
    }

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        turn.CallbackAnswer = string.Empty;
        if (!person.IsActive && payload.Verb is not ("lg" or "fg"))
        {
            turn.CallbackAnswer = t.FinishRegistrationFirst;
            return;
        }
        switch (payload.Verb, payload.Arg(0))
        {
            case (Menus.Verb, "p"):
                await ShowProfileAsync(turn).ConfigureAwait(false);
                return;
            case (Menus.Verb, "h"):
                turn.Reply(t.Help(person.Role, person.IsActive));
                return;
            case (Menus.Verb, "l"):
                ShowLanguages(turn);
                return;
            case (Menus.Verb, "f"):
                AskForget(turn);
                return;
            case (Menus.Verb, "c") when person.Role == Role.Parent:
                person.BeginStep(StepChildCode);
                turn.Reply(t.AskChildCode);
                return;
            case ("lg", "ru" or "en"):
                person.ChangeLanguage(LanguageCodes.Parse(payload.Arg(0)));
                turn.SetPerson(person);
                turn.CallbackAnswer = turn.Texts.Done;
                turn.Reply(turn.Texts.LanguageChanged);
                return;
            case ("fg", "y") when person.Dialog.Step == StepForget:
                await ForgetAsync(turn).ConfigureAwait(false);
                return;
            case ("fg", "n") when person.Dialog.Step == StepForget:
                person.EndDialog();
                turn.Reply(t.ForgetKept);
                return;
            case ("pc", _) when person.Role == Role.Student:
                var code = await IssueChildCodeAsync(turn).ConfigureAwait(false);
                turn.Reply(t.ChildCode(OneTimeCode.Display(code), (int)turn.Settings.ChildLinkLifetime.TotalHours));
                return;
            case ("cc", _) when person.Role == Role.Parent:
                await ConfirmChildAsync(turn, payload.Arg(0)).ConfigureAwait(false);
                return;
            default:
                turn.CallbackAnswer = t.NotAllowed;
                return;
        }
    }

    public async Task OnTextAsync(Turn turn, string step, string text)
    {
        var person = turn.RequirePerson;
        if (await CodeAttempts.ExhaustedAsync(turn).ConfigureAwait(false))
        {
            person.EndDialog();
            turn.Reply(turn.Texts.TooManyAttempts);
            return;
        }
        if (await TryLinkChildAsync(turn, text).ConfigureAwait(false))
        {
            person.EndDialog();
            return;
        }
        if (await CodeAttempts.RejectAsync(turn).ConfigureAwait(false))
        {
            person.EndDialog();
            turn.Reply(turn.Texts.TooManyAttempts);
            return;
        }
        turn.Reply(turn.Texts.CodeInvalid);
    }

    /// <summary>A fresh one-time code the student gives to a parent.</summary>
    internal static async Task<string> IssueChildCodeAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var code = OneTimeCode.Generate();
        await turn.Context.Codes.CreateAsync(CodeKind.ChildLink, code, person.Id, person.Id, turn.Now + turn.Settings.ChildLinkLifetime,
            turn.CancellationToken).ConfigureAwait(false);
        return code;
    }

    /// <summary>Links the parent in this turn to the child whose code was typed; false when the code is not valid.</summary>
    internal static async Task<bool> TryLinkChildAsync(Turn turn, string text)
    {
        var parent = turn.RequirePerson;
        var ct = turn.CancellationToken;
        if (OneTimeCode.Normalize(text) is not { } code)
        {
            return false;
        }
        var redeemed = await turn.Context.Codes.RedeemAsync(CodeKind.ChildLink, code, parent.Id, turn.Now, ct).ConfigureAwait(false);
        if (redeemed?.Owner is not { } childId
            || await turn.Context.People.GetAsync(childId, ct).ConfigureAwait(false) is not { } child
            || child.Role != Role.Student || child.Id == parent.Id)
        {
            return false;
        }
        var childName = child.FullName ?? string.Empty;
        if (!await turn.Context.People.LinkParentAsync(parent.Id, child.Id, ct).ConfigureAwait(false))
        {
            turn.Reply(turn.Texts.ChildAlreadyLinked(childName));
            return true;
        }
        await turn.Context.Audit.WriteAsync("parent-linked", child.Id, parent.Id, ct).ConfigureAwait(false);
        turn.Reply(turn.Texts.ChildLinked(childName));
        turn.Notify(child, t => t.ParentLinkedForChild(parent.FullName ?? string.Empty));
        if (child.NeedsParentConfirmation)
        {
            turn.Reply(turn.Texts.ConfirmChild(childName),
                Keyboard.Of([Turn.MenuButton(turn.Texts.ConfirmChildButton, "cc", child.Id.ToString())]));
        }
        return true;
    }

    private static async Task ConfirmChildAsync(Turn turn, string childArg)
    {
        var parent = turn.RequirePerson;
        var ct = turn.CancellationToken;
        var children = await turn.Context.People.ChildrenOfAsync(parent.Id, ct).ConfigureAwait(false);
        var child = children.FirstOrDefault(c => c.Id.ToString() == childArg);
        if (child is null)
        {
            turn.CallbackAnswer = turn.Texts.NotAllowed;
            return;
        }
        if (!child.NeedsParentConfirmation)
        {
            turn.CallbackAnswer = turn.Texts.Done;
            return;
        }
        child.ConfirmByParent();
        await turn.Context.People.SaveAsync(child, ct).ConfigureAwait(false);
        await turn.Context.Audit.WriteAsync("parent-confirmed", child.Id, parent.Id, ct).ConfigureAwait(false);
        turn.CallbackAnswer = turn.Texts.Done;
        turn.Reply(turn.Texts.ChildConfirmedForParent(child.FullName ?? string.Empty));
        turn.Notify(child, t => t.ConfirmedByParentForChild);
    }

    private static async Task ShowProfileAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var ct = turn.CancellationToken;
        string? group = null;
        if (person.GroupId is { } groupId)
        {
            group = (await turn.Context.Groups.GetAsync(groupId, ct).ConfigureAwait(false))?.Name;
        }
        IReadOnlyList<string> children = [];
        if (person.Role == Role.Parent)
        {
            children = (await turn.Context.People.ChildrenOfAsync(person.Id, ct).ConfigureAwait(false))
                .Select(c => c.FullName ?? string.Empty).ToList();
        }
        var rows = new List<IReadOnlyList<Button>>();
        if (person.Role == Role.Student)
        {
            rows.Add([Turn.MenuButton(t.ProfileCodeButton, "pc")]);
        }
        if (person.Role == Role.Parent)
        {
            rows.Add([Turn.MenuButton(t.MenuLinkChild, Menus.Verb, "c")]);
        }
        rows.Add([Turn.MenuButton(t.MenuLanguage, Menus.Verb, "l"), Turn.MenuButton(t.ForgetButton, Menus.Verb, "f")]);
        turn.Reply(t.Profile(person.FullName ?? string.Empty, person.Role, group, person.NeedsParentConfirmation, children),
            new Keyboard(rows));
    }

    private static void ShowLanguages(Turn turn) =>
        turn.Reply(turn.Texts.ChooseLanguage, Keyboard.Of(
        [
            Turn.MenuButton(Texts.TextCatalog.For(Language.Ru).LanguageName, "lg", "ru"),
            Turn.MenuButton(Texts.TextCatalog.For(Language.En).LanguageName, "lg", "en"),
        ]));

    private static void AskForget(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        person.BeginStep(StepForget);
        turn.Reply(t.ForgetConfirm, Keyboard.Of([turn.StepButton(t.ForgetYes, "fg", "y"), turn.StepButton(t.ForgetNo, "fg", "n")]));
    }

    private static async Task ForgetAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var ct = turn.CancellationToken;
        await turn.Context.People.ForgetAsync(person.Id, ct).ConfigureAwait(false);
        await turn.Context.Audit.WriteAsync("personal-data-erased", person.Id, person.Id, ct).ConfigureAwait(false);
        turn.PersonForgotten = true;
        turn.CallbackAnswer = turn.Texts.Done;
        turn.Reply(turn.Texts.Forgotten);
    }
}
