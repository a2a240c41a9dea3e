using System.Globalization;
using ConsultBot.Domain.Announcements;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// An administrator (to a group, all students, all parents, all teachers or everyone) or a teacher (to their own groups)
/// writes an announcement: recipients → text → preview with the number of recipients → send. Zero recipients and a group
/// the teacher may not write to are refused before anything is stored; the count and the teacher's right are checked
/// again when "Send" is pressed, and the step ends at that press, so a second press is stale.
/// </summary>
internal sealed class AnnouncementFeature : IConversationFeature
{
    public const string Verb = "an";
    private const string Prefix = "an.";
    private const string StepAudience = Prefix + "aud";
    private const string StepGroup = Prefix + "grp";
    private const string StepText = Prefix + "text";
    private const string StepConfirm = Prefix + "conf";
    private const int RecentCount = 10;

    // Dialog data.
    private const string AudienceKey = "aud";
    private const string GroupKey = "grp";
    private const string PageKey = "gpage";
    private const string TextKey = "text";

    private static readonly AnnouncementAudience[] AdminAudiences =
        [AnnouncementAudience.Group, AnnouncementAudience.Students, AnnouncementAudience.Parents, AnnouncementAudience.Teachers, AnnouncementAudience.Everyone];

    public IReadOnlyCollection<string> Commands { get; } = ["announce"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [StepAudience, StepGroup, StepText, StepConfirm];

    public Task OnCommandAsync(Turn turn, string command, string argument) => BeginAsync(turn);

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowPress(turn))
        {
            return;
        }
        if (payload.Version == 0)
        {
            if (payload.Arg(0) == "l")
            {
                await ShowRecentAsync(turn).ConfigureAwait(false);
                return;
            }
            await BeginAsync(turn).ConfigureAwait(false);
            return;
        }
        var (field, value) = (payload.Arg(0), payload.Arg(1));
        var expected = field switch
        {
            "a" => StepAudience,
            GroupPicker.PickArg or GroupPicker.PageArg => StepGroup,
            "c" => StepConfirm,
            _ => null,
        };
        if (expected is null || person.Dialog.Step != expected)
        {
            // A made-up button that answers another question than the open one.
            turn.CallbackAnswer = t.ButtonStale;
            return;
        }
        switch (field)
        {
            case "a" when AnnouncementAudiences.TryParse(value) is { } audience && person.Role == Role.Admin:
                if (audience == AnnouncementAudience.Group)
                {
                    person.BeginStep(StepGroup, new Dictionary<string, string> { [AudienceKey] = audience.ToKey() });
                    await AskGroupAsync(turn).ConfigureAwait(false);
                    return;
                }
                await ChosenAsync(turn, audience, null).ConfigureAwait(false);
                return;
            case "a" when AnnouncementAudiences.TryParse(value) is not null:
                // A teacher writes to their groups only; a forged "all students" changes nothing.
                turn.CallbackAnswer = t.NotAllowed;
                return;
            case GroupPicker.PickArg when GroupId.TryParse(value) is { } groupId:
                if (await AllowedGroupAsync(turn, groupId).ConfigureAwait(false) is not { } group)
                {
                    return;
                }
                await ChosenAsync(turn, AnnouncementAudience.Group, group).ConfigureAwait(false);
                return;
            case GroupPicker.PageArg when GroupPicker.Page(value) is { } page:
                person.BeginStep(StepGroup, With(person.Dialog, PageKey, page));
                await AskGroupAsync(turn).ConfigureAwait(false);
                return;
            case "c" when value == "y":
                await SendAsync(turn).ConfigureAwait(false);
                return;
            case "c" when value == "e":
                person.BeginStep(StepText, Without(person.Dialog, TextKey));
                await AskTextAsync(turn).ConfigureAwait(false);
                return;
            case "c" when value == "n":
                person.EndDialog();
                turn.Reply(t.Cancelled);
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
        if (!Consultants.AllowText(turn))
        {
            return;
        }
        if (step != StepText)
        {
            turn.Reply(t.UseTheButtons);
            return;
        }
        var body = text.Trim();
        if (TextInput.Normalize(body).Length == 0)
        {
            turn.Reply(t.AnnouncementTextEmpty);
            return;
        }
        if (body.Length > AnnouncementFormat.MaxTextLength)
        {
            turn.Reply(t.AnnouncementTextTooLong(body.Length, AnnouncementFormat.MaxTextLength));
            return;
        }
        person.BeginStep(StepConfirm, With(person.Dialog, TextKey, body));
        await PreviewAsync(turn).ConfigureAwait(false);
    }

