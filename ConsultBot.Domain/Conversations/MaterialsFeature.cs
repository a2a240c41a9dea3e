using System.Globalization;
using ConsultBot.Domain.Materials;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// /materials: a subject, then its materials newest first, a page at a time. Students see their class's, parents their
/// followed children's classes', teachers their own posts or the whole school's. Buttons carry a scope letter, a
/// subject id and a page; what they show is always worked out again for the person pressing, so a forged or
/// someone else's button shows nothing that person could not see.
/// </summary>
internal sealed class MaterialsFeature : IConversationFeature
{
    public const string Verb = "mb";
    public const int PageSize = 5;
    private const int MaxPage = 10_000;

    public IReadOnlyCollection<string> Commands { get; } = ["materials"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [];

    public Task OnCommandAsync(Turn turn, string command, string argument) => ShowSubjectsAsync(turn, string.Empty);

    public Task OnTextAsync(Turn turn, string step, string text) => Task.CompletedTask;

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        turn.CallbackAnswer = string.Empty;
        switch (payload.Arg(0))
        {
            case "" or "s":
                await ShowSubjectsAsync(turn, payload.Arg(1)).ConfigureAwait(false);
                return;
            case "l" when long.TryParse(payload.Arg(2), NumberStyles.None, CultureInfo.InvariantCulture, out var subject)
                          && int.TryParse(payload.Arg(3), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page <= MaxPage:
                await ShowPageAsync(turn, payload.Arg(1), subject, page).ConfigureAwait(false);
                return;
            default:
                turn.CallbackAnswer = turn.Texts.ButtonInvalid;
                return;
        }
    }

    /// <summary>
    /// What the person may browse: "m" (own posts) and "a" (the whole school) are for teachers and administrators;
    /// students and parents always get their own scope whatever the button says ("-"). Null: nothing to browse.
    /// </summary>
    private static MaterialScope? ScopeOf(Person person, string scope) => person.Role switch
    {
        Role.Teacher or Role.Admin => new MaterialScope(person.Id, scope == "a" ? MaterialAudience.All : MaterialAudience.OwnPosts),
        Role.Student when scope is "" or "-" => new MaterialScope(person.Id, MaterialAudience.Student),
        Role.Parent when scope is "" or "-" => new MaterialScope(person.Id, MaterialAudience.Parent),
        _ => null,
    };

    private static string ScopeArg(MaterialScope scope) => scope.Audience switch
    {
        MaterialAudience.All => "a",
        MaterialAudience.OwnPosts => "m",
        _ => "-",
    };

    private static async Task ShowSubjectsAsync(Turn turn, string scopeArg)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (ScopeOf(person, scopeArg) is not { } scope)
        {
            turn.CallbackAnswer = t.ButtonInvalid;
            return;
        }
        if (scope.Audience == MaterialAudience.Parent
            && (await turn.Context.People.ChildrenOfAsync(person.Id, turn.CancellationToken).ConfigureAwait(false)).Count == 0)
        {
            turn.Reply(t.NoChildrenLinked, Keyboard.Of([Turn.MenuButton(t.MenuLinkChild, Menus.Verb, "c")]));
            return;
        }
        var subjects = await turn.Context.Materials.SubjectsAsync(scope, turn.CancellationToken).ConfigureAwait(false);
        var arg = ScopeArg(scope);
        var rows = subjects.Take(24)
            .Select(s => Turn.MenuButton(s.Name, Verb, "l", arg, s.Id.ToString(CultureInfo.InvariantCulture), "0"))
            .Chunk(2).Select(r => (IReadOnlyList<Button>)r).ToList();
        if (scope.Audience is MaterialAudience.OwnPosts or MaterialAudience.All)
        {
            rows.Add([scope.Audience == MaterialAudience.OwnPosts
                ? Turn.MenuButton(t.ShowAllMaterials, Verb, "s", "a")
                : Turn.MenuButton(t.ShowOwnMaterials, Verb, "s", "m")]);
        }
        var text = subjects.Count == 0 ? t.NoMaterials : t.ChooseMaterialsSubject(scope.Audience == MaterialAudience.OwnPosts);
        turn.Reply(text, rows.Count == 0 ? null : new Keyboard(rows));
    }

    private static async Task ShowPageAsync(Turn turn, string scopeArg, long subjectId, int page)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (ScopeOf(person, scopeArg) is not { } scope)
        {
            turn.CallbackAnswer = t.ButtonInvalid;
            return;
        }
        var repo = turn.Context.Materials;
        var result = await repo.PageAsync(scope, subjectId, page * PageSize, PageSize, turn.CancellationToken).ConfigureAwait(false);
        if (result.Total == 0)
        {
            turn.CallbackAnswer = t.NoMaterials;
            await ShowSubjectsAsync(turn, scopeArg).ConfigureAwait(false);
            return;
        }
        var pages = (result.Total + PageSize - 1) / PageSize;
        if (page >= pages)
        {
            // The list shrank (or the button was made up): show the last page there is.
            page = pages - 1;
            result = await repo.PageAsync(scope, subjectId, page * PageSize, PageSize, turn.CancellationToken).ConfigureAwait(false);
        }
        var zone = turn.Settings.TimeZone;
        var subjectName = result.Items.Count > 0 ? result.Items[0].SubjectName : string.Empty;
        var messages = MaterialFormat.Pack(t.MaterialsTitle(subjectName, page + 1, pages, result.Total),
            result.Items.Select(m => MaterialFormat.Card(t, m, zone)));
        var arg = ScopeArg(scope);
        var subject = subjectId.ToString(CultureInfo.InvariantCulture);
        var rows = new List<IReadOnlyList<Button>>();
        Pager.AddRow(rows, t, page, pages, (label, to) => Turn.MenuButton(label, Verb, "l", arg, subject, to));
        rows.Add([Turn.MenuButton(t.MaterialsSubjects, Verb, "s", arg)]);
        for (var i = 0; i < messages.Count; i++)
        {
            turn.Reply(messages[i], i == messages.Count - 1 ? new Keyboard(rows) : null);
        }
    }
}
