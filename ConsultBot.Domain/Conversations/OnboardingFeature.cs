using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// /start, consent and registration. Before consent nothing is stored: the consent screen is stateless and the
/// accept button carries the chosen language and the deep-link code.
/// </summary>
internal sealed class OnboardingFeature : IConversationFeature
{
    private const string StepRole = "reg.role";
    private const string StepInvite = "reg.invite";
    private const string StepName = "reg.name";
    private const string StepGroup = "reg.group";
    private const string StepAge = "reg.age";
    private const string StepChildCode = "reg.child";

    public IReadOnlyCollection<string> Commands { get; } = ["start"];
    public IReadOnlyCollection<string> Verbs { get; } = ["ca", "cd", "pl", "ro", "gr", "gp", "ag", "sk"];
    public IReadOnlyCollection<string> Steps { get; } = [StepRole, StepInvite, StepName, StepGroup, StepAge, StepChildCode];

    /// <summary>Anything from a sender who has not consented yet.</summary>
    public async Task OnUnregisteredAsync(Turn turn)
    {
        var ev = turn.Event;
        if (ev.Kind == EventKind.Callback)
        {
            var payload = CallbackPayload.TryParse(ev.CallbackData);
            switch (payload?.Verb)
            {
                case "ca":
                    await AcceptConsentAsync(turn, LanguageCodes.Parse(payload.Arg(0)), payload.Arg(1)).ConfigureAwait(false);
                    return;
                case "cd":
                    turn.UseLanguage(LanguageCodes.Parse(payload.Arg(0)));
                    turn.CallbackAnswer = turn.Texts.Done;
                    turn.Reply(turn.Texts.ConsentDeclined);
                    return;
                case "pl":
                    turn.UseLanguage(LanguageCodes.Parse(payload.Arg(0)));
                    turn.CallbackAnswer = turn.Texts.Done;
                    ShowConsent(turn, payload.Arg(1));
                    return;
                case LinkFeature.AcceptVerb or LinkFeature.DeclineVerb or LinkFeature.HowToVerb:
                    await LinkFeature.OnUnregisteredCallbackAsync(turn, payload).ConfigureAwait(false);
                    return;
                default:
                    turn.CallbackAnswer = turn.Texts.PressStart;
                    return;
            }
        }
        if (ev.Kind != EventKind.Text || string.IsNullOrWhiteSpace(ev.Text) || ev.Text.Length > ConversationEngine.MaxTextLength)
        {
            turn.Reply(turn.Texts.PressStart);
            return;
        }
        var text = ev.Text.Trim();
        if (!text.StartsWith('/'))
        {
            ShowConsent(turn, string.Empty);
            return;
        }
        var (command, mention, argument) = ConversationEngine.ParseCommand(text);
        if (mention is not null && !string.Equals(mention, turn.Settings.TelegramBotUsername, StringComparison.OrdinalIgnoreCase))
        {
            turn.Reply(turn.Texts.CommandForOtherBot);
            return;
        }
        switch (command)
        {
            case "start":
                var deepLink = string.Empty;
                if (argument.Length > 0)
                {
                    if (ParseDeepLink(argument) is { } link)
                    {
                        // The canonical form rides in the accept button ("t-ABCD 2345" typed by hand included).
                        deepLink = OneTimeCode.DeepLinkPrefix(link.Kind) + link.Code;
                    }
                    else
                    {
                        turn.Reply(turn.Texts.InvalidDeepLink);
                    }
                }
                ShowConsent(turn, deepLink);
                return;
            case "lang":
                turn.Reply(turn.Texts.ChooseLanguage, Keyboard.Of(
                [
                    Turn.MenuButton(Texts.TextCatalog.For(Language.Ru).LanguageName, "pl", "ru"),
                    Turn.MenuButton(Texts.TextCatalog.For(Language.En).LanguageName, "pl", "en"),
                ]));
                return;
            case "help":
                turn.Reply(turn.Texts.Help(Role.None, registered: false));
                return;
            case "link":
                await LinkFeature.OnUnregisteredLinkAsync(turn, argument).ConfigureAwait(false);
                return;
            default:
                turn.Reply(turn.Texts.PressStart);
                return;
        }
    }

