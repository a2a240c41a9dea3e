using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;
using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// /teachers: the school's responsible contacts, then its active teachers by methodological association ("no
/// association" last) with subjects, office hours and a booking button for students and parents. Pages are cut by
/// length so no message nears the messengers' 4,096 characters, and by count so the booking buttons stay few.
/// Nothing about students is shown. Pages are worked out again on every press.
/// </summary>
internal sealed class DirectoryFeature : IConversationFeature
{
    public const string Verb = "dt";
    /// <summary>Characters a page's text may take; leaves room for the title under the messengers' 4,096.</summary>
    public const int PageBudget = 3500;
    public const int MaxTeachersPerPage = 10;

    public IReadOnlyCollection<string> Commands { get; } = ["teachers"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [];

    public Task OnCommandAsync(Turn turn, string command, string argument) => ShowAsync(turn, 0);

    public Task OnTextAsync(Turn turn, string step, string text) => Task.CompletedTask;

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        turn.CallbackAnswer = string.Empty;
        if (payload.Arg(0) is "" or "p")
        {
            await ShowAsync(turn, DirectoryLimits.ParsePage(payload.Arg(1))).ConfigureAwait(false);
            return;
        }
        turn.CallbackAnswer = turn.Texts.ButtonInvalid;
    }

    private static async Task ShowAsync(Turn turn, int page)
    {
        var t = turn.Texts;
        var ct = turn.CancellationToken;
        var directory = turn.Context.Directory;
        var teachers = await directory.TeachersAsync(turn.Now + turn.Settings.Consultations.MinimumNotice, ct).ConfigureAwait(false);
        var contacts = await directory.ContactsAsync(ct).ConfigureAwait(false);
        var contactsBlock = contacts.Count == 0
            ? null
            : t.ContactsHeader + "\n" + string.Join('\n', contacts.Select(c => t.ContactLine(c.Duty, c.Name, c.HowToReach)));
        if (teachers.Count == 0)
        {
            turn.Reply(contactsBlock is null ? t.DirectoryEmpty : contactsBlock + "\n\n" + t.DirectoryEmpty);
            return;
        }
        var zone = turn.Settings.TimeZone;
        var pages = Paginate(t, teachers, contactsBlock?.Length ?? 0);
        page = Math.Min(page, pages.Count - 1);
        var parts = new List<string> { t.DirectoryTitle(page + 1, pages.Count, teachers.Count) };
        if (page == 0 && contactsBlock is not null)
        {
            parts.Add(contactsBlock);
        }
        string? association = null;
        var first = true;
        foreach (var teacher in pages[page])
        {
            var header = teacher.Association ?? t.NoAssociation;
            if (first || header != association)
            {
                parts.Add("🏛 " + header);
                association = header;
                first = false;
            }
            parts.Add(Entry(t, teacher, turn.RequirePerson.Role));
        }
        var rows = new List<IReadOnlyList<Button>>();
        var person = turn.RequirePerson;
        if (person.Role is Role.Student or Role.Parent)
        {
            var forArg = await ForArgAsync(turn).ConfigureAwait(false);
            foreach (var teacher in pages[page].Where(x => x.CanBook))
            {
                var label = t.BookTeacher(Consultations.ConsultationFormat.ShortName(teacher.Name));
                rows.Add([forArg is not null && teacher.BookSubjectId is { } subject
                    ? Turn.MenuButton(label, BookingFeature.Verb, "t", forArg, subject.ToString(CultureInfo.InvariantCulture), teacher.Id.ToString())
                    : Turn.MenuButton(label, BookingFeature.Verb, "s")]);
            }
        }
        Pager.AddRow(rows, t, page, pages.Count, (label, to) => Turn.MenuButton(label, Verb, "p", to));
        turn.Reply(string.Join("\n\n", parts), rows.Count == 0 ? null : new Keyboard(rows));
    }

    /// <summary>
    /// Whom a booking button books for: a student themselves (""), a parent their only linked child; null when a parent
    /// must pick a child first (the general /book flow asks).
    /// </summary>
    private static async Task<string?> ForArgAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        if (person.Role == Role.Student)
        {
            return string.Empty;
        }
        var children = await turn.Context.People.ChildrenOfAsync(person.Id, turn.CancellationToken).ConfigureAwait(false);
        return children.Count == 1 ? children[0].Id.ToString() : null;
    }

    private static string Entry(ITexts t, DirectoryTeacher teacher, Role viewer) =>
        t.TeacherEntry(teacher.Name, teacher.Subjects, teacher.OfficeHours.Select(w => t.OfficeHoursWindow(w.Day, w.From, w.To)).ToList(),
            teacher.OfficeHoursNote, noSlots: viewer is Role.Student or Role.Parent && !teacher.CanBook);

    /// <summary>Teachers cut into pages by length (the first page also carries the contacts) and by count.</summary>
    internal static List<List<DirectoryTeacher>> Paginate(ITexts t, IReadOnlyList<DirectoryTeacher> teachers, int contactsLength)
    {
        var pages = new List<List<DirectoryTeacher>> { new() };
        var used = contactsLength;
        foreach (var teacher in teachers)
        {
            // The entry as a student would see it (the longest form) plus its association header.
            var length = Entry(t, teacher, Role.Student).Length + (teacher.Association ?? t.NoAssociation).Length + 8;
            var current = pages[^1];
            if (current.Count > 0 && (used + length > PageBudget || current.Count >= MaxTeachersPerPage))
            {
                current = [];
                pages.Add(current);
                used = 0;
            }
            current.Add(teacher);
            used += length;
        }
        return pages;
    }
}
