using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Materials;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// A teacher posts a material: subject → classes (toggle buttons, paged, "Done" once one is chosen) → kind → title →
/// link → description (or skip) → due date for an assignment (or skip) → lesson date (or skip) → card → publish. Each
/// answer is checked where it is given; a refused one is explained and the same question stays open. Publishing
/// delivers it to the classes' students and their following parents in the same transaction.
/// </summary>
internal sealed class MaterialPostFeature : IConversationFeature
{
    public const string Verb = "mt";
    private const string Prefix = "mt.";
    /// <summary>How far ahead a due or lesson date may be.</summary>
    internal const int MaxDaysAhead = 366;

    // Form fields, in the order they are asked.
    private const string Subject = "subj";
    private const string Groups = "grp";
    private const string Kind = "kind";
    private const string Title = "title";
    private const string Link = "link";
    private const string Description = "desc";
    private const string Due = "due";
    private const string Lesson = "lesson";
    private const string Confirm = "confirm";

    // Data kept beside the fields: the groups are confirmed with "Done", and the picker remembers its page.
    private const string GroupsDone = "grpok";
    private const string GroupsPage = "gpage";

    public IReadOnlyCollection<string> Commands { get; } = ["material"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } =
        [.. new[] { Subject, Groups, Kind, Title, Link, Description, Due, Lesson, Confirm }.Select(f => Prefix + f)];

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
            await BeginAsync(turn).ConfigureAwait(false);
            return;
        }
        var (field, value) = (payload.Arg(0), payload.Arg(1));
        if (person.Dialog.Step != Prefix + (field is "g" or "gp" or "gd" ? Groups : field))
        {
            // A made-up button that answers another question than the open one.
            turn.CallbackAnswer = t.ButtonStale;
            return;
        }
        switch (field)
        {
            case Subject when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                              && await turn.Context.Consultations.GetSubjectAsync(id, turn.CancellationToken).ConfigureAwait(false) is { } subject:
                person.SetStepData(Subject, subject.Id.ToString(CultureInfo.InvariantCulture));
                break;
            case "g" when GroupId.TryParse(value) is { } groupId:
                var group = await turn.Context.Groups.GetAsync(groupId, turn.CancellationToken).ConfigureAwait(false);
                if (group is null || group.Archived)
                {
                    turn.CallbackAnswer = t.ButtonStale;
                    break;
                }
                var chosen = ChosenGroups(person.Dialog);
                if (!chosen.Remove(group.Id))
                {
                    chosen.Add(group.Id);
                }
                SetChosen(person, chosen);
                break;
            case GroupPicker.PageArg when GroupPicker.Page(value) is { } page:
                person.SetStepData(GroupsPage, page);
                break;
            case "gd":
                if (await ActiveChosenGroupsAsync(turn).ConfigureAwait(false) is not { Count: > 0 } active)
                {
                    turn.CallbackAnswer = t.ChooseAtLeastOneGroup;
                    break;
                }
                SetChosen(person, [.. active.Select(g => g.Id)]);
                person.SetStepData(GroupsDone, "1");
                break;
            case Kind when value is "m" or "a" or "s":
                person.SetStepData(Kind, value);
                break;
            case Description or Due or Lesson when value == "-":
                person.SetStepData(field, string.Empty);
                break;
            case Confirm when value == "y":
                await PublishAsync(turn).ConfigureAwait(false);
                return;
            case Confirm when value == "n":
                person.EndDialog();
                turn.Reply(t.Cancelled);
                return;
            default:
                turn.CallbackAnswer = t.ButtonInvalid;
                return;
        }
        await AskNextAsync(turn).ConfigureAwait(false);
    }

    public async Task OnTextAsync(Turn turn, string step, string text)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowText(turn))
        {
            return;
        }
        var field = step[Prefix.Length..];
        switch (field)
        {
            case Subject:
                if (await Consultants.SubjectFromTextAsync(turn, text).ConfigureAwait(false) is not { } subject)
                {
                    return;
                }
                person.SetStepData(Subject, subject.Id.ToString(CultureInfo.InvariantCulture));
                break;
            case Groups:
                await ChooseGroupsByNameAsync(turn, text).ConfigureAwait(false);
                break;
            case Title:
                var title = TextInput.Normalize(text);
                if (title.Length is 0 or > MaterialDraft.MaxTitleLength)
                {
                    turn.Reply(t.MaterialTitleInvalid(MaterialDraft.MaxTitleLength));
                    return;
                }
                person.SetStepData(Title, title);
                break;
            case Link:
                var error = MaterialLink.Check(text, out var link);
                if (error != LinkError.None || link is null)
                {
                    turn.Reply(t.MaterialLinkError(error, SafeLink.MaxLength));
                    return;
                }
                person.SetStepData(Link, link.AbsoluteUri);
                break;
            case Description:
                var description = text.Trim();
                if (description.Length > MaterialDraft.MaxDescriptionLength)
                {
                    turn.Reply(t.MaterialDescriptionTooLong(MaterialDraft.MaxDescriptionLength));
                    return;
                }
                person.SetStepData(Description, description);
                break;
            case Due or Lesson:
                if (ParseDay(turn, text) is not { } day)
                {
                    return;
                }
                person.SetStepData(field, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            default:
                // A question answered with buttons (kind, the card): say so and ask it again.
                turn.Reply(t.UseTheButtons);
                break;
        }
        await AskNextAsync(turn).ConfigureAwait(false);
    }

    private static async Task BeginAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        if (!Consultants.AllowCommand(turn))
        {
            return;
        }
        person.BeginStep(Prefix + Subject);
        await AskNextAsync(turn).ConfigureAwait(false);
    }

    /// <summary>Asks the first unanswered question (each as a new step, so older buttons go stale), or shows the card.</summary>
    private static async Task AskNextAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var field = NextField(person.Dialog);
        person.BeginStep(Prefix + field, person.Dialog.Data);
        switch (field)
        {
            case Subject:
                await Consultants.AskSubjectAsync(turn, Verb, Subject).ConfigureAwait(false);
                return;
            case Groups:
                await AskGroupsAsync(turn).ConfigureAwait(false);
                return;
            case Kind:
                turn.Reply(t.AskMaterialKind, Keyboard.Column([
                    turn.StepButton(t.MaterialKindName(MaterialKind.Material), Verb, Kind, "m"),
                    turn.StepButton(t.MaterialKindName(MaterialKind.Assignment), Verb, Kind, "a"),
                    turn.StepButton(t.MaterialKindName(MaterialKind.Source), Verb, Kind, "s")]));
                return;
            case Title:
                turn.Reply(t.AskMaterialTitle(MaterialDraft.MaxTitleLength));
                return;
            case Link:
                turn.Reply(t.AskMaterialLink);
                return;
            case Description:
                turn.Reply(t.AskMaterialDescription(MaterialDraft.MaxDescriptionLength), Keyboard.Of([turn.StepButton(t.Skip, Verb, Description, "-")]));
                return;
            case Due:
                turn.Reply(t.AskDueDate, Keyboard.Of([turn.StepButton(t.Skip, Verb, Due, "-")]));
                return;
            case Lesson:
                turn.Reply(t.AskLessonDate, Keyboard.Of([turn.StepButton(t.Skip, Verb, Lesson, "-")]));
                return;
            default:
                var view = await PreviewAsync(turn, DraftOf(person.Dialog)).ConfigureAwait(false);
                turn.Reply(t.ConfirmMaterial(MaterialFormat.Card(t, view, turn.Settings.TimeZone)), Keyboard.Of(
                    [turn.StepButton(t.Publish, Verb, Confirm, "y"), turn.StepButton(t.Discard, Verb, Confirm, "n")]));
                return;
        }
    }

    private static string NextField(DialogState d)
    {
        if (d.Get(Subject) is null)
        {
            return Subject;
        }
        if (d.Get(GroupsDone) is null)
        {
            return Groups;
        }
        foreach (var f in new[] { Kind, Title, Link, Description })
        {
            if (d.Get(f) is null)
            {
                return f;
            }
        }
        if (d.Get(Kind) == "a" && d.Get(Due) is null)
        {
            return Due;
        }
        return d.Get(Lesson) is null ? Lesson : Confirm;
    }

    /// <summary>The school's active classes as toggle buttons (✓ on the chosen ones), a page at a time, and "Done".</summary>
    private static async Task AskGroupsAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var groups = await turn.Context.Groups.ListAsync(includeArchived: false, turn.CancellationToken).ConfigureAwait(false);
        if (groups.Count == 0)
        {
            person.EndDialog();
            turn.Reply(t.NoGroupsForMaterial);
            return;
        }
        var chosen = ChosenGroups(person.Dialog);
        var rows = GroupPicker.Rows(turn, groups, person.Dialog.Get(GroupsPage), Verb, g => (chosen.Contains(g.Id) ? "✓ " : string.Empty) + g.Name);
        var chosenNames = groups.Where(g => chosen.Contains(g.Id)).Select(g => g.Name).ToList();
        if (chosenNames.Count > 0)
        {
            rows.Add([turn.StepButton(t.GroupsDone(chosenNames.Count), Verb, "gd")]);
        }
        turn.Reply(t.AskMaterialGroups(chosenNames), new Keyboard(rows));
    }

    /// <summary>Typed class names ("7А, 7Б") are chosen; names not on the school's list are named back.</summary>
    private static async Task ChooseGroupsByNameAsync(Turn turn, string text)
    {
        var person = turn.RequirePerson;
        var groups = await turn.Context.Groups.ListAsync(includeArchived: false, turn.CancellationToken).ConfigureAwait(false);
        var chosen = ChosenGroups(person.Dialog);
        var unknown = new List<string>();
        foreach (var name in text.Split([',', ';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var normalized = TextInput.Normalize(name);
            var group = groups.FirstOrDefault(g => string.Equals(g.Name, normalized, StringComparison.OrdinalIgnoreCase));
            if (group is null)
            {
                unknown.Add(normalized.Length > 30 ? normalized[..30] + "…" : normalized);
                continue;
            }
            chosen.Add(group.Id);
        }
        SetChosen(person, chosen);
        if (unknown.Count > 0)
        {
            turn.Reply(turn.Texts.GroupsNotFound(unknown));
        }
    }

    /// <summary>The chosen classes that are still active (one may have been archived while the teacher was typing).</summary>
    private static async Task<IReadOnlyList<Group>> ActiveChosenGroupsAsync(Turn turn)
    {
        var chosen = ChosenGroups(turn.RequirePerson.Dialog);
        if (chosen.Count == 0)
        {
            return [];
        }
        var groups = await turn.Context.Groups.ListAsync(includeArchived: false, turn.CancellationToken).ConfigureAwait(false);
        return groups.Where(g => chosen.Contains(g.Id)).ToList();
    }

    private static HashSet<GroupId> ChosenGroups(DialogState d) =>
        [.. (d.Get(Groups) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(GroupId.TryParse).OfType<GroupId>()];

    private static void SetChosen(Person person, IEnumerable<GroupId> chosen) =>
        person.SetStepData(Groups, string.Join(",", chosen.Select(g => g.Value).Order()));

    private static DateOnly? ParseDay(Turn turn, string text)
    {
        var t = turn.Texts;
        var today = SchoolTime.Today(turn.Now, turn.Settings.TimeZone);
        var error = SchoolDayInput.TryParse(text, today, out var day);
        if (error != DateInputError.None)
        {
            turn.Reply(t.DayInputError(error));
            return null;
        }
        if (day < today)
        {
            turn.Reply(t.DayInThePast);
            return null;
        }
        if (day > today.AddDays(MaxDaysAhead))
        {
            turn.Reply(t.DayTooFar(MaxDaysAhead));
            return null;
        }
        return day;
    }

    private static MaterialDraft DraftOf(DialogState d) => new()
    {
        SubjectId = long.TryParse(d.Get(Subject), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0,
        Groups = [.. ChosenGroups(d)],
        Kind = d.Get(Kind) switch { "a" => MaterialKind.Assignment, "s" => MaterialKind.Source, _ => MaterialKind.Material },
        Title = d.Get(Title) ?? string.Empty,
        Url = d.Get(Link) ?? string.Empty,
        Description = string.IsNullOrEmpty(d.Get(Description)) ? null : d.Get(Description),
        DueOn = d.Get(Kind) == "a" ? Day(d.Get(Due)) : null,
        LessonOn = Day(d.Get(Lesson)),
    };

    private static DateOnly? Day(string? value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>The card as it will read, from the draft and the names of its subject and classes.</summary>
    private static async Task<MaterialView> PreviewAsync(Turn turn, MaterialDraft draft)
    {
        var person = turn.RequirePerson;
        var subject = await turn.Context.Consultations.GetSubjectAsync(draft.SubjectId, turn.CancellationToken).ConfigureAwait(false);
        var groups = await ActiveChosenGroupsAsync(turn).ConfigureAwait(false);
        return new MaterialView(new MaterialId(0), subject?.Name ?? string.Empty, person.FullName ?? string.Empty, draft.Kind, draft.Title,
            draft.Url, draft.Description, draft.DueOn, draft.LessonOn, [.. groups.Select(g => g.Name)], turn.Now);
    }

    private static async Task PublishAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var zone = turn.Settings.TimeZone;
        var draft = DraftOf(person.Dialog);
        // Re-checked at the last moment: the classes may have been archived and a date may have passed since they were given.
        var groups = await ActiveChosenGroupsAsync(turn).ConfigureAwait(false);
        if (groups.Count == 0)
        {
            turn.Reply(t.ChosenGroupsGone);
            Forget(person, Groups, GroupsDone);
            await AskNextAsync(turn).ConfigureAwait(false);
            return;
        }
        var today = SchoolTime.Today(turn.Now, zone);
        if (draft.DueOn < today || draft.LessonOn < today)
        {
            turn.Reply(t.DayInThePast);
            Forget(person, draft.DueOn < today ? Due : Lesson);
            await AskNextAsync(turn).ConfigureAwait(false);
            return;
        }
        draft = draft with { Groups = [.. groups.Select(g => g.Id)] };
        var view = await PreviewAsync(turn, draft).ConfigureAwait(false);
        var subject = draft.SubjectId.ToString(CultureInfo.InvariantCulture);
        var notices = Enum.GetValues<Language>().ToDictionary(language => language, language =>
        {
            var tt = TextCatalog.For(language);
            return new MaterialNotice(tt.NewMaterialNotice(MaterialFormat.Card(tt, view, zone)),
                Keyboard.Of([Turn.MenuButton(tt.MenuMaterials, MaterialsFeature.Verb, "l", "-", subject, "0")]));
        });
        var published = await turn.Context.Materials.PublishAsync(person.Id, draft, notices, turn.Now, turn.CancellationToken)
            .ConfigureAwait(false);
        await turn.Context.Audit.WriteAsync("material-published", null, person.Id, turn.CancellationToken).ConfigureAwait(false);
        person.EndDialog();
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.MaterialPublished(published.Recipients, MaterialFormat.Card(t, view, zone)), Keyboard.Of(
            [Turn.MenuButton(t.PostAnotherMaterial, Verb), Turn.MenuButton(t.MenuMaterials, MaterialsFeature.Verb, "s", "m")]));
    }

    private static void Forget(Person person, params string[] fields)
    {
        var data = new Dictionary<string, string>(person.Dialog.Data);
        foreach (var field in fields)
        {
            data.Remove(field);
        }
        person.BeginStep(Prefix + fields[0], data);
    }
}