    private static async Task BeginAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowCommand(turn))
        {
            return;
        }
        if (person.Role == Role.Admin)
        {
            person.BeginStep(StepAudience);
            turn.Reply(t.AskAnnouncementAudience, Keyboard.Column(AdminAudiences.Select(a => turn.StepButton(t.AudienceButton(a), Verb, "a", a.ToKey()))));
            return;
        }
        person.BeginStep(StepGroup, new Dictionary<string, string> { [AudienceKey] = AnnouncementAudience.Group.ToKey() });
        await AskGroupAsync(turn).ConfigureAwait(false);
    }

    /// <summary>The groups the person may write to, as step buttons a page at a time.</summary>
    private static async Task AskGroupAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var groups = await GroupsOfAsync(turn).ConfigureAwait(false);
        if (groups.Count == 0)
        {
            person.EndDialog();
            turn.Reply(person.Role == Role.Admin ? t.NoGroupsToAnnounce : t.NoTeacherGroups);
            return;
        }
        var rows = GroupPicker.Rows(turn, groups, person.Dialog.Get(PageKey), Verb, g => g.Name);
        turn.Reply(person.Role == Role.Admin ? t.AskAnnouncementGroup : t.AskTeacherAnnouncementGroup, new Keyboard(rows));
    }

    /// <summary>An administrator sees the school's active groups, a teacher only their own.</summary>
    private static async Task<IReadOnlyList<Group>> GroupsOfAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        return person.Role == Role.Admin
            ? await turn.Context.Groups.ListAsync(includeArchived: false, turn.CancellationToken).ConfigureAwait(false)
            : await turn.Context.Announcements.TeacherGroupsAsync(person.Id,
                turn.Settings.Timetable.TermStart, turn.Settings.Timetable.TermEnd, turn.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>The group if the person may write to it; otherwise the refusal is said and null returned.</summary>
    private static async Task<Group?> AllowedGroupAsync(Turn turn, GroupId id)
    {
        var person = turn.RequirePerson;
        if (person.Role == Role.Admin)
        {
            var group = await turn.Context.Groups.GetAsync(id, turn.CancellationToken).ConfigureAwait(false);
            if (group is null || group.Archived)
            {
                turn.CallbackAnswer = turn.Texts.ButtonStale;
                return null;
            }
            return group;
        }
        var mine = await turn.Context.Announcements.TeacherGroupsAsync(person.Id,
                turn.Settings.Timetable.TermStart, turn.Settings.Timetable.TermEnd, turn.CancellationToken).ConfigureAwait(false);
        if (mine.FirstOrDefault(g => g.Id == id) is { } own)
        {
            return own;
        }
        turn.CallbackAnswer = turn.Texts.NotYourGroup;
        turn.Reply(turn.Texts.NotYourGroup);
        return null;
    }

    /// <summary>Recipients chosen: refused at once when nobody would get it, otherwise the text is asked for.</summary>
    private static async Task ChosenAsync(Turn turn, AnnouncementAudience audience, Group? group)
    {
        var person = turn.RequirePerson;
        var count = await turn.Context.Announcements.CountAsync(audience, group?.Id, person.Id, turn.CancellationToken).ConfigureAwait(false);
        if (count.Reachable == 0)
        {
            turn.CallbackAnswer = string.Empty;
            turn.Reply(turn.Texts.NobodyToReceive(turn.Texts.AudienceName(audience, group?.Name)));
            await BeginAsync(turn).ConfigureAwait(false);
            return;
        }
        var data = new Dictionary<string, string> { [AudienceKey] = audience.ToKey() };
        if (group is not null)
        {
            data[GroupKey] = group.Id.ToString();
        }
        person.BeginStep(StepText, data);
        await AskTextAsync(turn).ConfigureAwait(false);
    }

    private static async Task AskTextAsync(Turn turn)
    {
        if (await DraftAsync(turn).ConfigureAwait(false) is not { } draft)
        {
            return;
        }
        turn.Reply(turn.Texts.AskAnnouncementText(draft.AudienceName, AnnouncementFormat.MaxTextLength));
    }

    private static async Task PreviewAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (await DraftAsync(turn).ConfigureAwait(false) is not { } draft)
        {
            return;
        }
        var count = await turn.Context.Announcements.CountAsync(draft.Audience, draft.Group?.Id, person.Id, turn.CancellationToken).ConfigureAwait(false);
        if (count.Reachable == 0)
        {
            turn.Reply(t.NobodyToReceive(draft.AudienceName));
            await BeginAsync(turn).ConfigureAwait(false);
            return;
        }
        turn.Reply(t.AnnouncementPreview(draft.AudienceName, count.Reachable, count.Unreachable, t.AnnouncementBody(AuthorName(person), draft.Text)),
            Keyboard.Of(
                [turn.StepButton(t.SendAnnouncement, Verb, "c", "y")],
                [turn.StepButton(t.EditAnnouncementText, Verb, "c", "e"), turn.StepButton(t.CancelAnnouncement, Verb, "c", "n")]));
    }

    private static async Task SendAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        // The request key ties the send to this very preview: the dialog version changes below, so a second press is stale,
        // and a repeat that got past that (another instance) finds the key taken.
        var requestKey = $"{person.Id}:{person.Dialog.Version}";
        if (await DraftAsync(turn).ConfigureAwait(false) is not { } draft)
        {
            return;
        }
        person.EndDialog();
        var count = await turn.Context.Announcements.CountAsync(draft.Audience, draft.Group?.Id, person.Id, turn.CancellationToken).ConfigureAwait(false);
        if (count.Reachable == 0)
        {
            turn.CallbackAnswer = string.Empty;
            turn.Reply(t.NobodyToReceive(draft.AudienceName));
            return;
        }
        var author = AuthorName(person);
        var bodies = Enum.GetValues<Language>().ToDictionary(language => language, language => TextCatalog.For(language).AnnouncementBody(author, draft.Text));
        var sent = await turn.Context.Announcements.SendAsync(person.Id, draft.Audience, draft.Group?.Id, draft.Text, bodies, requestKey, turn.Now,
            turn.CancellationToken).ConfigureAwait(false);
        if (sent is null)
        {
            turn.CallbackAnswer = t.AnnouncementAlreadySent;
            return;
        }
        await turn.Context.Audit.WriteAsync("announcement-sent", null, person.Id, turn.CancellationToken).ConfigureAwait(false);
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.AnnouncementQueued(draft.AudienceName, sent.Recipients), Menus.For(turn));
    }

    private sealed record Draft(AnnouncementAudience Audience, Group? Group, string AudienceName, string Text);

    /// <summary>
    /// What the dialog holds, checked again: the group still active and, for a teacher, still theirs. When it is not, the
    /// reason is said, the dialog ends and null is returned.
    /// </summary>
    private static async Task<Draft?> DraftAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var audience = AnnouncementAudiences.TryParse(person.Dialog.Get(AudienceKey)) ?? AnnouncementAudience.Group;
        Group? group = null;
        if (audience == AnnouncementAudience.Group)
        {
            group = GroupId.TryParse(person.Dialog.Get(GroupKey) ?? string.Empty) is { } id
                ? (await GroupsOfAsync(turn).ConfigureAwait(false)).FirstOrDefault(g => g.Id == id)
                : null;
            if (group is null)
            {
                person.EndDialog();
                turn.CallbackAnswer = string.Empty;
                turn.Reply(person.Role == Role.Admin ? t.AnnouncementGroupGone : t.NotYourGroup);
                return null;
            }
        }
        else if (person.Role != Role.Admin)
        {
            person.EndDialog();
            turn.Reply(t.NotAllowed);
            return null;
        }
        return new Draft(audience, group, t.AudienceName(audience, group?.Name), person.Dialog.Get(TextKey) ?? string.Empty);
    }

    private static async Task ShowRecentAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (person.Role != Role.Admin)
        {
            turn.CallbackAnswer = t.NotAllowed;
            return;
        }
        var recent = await turn.Context.Announcements.RecentAsync(RecentCount, turn.CancellationToken).ConfigureAwait(false);
        if (recent.Count == 0)
        {
            turn.Reply(t.NoAnnouncementsYet, Keyboard.Of([Turn.MenuButton(t.MenuAnnounce, Verb)]));
            return;
        }
        var lines = recent.Select(a => t.RecentAnnouncementLine(
            SchoolTime.Local(a.CreatedAt, turn.Settings.TimeZone).ToString("dd.MM HH:mm", CultureInfo.InvariantCulture),
            a.Author, t.AudienceName(a.Audience, a.GroupName), AnnouncementFormat.Excerpt(a.Text, 60),
            a.Recipients, a.Delivered, a.Unreachable, a.Failed, a.Pending)).ToList();
        turn.Reply(t.RecentAnnouncements(lines), Keyboard.Of([Turn.MenuButton(t.MenuAnnounce, Verb)]));
    }

    private static string AuthorName(Person person) => person.FullName ?? string.Empty;

    private static Dictionary<string, string> With(DialogState dialog, string key, string value) =>
        new(dialog.Data) { [key] = value };

    private static Dictionary<string, string> Without(DialogState dialog, string key)
    {
        var data = new Dictionary<string, string>(dialog.Data);
        data.Remove(key);
        return data;
    }
}