    public async Task OnCommandAsync(Turn turn, string command, string argument)
    {
        var person = turn.RequirePerson;
        if (person.IsActive)
        {
            turn.Reply(turn.Texts.AlreadyRegistered);
            Menus.Show(turn);
            return;
        }
        await RepromptAsync(turn).ConfigureAwait(false);
    }

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        if (person.IsActive || payload.Verb is "ca" or "cd" or "pl")
        {
            turn.CallbackAnswer = turn.Texts.AlreadyRegistered;
            return;
        }
        turn.CallbackAnswer = string.Empty;
        switch (payload.Verb, person.Dialog.Step)
        {
            case ("ro", StepRole):
                await ChooseRoleAsync(turn, payload.Arg(0)).ConfigureAwait(false);
                return;
            case ("gp", StepGroup):
                await ShowGroupsAsync(turn, ParsePage(payload.Arg(0))).ConfigureAwait(false);
                return;
            case ("gr", StepGroup):
                await PickGroupAsync(turn, payload.Arg(0)).ConfigureAwait(false);
                return;
            case ("ag", StepAge):
                await FinishStudentAsync(turn, under14: payload.Arg(0) == "1").ConfigureAwait(false);
                return;
            case ("sk", StepChildCode):
                person.Activate();
                person.EndDialog();
                turn.Reply(turn.Texts.Registered(person.FullName!, person.Role));
                Menus.Show(turn);
                return;
            default:
                turn.CallbackAnswer = turn.Texts.ButtonStale;
                return;
        }
    }

    public async Task OnTextAsync(Turn turn, string step, string text)
    {
        switch (step)
        {
            case StepInvite:
                await RedeemStaffCodeAsync(turn, text).ConfigureAwait(false);
                return;
            case StepName:
                await SetNameAsync(turn, text).ConfigureAwait(false);
                return;
            case StepGroup:
                await PickGroupByNameAsync(turn, text).ConfigureAwait(false);
                return;
            case StepChildCode:
                await LinkChildAsync(turn, text).ConfigureAwait(false);
                return;
            default:
                await RepromptAsync(turn).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>Asks again for whatever the registration is waiting for.</summary>
    public static async Task RepromptAsync(Turn turn)
    {
        var t = turn.Texts;
        var person = turn.RequirePerson;
        switch (person.Dialog.Step)
        {
            case StepInvite:
                turn.Reply(t.AskInviteCode);
                return;
            case StepName:
                turn.Reply(t.AskName);
                return;
            case StepGroup:
                await ShowGroupsAsync(turn, 0).ConfigureAwait(false);
                return;
            case StepAge:
                AskAge(turn);
                return;
            case StepChildCode:
                AskChildCode(turn);
                return;
            default:
                if (person.Role != Role.None && person.FullName is null)
                {
                    person.BeginStep(StepName);
                    turn.Reply(t.AskName);
                    return;
                }
                ShowRoles(turn);
                return;
        }
    }

    private static void ShowConsent(Turn turn, string deepLink)
    {
        var t = turn.Texts;
        var lang = t.Language.ToKey();
        var other = t.Language == Language.Ru ? Language.En : Language.Ru;
        turn.Reply(t.Consent(turn.Settings.SchoolName), Keyboard.Of(
            [Turn.MenuButton(t.ConsentAccept, "ca", lang, deepLink)],
            [Turn.MenuButton(t.ConsentDecline, "cd", lang)],
            [Turn.MenuButton(t.ConsentLinkButton, LinkFeature.HowToVerb, lang)],
            [Turn.MenuButton(Texts.TextCatalog.For(other).LanguageName, "pl", other.ToKey(), deepLink)]));
    }

    private async Task AcceptConsentAsync(Turn turn, Language language, string deepLink)
    {
        var ev = turn.Event;
        var ct = turn.CancellationToken;
        var person = await turn.Context.People.CreateAsync(ev.Channel, ev.SenderId, ev.ChatId, language, turn.Now, ct)
            .ConfigureAwait(false);
        turn.SetPerson(person);
        await turn.Context.Audit.WriteAsync("consent-given", person.Id, person.Id, ct).ConfigureAwait(false);
        turn.CallbackAnswer = turn.Texts.Done;

        if (ev.Channel == Channel.Telegram && turn.Settings.AdminTelegramIds.Contains(ev.SenderId))
        {
            person.ChooseRole(Role.Admin);
            await turn.Context.Audit.WriteAsync("admin-configured", person.Id, null, ct).ConfigureAwait(false);
            person.BeginStep(StepName);
            turn.Reply(turn.Texts.AskName);
            return;
        }
        if (ParseDeepLink(deepLink) is { } code)
        {
            if (await TryRedeemStaffCodeAsync(turn, code.Code, code.Kind).ConfigureAwait(false))
            {
                return;
            }
            await CodeAttempts.RejectAsync(turn).ConfigureAwait(false);
            turn.Reply(turn.Texts.CodeInvalid);
        }
        ShowRoles(turn);
    }

    private static (CodeKind Kind, string Code)? ParseDeepLink(string deepLink)
    {
        foreach (var kind in (ReadOnlySpan<CodeKind>)[CodeKind.TeacherInvite, CodeKind.AdminBootstrap])
        {
            var prefix = OneTimeCode.DeepLinkPrefix(kind);
            if (deepLink.StartsWith(prefix, StringComparison.Ordinal) && OneTimeCode.Normalize(deepLink[prefix.Length..]) is { } code)
            {
                return (kind, code);
            }
        }
        return null;
    }

    private static void ShowRoles(Turn turn)
    {
        var t = turn.Texts;
        turn.RequirePerson.BeginStep(StepRole);
        turn.Reply(t.ChooseRole, Keyboard.Column(
        [
            turn.StepButton(t.RoleStudent, "ro", "s"),
            turn.StepButton(t.RoleParent, "ro", "p"),
            turn.StepButton(t.RoleTeacher, "ro", "t"),
            Turn.MenuButton(t.ConsentLinkButton, LinkFeature.HowToVerb),
        ]));
    }

    private static Task ChooseRoleAsync(Turn turn, string role)
    {
        var person = turn.RequirePerson;
        switch (role)
        {
            case "s":
                person.ChooseRole(Role.Student);
                break;
            case "p":
                person.ChooseRole(Role.Parent);
                break;
            case "t":
                person.BeginStep(StepInvite);
                turn.Reply(turn.Texts.AskInviteCode);
                return Task.CompletedTask;
            default:
                turn.CallbackAnswer = turn.Texts.ButtonInvalid;
                return Task.CompletedTask;
        }
        person.BeginStep(StepName);
        turn.Reply(turn.Texts.AskName);
        return Task.CompletedTask;
    }

    private static async Task RedeemStaffCodeAsync(Turn turn, string text)
    {
        if (await CodeAttempts.ExhaustedAsync(turn).ConfigureAwait(false))
        {
            await StopCodeStepAsync(turn, StepInvite).ConfigureAwait(false);
            return;
        }
        if (OneTimeCode.Normalize(text) is { } code
            && (await TryRedeemStaffCodeAsync(turn, code, CodeKind.TeacherInvite).ConfigureAwait(false)
                || await TryRedeemStaffCodeAsync(turn, code, CodeKind.AdminBootstrap).ConfigureAwait(false)))
        {
            return;
        }
        await CountWrongCodeAsync(turn, StepInvite).ConfigureAwait(false);
    }

    private static async Task<bool> TryRedeemStaffCodeAsync(Turn turn, string code, CodeKind kind)
    {
        var person = turn.RequirePerson;
        var redeemed = await turn.Context.Codes.RedeemAsync(kind, code, person.Id, turn.Now, turn.CancellationToken)
            .ConfigureAwait(false);
        if (redeemed is null)
        {
            return false;
        }
        var role = kind == CodeKind.AdminBootstrap ? Role.Admin : Role.Teacher;
        person.ChooseRole(role);
        await turn.Context.Audit.WriteAsync(kind == CodeKind.AdminBootstrap ? "admin-bootstrapped" : "teacher-invite-used",
            person.Id, redeemed.CreatedBy, turn.CancellationToken).ConfigureAwait(false);
        person.BeginStep(StepName);
        turn.Reply(turn.Texts.AskName);
        return true;
    }

    /// <summary>Counts a wrong code; after too many in an hour the dialog ends so codes cannot be guessed.</summary>
    private static async Task CountWrongCodeAsync(Turn turn, string step)
    {
        if (await CodeAttempts.RejectAsync(turn).ConfigureAwait(false))
        {
            await StopCodeStepAsync(turn, step).ConfigureAwait(false);
            return;
        }
        turn.Reply(turn.Texts.CodeInvalid, step == StepChildCode ? SkipKeyboard(turn) : null);
    }

    private static Task StopCodeStepAsync(Turn turn, string step)
    {
        var person = turn.RequirePerson;
        person.EndDialog();
        turn.Reply(turn.Texts.TooManyAttempts);
        if (step == StepChildCode && !person.IsActive)
        {
            // A parent is registered without a child; linking stays possible from the menu later.
            person.Activate();
            Menus.Show(turn);
        }
        return Task.CompletedTask;
    }

    private static async Task SetNameAsync(Turn turn, string text)
    {
        var person = turn.RequirePerson;
        var error = PersonName.TryCreate(text, out var name);
        if (error != NameError.None)
        {
            turn.Reply(turn.Texts.NameError(error));
            return;
        }
        person.Rename(name!);
        switch (person.Role)
        {
            case Role.Student:
                person.BeginStep(StepGroup);
                await ShowGroupsAsync(turn, 0).ConfigureAwait(false);
                return;
            case Role.Parent:
                person.BeginStep(StepChildCode);
                AskChildCode(turn);
                return;
            default:
                person.Activate();
                person.EndDialog();
                turn.Reply(turn.Texts.Registered(person.FullName!, person.Role));
                Menus.Show(turn);
                return;
        }
    }

    private static async Task ShowGroupsAsync(Turn turn, int page)
    {
        var t = turn.Texts;
        var groups = await turn.Context.Groups.ListAsync(includeArchived: false, turn.CancellationToken).ConfigureAwait(false);
        if (groups.Count == 0)
        {
            turn.Reply(t.NoGroupsYet);
            return;
        }
        var size = turn.Settings.GroupsPerPage;
        var pages = (groups.Count + size - 1) / size;
        page = Math.Clamp(page, 0, pages - 1);
        var rows = groups.Skip(page * size).Take(size)
            .Chunk(2)
            .Select(pair => (IReadOnlyList<Button>)pair.Select(g => turn.StepButton(g.Name, "gr", g.Id.ToString())).ToList())
            .ToList();
        Pager.AddRow(rows, t, page, pages, (label, to) => turn.StepButton(label, "gp", to));
        turn.Reply(t.ChooseGroup, new Keyboard(rows));
    }

    private static async Task PickGroupAsync(Turn turn, string groupArg)
    {
        var group = GroupId.TryParse(groupArg) is { } id
            ? await turn.Context.Groups.GetAsync(id, turn.CancellationToken).ConfigureAwait(false)
            : null;
        if (group is null || group.Archived)
        {
            turn.CallbackAnswer = turn.Texts.ButtonStale;
            await ShowGroupsAsync(turn, 0).ConfigureAwait(false);
            return;
        }
        JoinGroup(turn, group);
    }

    private static async Task PickGroupByNameAsync(Turn turn, string text)
    {
        var name = GroupName.TryNormalize(text);
        var groups = await turn.Context.Groups.ListAsync(includeArchived: false, turn.CancellationToken).ConfigureAwait(false);
        var group = groups.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
        if (group is null)
        {
            await ShowGroupsAsync(turn, 0).ConfigureAwait(false);
            return;
        }
        JoinGroup(turn, group);
    }

    private static void JoinGroup(Turn turn, Group group)
    {
        var person = turn.RequirePerson;
        person.JoinGroup(group.Id);
        person.BeginStep(StepAge, new Dictionary<string, string> { ["group"] = group.Name });
        AskAge(turn);
    }

    private static void AskAge(Turn turn)
    {
        var t = turn.Texts;
        turn.Reply(t.AskAge, Keyboard.Of([turn.StepButton(t.Age14OrOlder, "ag", "0"), turn.StepButton(t.AgeUnder14, "ag", "1")]));
    }

    private static async Task FinishStudentAsync(Turn turn, bool under14)
    {
        var person = turn.RequirePerson;
        var groupName = person.Dialog.Get("group") ?? string.Empty;
        person.DeclareAge(under14);
        person.Activate();
        person.EndDialog();
        turn.Reply(turn.Texts.StudentRegistered(person.FullName!, groupName));
        if (under14)
        {
            var code = await ProfileFeature.IssueChildCodeAsync(turn).ConfigureAwait(false);
            turn.Reply(turn.Texts.StudentNeedsParent(OneTimeCode.Display(code), (int)turn.Settings.ChildLinkLifetime.TotalHours));
        }
        Menus.Show(turn);
    }

    private static void AskChildCode(Turn turn) => turn.Reply(turn.Texts.AskChildCode, SkipKeyboard(turn));

    private static Keyboard SkipKeyboard(Turn turn) => Keyboard.Of([turn.StepButton(turn.Texts.Skip, "sk")]);

    private static async Task LinkChildAsync(Turn turn, string text)
    {
        var person = turn.RequirePerson;
        if (await CodeAttempts.ExhaustedAsync(turn).ConfigureAwait(false))
        {
            await StopCodeStepAsync(turn, StepChildCode).ConfigureAwait(false);
            return;
        }
        if (!await ProfileFeature.TryLinkChildAsync(turn, text).ConfigureAwait(false))
        {
            await CountWrongCodeAsync(turn, StepChildCode).ConfigureAwait(false);
            return;
        }
        person.Activate();
        person.EndDialog();
        turn.Reply(turn.Texts.Registered(person.FullName!, person.Role));
        Menus.Show(turn);
    }

    private static int ParsePage(string arg) =>
        int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var page) ? page : 0;
}
