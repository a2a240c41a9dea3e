using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// /directory (administrators): subjects (add, rename, confidential or not), methodological associations (add, rename,
/// delete), a teacher's card (association, subjects, office-hours note) and the responsible contacts (add, move up,
/// remove). Every typed value is checked as the schema's CHECKs check it; every id in a button is looked up again, so
/// an unknown or deleted one gets a friendly answer and changes nothing. Changes are audited with anonymous ids.
/// </summary>
internal sealed class DirectoryAdminFeature : IConversationFeature
{
    public const string Verb = "dd";
    public const int SubjectsPerPage = 16;
    public const int StaffPerPage = 20;
    private const string StepAddSubject = "dd.sa";
    private const string StepRenameSubject = "dd.sr";
    private const string StepAddAssociation = "dd.aa";
    private const string StepRenameAssociation = "dd.ar";
    private const string StepNote = "dd.tn";
    private const string StepDuty = "dd.cd";
    private const string StepName = "dd.cn";
    private const string StepReach = "dd.cr";
    private const string IdKey = "id";

    public IReadOnlyCollection<string> Commands { get; } = ["directory"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } =
        [StepAddSubject, StepRenameSubject, StepAddAssociation, StepRenameAssociation, StepNote, StepDuty, StepName, StepReach];

    public Task OnCommandAsync(Turn turn, string command, string argument)
    {
        if (!Administrators.AllowCommand(turn))
        {
            return Task.CompletedTask;
        }
        ShowMain(turn);
        return Task.CompletedTask;
    }

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Administrators.AllowPress(turn))
        {
            return;
        }
        var repo = turn.Context.Directory;
        var ct = turn.CancellationToken;
        var id = DirectoryLimits.ParseId(payload.Arg(1));
        switch (payload.Arg(0))
        {
            case "" or "m":
                ShowMain(turn);
                return;
            // Subjects
            case "s":
                await ShowSubjectsAsync(turn, DirectoryLimits.ParsePage(payload.Arg(1))).ConfigureAwait(false);
                return;
            case "sa":
                person.BeginStep(StepAddSubject);
                turn.Reply(t.AskSubjectName(DirectoryLimits.SubjectMin, DirectoryLimits.SubjectMax));
                return;
            case "sc" or "sr" or "sx":
                var subject = id is { } sid ? await repo.GetSubjectAsync(sid, ct).ConfigureAwait(false) : null;
                if (subject is null)
                {
                    Refuse(turn, t.SubjectNotFound);
                    return;
                }
                if (payload.Arg(0) == "sr")
                {
                    person.BeginStep(StepRenameSubject, new Dictionary<string, string> { [IdKey] = subject.Id.ToString(CultureInfo.InvariantCulture) });
                    turn.Reply(t.AskSubjectName(DirectoryLimits.SubjectMin, DirectoryLimits.SubjectMax));
                    return;
                }
                if (payload.Arg(0) == "sx")
                {
                    await SetConfidentialAsync(turn, subject, payload.Arg(2), payload.Arg(3) == "y").ConfigureAwait(false);
                    return;
                }
                ShowSubject(turn, subject);
                return;
            // Associations
            case "a":
                await ShowAssociationsAsync(turn).ConfigureAwait(false);
                return;
            case "aa":
                person.BeginStep(StepAddAssociation);
                turn.Reply(t.AskAssociationName(DirectoryLimits.AssociationMin, DirectoryLimits.AssociationMax));
                return;
            case "ac" or "ar" or "ad" or "ay":
                var association = id is { } aid ? await repo.GetAssociationAsync(aid, ct).ConfigureAwait(false) : null;
                if (association is null)
                {
                    Refuse(turn, t.AssociationNotFound);
                    return;
                }
                await OnAssociationAsync(turn, payload.Arg(0), association).ConfigureAwait(false);
                return;
            // Teachers' cards
            case "t":
                await ShowStaffAsync(turn, DirectoryLimits.ParsePage(payload.Arg(1))).ConfigureAwait(false);
                return;
            case "tc" or "ta" or "tas" or "ts" or "tst" or "tn" or "tnc":
                var teacher = id is { } tid ? await repo.GetTeacherAsync(new PersonId(tid), ct).ConfigureAwait(false) : null;
                if (teacher is null)
                {
                    Refuse(turn, t.TeacherNotFound);
                    return;
                }
                await OnTeacherAsync(turn, payload, teacher).ConfigureAwait(false);
                return;
            // Contacts
            case "c":
                await ShowContactsAsync(turn).ConfigureAwait(false);
                return;
            case "ca":
                person.BeginStep(StepDuty);
                turn.Reply(t.AskContactDuty(DirectoryLimits.DutyMax));
                return;
            case "cs" when person.Dialog.Step == StepReach:
                await AddContactAsync(turn, null).ConfigureAwait(false);
                return;
            case "cu" or "cx":
                if (id is not { } cid || await repo.GetContactAsync(cid, ct).ConfigureAwait(false) is null)
                {
                    Refuse(turn, t.ContactNotFound);
                    return;
                }
                if (payload.Arg(0) == "cx")
                {
                    await repo.RemoveContactAsync(cid, ct).ConfigureAwait(false);
                    await turn.Context.Audit.WriteAsync("contact-removed", null, person.Id, ct).ConfigureAwait(false);
                    turn.CallbackAnswer = t.ContactRemoved;
                }
                else if (await repo.MoveContactUpAsync(cid, ct).ConfigureAwait(false))
                {
                    await turn.Context.Audit.WriteAsync("contact-moved", null, person.Id, ct).ConfigureAwait(false);
                    turn.CallbackAnswer = t.Done;
                }
                await ShowContactsAsync(turn).ConfigureAwait(false);
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
        var repo = turn.Context.Directory;
        var ct = turn.CancellationToken;
        var audit = turn.Context.Audit;
        var id = DirectoryLimits.ParseId(person.Dialog.Get(IdKey) ?? string.Empty);
        switch (step)
        {
            case StepAddSubject or StepRenameSubject:
            {
                if (DirectoryLimits.Clean(text, DirectoryLimits.SubjectMin, DirectoryLimits.SubjectMax) is not { } name)
                {
                    turn.Reply(t.SubjectNameInvalid(DirectoryLimits.SubjectMin, DirectoryLimits.SubjectMax));
                    return;
                }
                if (step == StepAddSubject)
                {
                    if (await repo.AddSubjectAsync(name, ct).ConfigureAwait(false) is null)
                    {
                        turn.Reply(t.SubjectExists(name));
                        return;
                    }
                    await audit.WriteAsync("subject-added", null, person.Id, ct).ConfigureAwait(false);
                    person.EndDialog();
                    turn.Reply(t.SubjectAdded(name));
                    await ShowSubjectsAsync(turn, 0).ConfigureAwait(false);
                    return;
                }
                var subject = id is { } sid ? await repo.GetSubjectAsync(sid, ct).ConfigureAwait(false) : null;
                if (subject is null)
                {
                    person.EndDialog();
                    turn.Reply(t.SubjectNotFound);
                    return;
                }
                if (!await repo.RenameSubjectAsync(subject.Id, name, ct).ConfigureAwait(false))
                {
                    turn.Reply(t.SubjectExists(name));
                    return;
                }
                await audit.WriteAsync("subject-renamed", null, person.Id, ct).ConfigureAwait(false);
                person.EndDialog();
                turn.Reply(t.SubjectRenamed(subject.Name, name));
                ShowSubject(turn, subject with { Name = name });
                return;
            }
            case StepAddAssociation or StepRenameAssociation:
            {
                if (DirectoryLimits.Clean(text, DirectoryLimits.AssociationMin, DirectoryLimits.AssociationMax) is not { } name)
                {
                    turn.Reply(t.AssociationNameInvalid(DirectoryLimits.AssociationMin, DirectoryLimits.AssociationMax));
                    return;
                }
                if (step == StepAddAssociation)
                {
                    if (await repo.AddAssociationAsync(name, ct).ConfigureAwait(false) is null)
                    {
                        turn.Reply(t.AssociationExists(name));
                        return;
                    }
                    await audit.WriteAsync("association-added", null, person.Id, ct).ConfigureAwait(false);
                    person.EndDialog();
                    turn.Reply(t.AssociationAdded(name));
                    await ShowAssociationsAsync(turn).ConfigureAwait(false);
                    return;
                }
                var association = id is { } aid ? await repo.GetAssociationAsync(aid, ct).ConfigureAwait(false) : null;
                if (association is null)
                {
                    person.EndDialog();
                    turn.Reply(t.AssociationNotFound);
                    return;
                }
                if (!await repo.RenameAssociationAsync(association.Id, name, ct).ConfigureAwait(false))
                {
                    turn.Reply(t.AssociationExists(name));
                    return;
                }
                await audit.WriteAsync("association-renamed", null, person.Id, ct).ConfigureAwait(false);
                person.EndDialog();
                turn.Reply(t.AssociationRenamed(association.Name, name));
                await ShowAssociationsAsync(turn).ConfigureAwait(false);
                return;
            }
            case StepNote:
            {
                if (DirectoryLimits.Clean(text, 1, DirectoryLimits.NoteMax, singleLine: false) is not { } note)
                {
                    turn.Reply(t.NoteTooLong(DirectoryLimits.NoteMax));
                    return;
                }
                var teacher = id is { } tid ? await repo.GetTeacherAsync(new PersonId(tid), ct).ConfigureAwait(false) : null;
                person.EndDialog();
                if (teacher is null)
                {
                    turn.Reply(t.TeacherNotFound);
                    return;
                }
                await repo.SetNoteAsync(teacher.Id, note, ct).ConfigureAwait(false);
                await audit.WriteAsync("teacher-profile-changed", teacher.Id, person.Id, ct).ConfigureAwait(false);
                turn.Reply(t.NoteSaved);
                await ShowTeacherAsync(turn, teacher.Id).ConfigureAwait(false);
                return;
            }
            case StepDuty:
                if (DirectoryLimits.Clean(text, 1, DirectoryLimits.DutyMax) is not { } duty)
                {
                    turn.Reply(t.ContactFieldInvalid(DirectoryLimits.DutyMax));
                    return;
                }
                person.BeginStep(StepName, new Dictionary<string, string> { ["duty"] = duty });
                turn.Reply(t.AskContactName(DirectoryLimits.ContactNameMax));
                return;
            case StepName:
                if (DirectoryLimits.Clean(text, 1, DirectoryLimits.ContactNameMax) is not { } contactName)
                {
                    turn.Reply(t.ContactFieldInvalid(DirectoryLimits.ContactNameMax));
                    return;
                }
                person.BeginStep(StepReach, new Dictionary<string, string> { ["duty"] = person.Dialog.Get("duty") ?? string.Empty, ["name"] = contactName });
                turn.Reply(t.AskContactReach(DirectoryLimits.ReachMax), Keyboard.Of([turn.StepButton(t.Skip, Verb, "cs")]));
                return;
            default:
                if (DirectoryLimits.Clean(text, 1, DirectoryLimits.ReachMax) is not { } reach)
                {
                    turn.Reply(t.ContactFieldInvalid(DirectoryLimits.ReachMax), Keyboard.Of([turn.StepButton(t.Skip, Verb, "cs")]));
                    return;
                }
                await AddContactAsync(turn, reach).ConfigureAwait(false);
                return;
        }
    }

    private static void Refuse(Turn turn, string text)
    {
        turn.CallbackAnswer = text;
        turn.Reply(text);
    }

    private static void ShowMain(Turn turn)
    {
        var t = turn.Texts;
        turn.Reply(t.DirectoryAdminTitle, Keyboard.Of(
            [Turn.MenuButton(t.DirSubjects, Verb, "s", "0"), Turn.MenuButton(t.DirAssociations, Verb, "a")],
            [Turn.MenuButton(t.DirTeachers, Verb, "t", "0"), Turn.MenuButton(t.DirContacts, Verb, "c")]));
    }

    private static async Task ShowSubjectsAsync(Turn turn, int page)
    {
        var t = turn.Texts;
        var subjects = await turn.Context.Directory.SubjectsAsync(turn.CancellationToken).ConfigureAwait(false);
        var pages = Math.Max(1, (subjects.Count + SubjectsPerPage - 1) / SubjectsPerPage);
        page = Math.Min(page, pages - 1);
        var rows = subjects.Skip(page * SubjectsPerPage).Take(SubjectsPerPage)
            .Select(s => Turn.MenuButton((s.Confidential ? "🔒 " : string.Empty) + s.Name, Verb, "sc", s.Id.ToString(CultureInfo.InvariantCulture)))
            .Chunk(2).Select(r => (IReadOnlyList<Button>)r).ToList();
        AddNav(rows, t, page, pages, "s");
        rows.Add([Turn.MenuButton(t.AddGroup, Verb, "sa"), Turn.MenuButton(t.Back, Verb, "m")]);
        turn.Reply(t.SubjectsTitle(subjects.Count, page + 1, pages), new Keyboard(rows));
    }

    /// <summary>
    /// <c>sx:id:1</c> makes the subject confidential, <c>sx:id:0</c> asks to confirm making it ordinary and
    /// <c>sx:id:0:y</c> does it. The button carries the state it sets, so a double press or an old message never flips
    /// it back; setting the state it already has changes nothing and writes no audit entry.
    /// </summary>
    private static async Task SetConfidentialAsync(Turn turn, DirectorySubject subject, string target, bool confirmed)
    {
        var t = turn.Texts;
        if (target is not ("0" or "1"))
        {
            turn.CallbackAnswer = t.ButtonStale;
            ShowSubject(turn, subject);
            return;
        }
        var confidential = target == "1";
        if (subject.Confidential == confidential)
        {
            turn.CallbackAnswer = t.ConfidentialAlready(subject.Name, confidential);
            ShowSubject(turn, subject);
            return;
        }
        var id = subject.Id.ToString(CultureInfo.InvariantCulture);
        if (!confidential && !confirmed)
        {
            turn.Reply(t.ConfirmMakeOrdinary(subject.Name), Keyboard.Of(
                [Turn.MenuButton(t.YesMakeOrdinary, Verb, "sx", id, "0", "y")],
                [Turn.MenuButton(t.Back, Verb, "sc", id)]));
            return;
        }
        var person = turn.RequirePerson;
        if (await turn.Context.Directory.SetConfidentialAsync(subject.Id, confidential, turn.CancellationToken).ConfigureAwait(false))
        {
            await turn.Context.Audit.WriteAsync(confidential ? "subject-made-confidential" : "subject-made-ordinary", null, person.Id,
                turn.CancellationToken).ConfigureAwait(false);
        }
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.ConfidentialChanged(subject.Name, confidential));
        ShowSubject(turn, subject with { Confidential = confidential });
    }

    private static void ShowSubject(Turn turn, DirectorySubject subject)
    {
        var t = turn.Texts;
        var id = subject.Id.ToString(CultureInfo.InvariantCulture);
        turn.Reply(t.SubjectCard(subject.Name, subject.Confidential), Keyboard.Of(
            [Turn.MenuButton(t.Rename, Verb, "sr", id)],
            [Turn.MenuButton(subject.Confidential ? t.MakeOpen : t.MakeConfidential, Verb, "sx", id, subject.Confidential ? "0" : "1")],
            [Turn.MenuButton(t.Back, Verb, "s", "0")]));
    }

    private static async Task ShowAssociationsAsync(Turn turn)
    {
        var t = turn.Texts;
        var associations = await turn.Context.Directory.AssociationsAsync(turn.CancellationToken).ConfigureAwait(false);
        var rows = associations.Select(a => (IReadOnlyList<Button>)[Turn.MenuButton($"{a.Name} ({a.Teachers})", Verb, "ac",
            a.Id.ToString(CultureInfo.InvariantCulture))]).ToList();
        rows.Add([Turn.MenuButton(t.AddGroup, Verb, "aa"), Turn.MenuButton(t.Back, Verb, "m")]);
        turn.Reply(t.AssociationsTitle(associations.Count), new Keyboard(rows));
    }

    private static async Task OnAssociationAsync(Turn turn, string action, Association association)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var id = association.Id.ToString(CultureInfo.InvariantCulture);
        switch (action)
        {
            case "ac":
                turn.Reply(t.AssociationCard(association.Name, association.Teachers), Keyboard.Of(
                    [Turn.MenuButton(t.Rename, Verb, "ar", id), Turn.MenuButton(t.DeleteButton, Verb, "ad", id)],
                    [Turn.MenuButton(t.Back, Verb, "a")]));
                return;
            case "ar":
                person.BeginStep(StepRenameAssociation, new Dictionary<string, string> { [IdKey] = id });
                turn.Reply(t.AskAssociationName(DirectoryLimits.AssociationMin, DirectoryLimits.AssociationMax));
                return;
            case "ad":
                turn.Reply(t.ConfirmDeleteAssociation(association.Name, association.Teachers), Keyboard.Of(
                    [Turn.MenuButton(t.YesDelete, Verb, "ay", id), Turn.MenuButton(t.Back, Verb, "a")]));
                return;
            default:
                if (await turn.Context.Directory.DeleteAssociationAsync(association.Id, turn.CancellationToken).ConfigureAwait(false))
                {
                    await turn.Context.Audit.WriteAsync("association-deleted", null, person.Id, turn.CancellationToken).ConfigureAwait(false);
                }
                turn.CallbackAnswer = t.Done;
                turn.Reply(t.AssociationDeleted(association.Name));
                await ShowAssociationsAsync(turn).ConfigureAwait(false);
                return;
        }
    }

    private static async Task ShowStaffAsync(Turn turn, int page)
    {
        var t = turn.Texts;
        var repo = turn.Context.Directory;
        var result = await repo.StaffAsync(page * StaffPerPage, StaffPerPage, turn.CancellationToken).ConfigureAwait(false);
        var pages = Math.Max(1, (result.Total + StaffPerPage - 1) / StaffPerPage);
        if (page >= pages)
        {
            page = pages - 1;
            result = await repo.StaffAsync(page * StaffPerPage, StaffPerPage, turn.CancellationToken).ConfigureAwait(false);
        }
        var rows = result.Items.Select(p => Turn.MenuButton(p.Name, Verb, "tc", p.Id.ToString()))
            .Chunk(2).Select(r => (IReadOnlyList<Button>)r).ToList();
        AddNav(rows, t, page, pages, "t");
        rows.Add([Turn.MenuButton(t.Back, Verb, "m")]);
        turn.Reply(t.StaffTitle(page + 1, pages, result.Total), new Keyboard(rows));
    }

    private static async Task ShowTeacherAsync(Turn turn, PersonId id)
    {
        var t = turn.Texts;
        var repo = turn.Context.Directory;
        var teacher = await repo.GetTeacherAsync(id, turn.CancellationToken).ConfigureAwait(false);
        if (teacher is null)
        {
            turn.Reply(t.TeacherNotFound);
            return;
        }
        var subjects = await repo.SubjectsAsync(turn.CancellationToken).ConfigureAwait(false);
        var names = subjects.Where(s => teacher.SubjectIds.Contains(s.Id)).Select(s => s.Name).ToList();
        var arg = teacher.Id.ToString();
        var rows = new List<IReadOnlyList<Button>>
        {
            new[] { Turn.MenuButton(t.ChooseAssociationButton, Verb, "ta", arg), Turn.MenuButton(t.ToggleSubjectsButton, Verb, "ts", arg, "0") },
            new[] { Turn.MenuButton(t.SetNoteButton, Verb, "tn", arg) },
        };
        if (teacher.Note is not null)
        {
            rows.Add([Turn.MenuButton(t.ClearNoteButton, Verb, "tnc", arg)]);
        }
        rows.Add([Turn.MenuButton(t.Back, Verb, "t", "0")]);
        turn.Reply(t.TeacherProfileCard(teacher.Name, teacher.Association, names, teacher.Note), new Keyboard(rows));
    }

    private static async Task OnTeacherAsync(Turn turn, CallbackPayload payload, TeacherProfile teacher)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var repo = turn.Context.Directory;
        var ct = turn.CancellationToken;
        var arg = teacher.Id.ToString();
        switch (payload.Arg(0))
        {
            case "tc":
                await ShowTeacherAsync(turn, teacher.Id).ConfigureAwait(false);
                return;
            case "ta":
                var associations = await repo.AssociationsAsync(ct).ConfigureAwait(false);
                if (associations.Count == 0)
                {
                    turn.Reply(t.NoAssociationsYet, Keyboard.Of([Turn.MenuButton(t.DirAssociations, Verb, "a")]));
                    return;
                }
                var rows = associations.Select(a => (IReadOnlyList<Button>)[Turn.MenuButton(
                    (a.Id == teacher.AssociationId ? "✓ " : string.Empty) + a.Name, Verb, "tas", arg, a.Id.ToString(CultureInfo.InvariantCulture))]).ToList();
                rows.Add([Turn.MenuButton(t.WithoutAssociationButton, Verb, "tas", arg, "0")]);
                rows.Add([Turn.MenuButton(t.Back, Verb, "tc", arg)]);
                turn.Reply(t.ChooseAssociationFor(teacher.Name), new Keyboard(rows));
                return;
            case "tas":
                long? chosen = null;
                if (payload.Arg(2) != "0")
                {
                    if (DirectoryLimits.ParseId(payload.Arg(2)) is not { } aid || await repo.GetAssociationAsync(aid, ct).ConfigureAwait(false) is null)
                    {
                        Refuse(turn, t.AssociationNotFound);
                        return;
                    }
                    chosen = aid;
                }
                await repo.SetAssociationAsync(teacher.Id, chosen, ct).ConfigureAwait(false);
                await turn.Context.Audit.WriteAsync("teacher-profile-changed", teacher.Id, person.Id, ct).ConfigureAwait(false);
                turn.CallbackAnswer = t.Done;
                await ShowTeacherAsync(turn, teacher.Id).ConfigureAwait(false);
                return;
            case "ts":
                await ShowTeacherSubjectsAsync(turn, teacher, DirectoryLimits.ParsePage(payload.Arg(2))).ConfigureAwait(false);
                return;
            case "tst":
                if (DirectoryLimits.ParseId(payload.Arg(2)) is not { } sid || await repo.GetSubjectAsync(sid, ct).ConfigureAwait(false) is null)
                {
                    Refuse(turn, t.SubjectNotFound);
                    return;
                }
                // The button carries the state it sets (1 = teaches it, 0 = does not): a double press or an old
                // message does what it says instead of flipping the subject back.
                if (payload.Arg(4) is not ("0" or "1"))
                {
                    turn.CallbackAnswer = t.ButtonStale;
                    await ShowTeacherSubjectsAsync(turn, teacher, DirectoryLimits.ParsePage(payload.Arg(3))).ConfigureAwait(false);
                    return;
                }
                if (await repo.SetSubjectAsync(teacher.Id, sid, payload.Arg(4) == "1", ct).ConfigureAwait(false))
                {
                    await turn.Context.Audit.WriteAsync("teacher-profile-changed", teacher.Id, person.Id, ct).ConfigureAwait(false);
                }
                turn.CallbackAnswer = t.Done;
                var updated = await repo.GetTeacherAsync(teacher.Id, ct).ConfigureAwait(false) ?? teacher;
                await ShowTeacherSubjectsAsync(turn, updated, DirectoryLimits.ParsePage(payload.Arg(3))).ConfigureAwait(false);
                return;
            case "tn":
                person.BeginStep(StepNote, new Dictionary<string, string> { [IdKey] = arg });
                turn.Reply(t.AskOfficeHoursNote(teacher.Name, DirectoryLimits.NoteMax));
                return;
            default:
                await repo.SetNoteAsync(teacher.Id, null, ct).ConfigureAwait(false);
                await turn.Context.Audit.WriteAsync("teacher-profile-changed", teacher.Id, person.Id, ct).ConfigureAwait(false);
                turn.CallbackAnswer = t.NoteCleared;
                await ShowTeacherAsync(turn, teacher.Id).ConfigureAwait(false);
                return;
        }
    }

    private static async Task ShowTeacherSubjectsAsync(Turn turn, TeacherProfile teacher, int page)
    {
        var t = turn.Texts;
        var subjects = await turn.Context.Directory.SubjectsAsync(turn.CancellationToken).ConfigureAwait(false);
        var arg = teacher.Id.ToString();
        if (subjects.Count == 0)
        {
            turn.Reply(t.NoSubjectsYet, Keyboard.Of([Turn.MenuButton(t.DirSubjects, Verb, "s", "0")]));
            return;
        }
        var pages = (subjects.Count + SubjectsPerPage - 1) / SubjectsPerPage;
        page = Math.Min(page, pages - 1);
        var pageArg = page.ToString(CultureInfo.InvariantCulture);
        var rows = subjects.Skip(page * SubjectsPerPage).Take(SubjectsPerPage)
            .Select(s => Turn.MenuButton((teacher.SubjectIds.Contains(s.Id) ? "✓ " : string.Empty) + s.Name, Verb, "tst", arg,
                s.Id.ToString(CultureInfo.InvariantCulture), pageArg, teacher.SubjectIds.Contains(s.Id) ? "0" : "1"))
            .Chunk(2).Select(r => (IReadOnlyList<Button>)r).ToList();
        Pager.AddRow(rows, t, page, pages, (label, to) => Turn.MenuButton(label, Verb, "ts", arg, to));
        rows.Add([Turn.MenuButton(t.Back, Verb, "tc", arg)]);
        turn.Reply(t.ToggleSubjectsFor(teacher.Name, page + 1, pages), new Keyboard(rows));
    }

    private static async Task ShowContactsAsync(Turn turn)
    {
        var t = turn.Texts;
        var contacts = await turn.Context.Directory.ContactsAsync(turn.CancellationToken).ConfigureAwait(false);
        var lines = contacts.Select((c, i) => $"{i + 1}. " + t.ContactLine(c.Duty, c.Name, c.HowToReach)[2..]);
        var rows = contacts.Select((c, i) =>
        {
            var id = c.Id.ToString(CultureInfo.InvariantCulture);
            return (IReadOnlyList<Button>)(i == 0
                ? [Turn.MenuButton(t.RemoveButton(i + 1), Verb, "cx", id)]
                : [Turn.MenuButton(t.MoveUpButton(i + 1), Verb, "cu", id), Turn.MenuButton(t.RemoveButton(i + 1), Verb, "cx", id)]);
        }).ToList();
        rows.Add([Turn.MenuButton(t.AddGroup, Verb, "ca"), Turn.MenuButton(t.Back, Verb, "m")]);
        turn.Reply(string.Join('\n', lines.Prepend(t.ContactsTitle(contacts.Count))), new Keyboard(rows));
    }

    private static async Task AddContactAsync(Turn turn, string? reach)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var duty = person.Dialog.Get("duty");
        var name = person.Dialog.Get("name");
        person.EndDialog();
        if (string.IsNullOrEmpty(duty) || string.IsNullOrEmpty(name))
        {
            await ShowContactsAsync(turn).ConfigureAwait(false);
            return;
        }
        await turn.Context.Directory.AddContactAsync(duty, name, reach, turn.CancellationToken).ConfigureAwait(false);
        await turn.Context.Audit.WriteAsync("contact-added", null, person.Id, turn.CancellationToken).ConfigureAwait(false);
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.ContactAdded(duty));
        await ShowContactsAsync(turn).ConfigureAwait(false);
    }

    internal static void AddNav(List<IReadOnlyList<Button>> rows, Texts.ITexts t, int page, int pages, string action) =>
        Pager.AddRow(rows, t, page, pages, (label, to) => Turn.MenuButton(label, Verb, action, to));
}
