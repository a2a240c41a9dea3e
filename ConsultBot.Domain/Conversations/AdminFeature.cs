using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>Administrators: the school's classes and groups, and teacher invitations.</summary>
internal sealed class AdminFeature : IConversationFeature
{
    public const string Verb = "a";
    private const string StepAddGroup = "adm.add";
    private const string StepRenameGroup = "adm.rename";
    private const string GroupKey = "group";

    public IReadOnlyCollection<string> Commands { get; } = [];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [StepAddGroup, StepRenameGroup];

    public Task OnCommandAsync(Turn turn, string command, string argument) => Task.CompletedTask;

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Administrators.AllowPress(turn))
        {
            return;
        }
        switch (payload.Arg(0))
        {
            case "g":
                person.EndDialog();
                await ShowGroupsAsync(turn).ConfigureAwait(false);
                return;
            case "add":
                person.BeginStep(StepAddGroup);
                turn.Reply(t.AskGroupName);
                return;
            case "card" when await FindGroupAsync(turn, payload.Arg(1)).ConfigureAwait(false) is { } group:
                turn.Reply(t.GroupCard(group.Name), Keyboard.Of(
                    [Turn.MenuButton(t.Rename, Verb, "ren", group.Id.ToString()), Turn.MenuButton(t.Archive, Verb, "arc", group.Id.ToString())],
                    [Turn.MenuButton(t.Back, Verb, "g")]));
                return;
            case "ren" when await FindGroupAsync(turn, payload.Arg(1)).ConfigureAwait(false) is { } group:
                person.BeginStep(StepRenameGroup, new Dictionary<string, string> { [GroupKey] = group.Id.ToString() });
                turn.Reply(t.AskNewGroupName(group.Name));
                return;
            case "arc" when await FindGroupAsync(turn, payload.Arg(1)).ConfigureAwait(false) is { } group:
                await turn.Context.Groups.ArchiveAsync(group.Id, turn.CancellationToken).ConfigureAwait(false);
                await turn.Context.Audit.WriteAsync("group-archived", null, person.Id, turn.CancellationToken).ConfigureAwait(false);
                turn.CallbackAnswer = t.Done;
                turn.Reply(t.GroupArchived(group.Name));
                await ShowGroupsAsync(turn).ConfigureAwait(false);
                return;
            case "i":
                await InviteTeacherAsync(turn).ConfigureAwait(false);
                return;
            case "card" or "ren" or "arc":
                turn.CallbackAnswer = t.ButtonStale;
                return;
            default:
                turn.CallbackAnswer = t.ButtonInvalid;
                return;
        }
    }

    public async Task OnTextAsync(Turn turn, string step, string text)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Administrators.AllowText(turn))
        {
            return;
        }
        var name = GroupName.TryNormalize(text);
        if (name is null)
        {
            turn.Reply(t.GroupNameInvalid(GroupName.MaxLength));
            return;
        }
        var ct = turn.CancellationToken;
        if (step == StepAddGroup)
        {
            if (await turn.Context.Groups.AddAsync(name, ct).ConfigureAwait(false) is null)
            {
                turn.Reply(t.GroupExists(name));
                return;
            }
            await turn.Context.Audit.WriteAsync("group-added", null, person.Id, ct).ConfigureAwait(false);
            person.EndDialog();
            turn.Reply(t.GroupAdded(name));
            await ShowGroupsAsync(turn).ConfigureAwait(false);
            return;
        }
        var group = await FindGroupAsync(turn, person.Dialog.Get(GroupKey) ?? string.Empty).ConfigureAwait(false);
        if (group is null)
        {
            person.EndDialog();
            await ShowGroupsAsync(turn).ConfigureAwait(false);
            return;
        }
        if (!await turn.Context.Groups.RenameAsync(group.Id, name, ct).ConfigureAwait(false))
        {
            turn.Reply(t.GroupExists(name));
            return;
        }
        await turn.Context.Audit.WriteAsync("group-renamed", null, person.Id, ct).ConfigureAwait(false);
        person.EndDialog();
        turn.Reply(t.GroupRenamed(group.Name, name));
        await ShowGroupsAsync(turn).ConfigureAwait(false);
    }

    private static async Task ShowGroupsAsync(Turn turn)
    {
        var t = turn.Texts;
        var groups = await turn.Context.Groups.ListAsync(includeArchived: false, turn.CancellationToken).ConfigureAwait(false);
        var rows = groups.Chunk(3)
            .Select(chunk => (IReadOnlyList<Button>)chunk.Select(g => Turn.MenuButton(g.Name, Verb, "card", g.Id.ToString())).ToList())
            .ToList();
        rows.Add([Turn.MenuButton(t.AddGroup, Verb, "add")]);
        turn.Reply(t.Groups(groups.Count), new Keyboard(rows));
    }

    private static async Task<Group?> FindGroupAsync(Turn turn, string arg)
    {
        if (GroupId.TryParse(arg) is not { } id)
        {
            return null;
        }
        var group = await turn.Context.Groups.GetAsync(id, turn.CancellationToken).ConfigureAwait(false);
        return group is { Archived: false } ? group : null;
    }

    private static async Task InviteTeacherAsync(Turn turn)
    {
        var admin = turn.RequirePerson;
        var code = OneTimeCode.Generate();
        await turn.Context.Codes.CreateAsync(CodeKind.TeacherInvite, code, null, admin.Id, turn.Now + turn.Settings.InviteLifetime,
            turn.CancellationToken).ConfigureAwait(false);
        await turn.Context.Audit.WriteAsync("teacher-invited", null, admin.Id, turn.CancellationToken).ConfigureAwait(false);
        turn.Reply(turn.Texts.InviteCreated(OneTimeCode.Display(code), (int)turn.Settings.InviteLifetime.TotalDays, InviteLink(turn, code)));
    }

    /// <summary>The t.me deep link that redeems a teacher invite; null when Telegram is off.</summary>
    internal static string? InviteLink(Turn turn, string code) =>
        turn.Settings.TelegramBotUsername is { Length: > 0 } bot
            ? $"https://t.me/{bot}?start={OneTimeCode.DeepLinkPrefix(CodeKind.TeacherInvite)}{code}"
            : null;
}
