using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// /people and /audit (administrators): people by role (students by class), a person's card, switching a person's
/// access off (with a confirmation) and on again, the teacher invites with re-issue, and the audit log of erased data
/// and role changes. Deactivating a teacher cancels their future consultations and tells everyone booked or waiting.
/// An administrator cannot switch off themselves or the last active administrator (the database checks that too).
/// </summary>
internal sealed class PeopleFeature : IConversationFeature
{
    public const string Verb = "pp";
    public const int PeoplePerPage = 20;
    public const int InvitesPerPage = 10;
    public const int AuditPerPage = 20;

    /// <summary>The audit log's entries an administrator reads: erased personal data and role changes.</summary>
    public static readonly IReadOnlyList<string> AuditActions =
    [
        "personal-data-erased", "unconfirmed-child-erased", "teacher-invite-used", "admin-bootstrapped", "admin-configured",
        "person-deactivated", "person-reactivated",
    ];

    public IReadOnlyCollection<string> Commands { get; } = ["people", "audit"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [];

    public async Task OnCommandAsync(Turn turn, string command, string argument)
    {
        if (!Administrators.AllowCommand(turn))
        {
            return;
        }
        if (command == "audit")
        {
            await ShowAuditAsync(turn, 0).ConfigureAwait(false);
            return;
        }
        ShowMain(turn);
    }

    public Task OnTextAsync(Turn turn, string step, string text) => Task.CompletedTask;

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Administrators.AllowPress(turn))
        {
            return;
        }
        var id = DirectoryLimits.ParseId(payload.Arg(1));
        switch (payload.Arg(0))
        {
            case "" or "m":
                ShowMain(turn);
                return;
            case "g":
                await ShowClassesAsync(turn).ConfigureAwait(false);
                return;
            case "f" when FilterOf(payload.Arg(1)) is { } filter:
                await ShowListAsync(turn, filter, payload.Arg(1), DirectoryLimits.ParsePage(payload.Arg(2)), payload.Arg(3)).ConfigureAwait(false);
                return;
            case "c" or "d" or "dy" or "r":
                var card = id is { } pid ? await turn.Context.Directory.GetPersonAsync(new PersonId(pid), turn.CancellationToken).ConfigureAwait(false) : null;
                if (card is null)
                {
                    Refuse(turn, t.PersonNotFound);
                    return;
                }
                await OnPersonAsync(turn, payload.Arg(0), card).ConfigureAwait(false);
                return;
            case "i":
                await ShowInvitesAsync(turn, DirectoryLimits.ParsePage(payload.Arg(1))).ConfigureAwait(false);
                return;
            case "ir":
                await ReissueAsync(turn, id).ConfigureAwait(false);
                return;
            case "au":
                await ShowAuditAsync(turn, DirectoryLimits.ParsePage(payload.Arg(1))).ConfigureAwait(false);
                return;
            default:
                turn.CallbackAnswer = t.ButtonInvalid;
                return;
        }
    }

    private static PeopleFilter? FilterOf(string arg) => arg switch
    {
        "s" => PeopleFilter.Students,
        "p" => PeopleFilter.Parents,
        "t" => PeopleFilter.Teachers,
        "a" => PeopleFilter.Admins,
        _ => null,
    };

    private static void Refuse(Turn turn, string text)
    {
        turn.CallbackAnswer = text;
        turn.Reply(text);
    }

    private static void ShowMain(Turn turn)
    {
        var t = turn.Texts;
        turn.Reply(t.PeopleTitle, Keyboard.Of(
            [Turn.MenuButton(t.PeopleFilterName(PeopleFilter.Students), Verb, "g"), Turn.MenuButton(t.PeopleFilterName(PeopleFilter.Parents), Verb, "f", "p", "0")],
            [Turn.MenuButton(t.PeopleFilterName(PeopleFilter.Teachers), Verb, "f", "t", "0"), Turn.MenuButton(t.PeopleFilterName(PeopleFilter.Admins), Verb, "f", "a", "0")],
            [Turn.MenuButton(t.InvitesButton, Verb, "i", "0"), Turn.MenuButton(t.MenuAudit, Verb, "au", "0")]));
    }

    private static async Task ShowClassesAsync(Turn turn)
    {
        var t = turn.Texts;
        var groups = await turn.Context.Groups.ListAsync(includeArchived: false, turn.CancellationToken).ConfigureAwait(false);
        var rows = groups.Select(g => Turn.MenuButton(g.Name, Verb, "f", "s", "0", g.Id.ToString()))
            .Chunk(3).Select(r => (IReadOnlyList<Button>)r).ToList();
        rows.Add([Turn.MenuButton(t.Back, Verb, "m")]);
        turn.Reply(groups.Count == 0 ? t.NoPeople : t.ChooseClassForPeople, new Keyboard(rows));
    }

    private static async Task ShowListAsync(Turn turn, PeopleFilter filter, string filterArg, int page, string groupArg)
    {
        var t = turn.Texts;
        Group? group = null;
        if (filter == PeopleFilter.Students)
        {
            group = GroupId.TryParse(groupArg) is { } gid ? await turn.Context.Groups.GetAsync(gid, turn.CancellationToken).ConfigureAwait(false) : null;
            if (group is null)
            {
                await ShowClassesAsync(turn).ConfigureAwait(false);
                return;
            }
        }
        var repo = turn.Context.Directory;
        var result = await repo.PeopleAsync(filter, group?.Id, page * PeoplePerPage, PeoplePerPage, turn.CancellationToken).ConfigureAwait(false);
        var pages = Math.Max(1, (result.Total + PeoplePerPage - 1) / PeoplePerPage);
        if (page >= pages)
        {
            page = pages - 1;
            result = await repo.PeopleAsync(filter, group?.Id, page * PeoplePerPage, PeoplePerPage, turn.CancellationToken).ConfigureAwait(false);
        }
        var what = t.PeopleFilterName(filter) + (group is null ? string.Empty : " " + group.Name);
        var lines = result.Items.Select((p, i) => t.PersonLine(page * PeoplePerPage + i + 1, p.Name, p.Status, filter == PeopleFilter.Students ? null : p.Group));
        var text = result.Total == 0 ? what + ": " + t.NoPeople : string.Join('\n', lines.Prepend(t.PeopleList(what, page + 1, pages, result.Total)));
        var rows = result.Items.Select((p, i) => Turn.MenuButton((page * PeoplePerPage + i + 1).ToString(CultureInfo.InvariantCulture) + ". "
                + ConsultationFormat.ShortName(p.Name), Verb, "c", p.Id.ToString()))
            .Chunk(2).Select(r => (IReadOnlyList<Button>)r).ToList();
        var groupPart = group?.Id.ToString() ?? string.Empty;
        Pager.AddRow(rows, t, page, pages, (label, to) => Turn.MenuButton(label, Verb, "f", filterArg, to, groupPart));
        rows.Add([Turn.MenuButton(t.Back, Verb, filter == PeopleFilter.Students ? "g" : "m")]);
        turn.Reply(text, new Keyboard(rows));
    }

    private static async Task OnPersonAsync(Turn turn, string action, PersonCard card)
    {
        var admin = turn.RequirePerson;
        var t = turn.Texts;
        var id = card.Id.ToString();
        switch (action)
        {
            case "c":
                ShowCard(turn, card);
                return;
            case "d" or "dy" when card.Id == admin.Id:
                Refuse(turn, t.CannotDeactivateSelf);
                return;
            case "d" or "dy" when card.Status == PersonStatus.Deactivated:
                Refuse(turn, t.AlreadyDeactivated);
                return;
            case "d":
                turn.Reply(t.ConfirmDeactivate(card.Name, card.Role), Keyboard.Of(
                    [Turn.MenuButton(t.YesDeactivate, Verb, "dy", id), Turn.MenuButton(t.Back, Verb, "c", id)]));
                return;
            case "dy":
                await DeactivateAsync(turn, card).ConfigureAwait(false);
                return;
            default:
                if (!await turn.Context.Directory.ReactivateAsync(card.Id, turn.CancellationToken).ConfigureAwait(false))
                {
                    Refuse(turn, t.NotDeactivated);
                    return;
                }
                await turn.Context.Audit.WriteAsync("person-reactivated", card.Id, admin.Id, turn.CancellationToken).ConfigureAwait(false);
                turn.CallbackAnswer = t.Done;
                turn.Reply(t.PersonReactivated(card.Name));
                ShowCard(turn, card with { Status = PersonStatus.Active });
                return;
        }
    }

    private static void ShowCard(Turn turn, PersonCard card)
    {
        var t = turn.Texts;
        var id = card.Id.ToString();
        var rows = new List<IReadOnlyList<Button>>();
        if (card.Id != turn.RequirePerson.Id)
        {
            rows.Add([card.Status == PersonStatus.Deactivated
                ? Turn.MenuButton(t.ReactivateButton, Verb, "r", id)
                : Turn.MenuButton(t.DeactivateButton, Verb, "d", id)]);
        }
        rows.Add([Turn.MenuButton(t.Back, Verb, "m")]);
        turn.Reply(t.PersonCardText(card), new Keyboard(rows));
    }

    private static async Task DeactivateAsync(Turn turn, PersonCard card)
    {
        var admin = turn.RequirePerson;
        var t = turn.Texts;
        var ct = turn.CancellationToken;
        var deactivation = await turn.Context.Directory.DeactivateAsync(card.Id, ct).ConfigureAwait(false);
        switch (deactivation.Outcome)
        {
            case DeactivateOutcome.LastAdmin:
                Refuse(turn, t.CannotDeactivateLastAdmin);
                return;
            case DeactivateOutcome.AlreadyDeactivated:
                Refuse(turn, t.AlreadyDeactivated);
                return;
            case DeactivateOutcome.NotFound:
                Refuse(turn, t.PersonNotFound);
                return;
        }
        await turn.Context.Audit.WriteAsync("person-deactivated", card.Id, admin.Id, ct).ConfigureAwait(false);
        var (slots, told) = card.Role is Role.Teacher or Role.Admin ? await CancelFutureSlotsAsync(turn, card).ConfigureAwait(false) : (0, 0);
        var bookings = card.Role == Role.Student ? await CancelStudentBookingsAsync(turn, card).ConfigureAwait(false) : 0;
        // Each asker whose question went back to the subject's teachers is told (an anonymous asker too: they are the
        // asker, and the message names nobody).
        foreach (var question in deactivation.ReturnedQuestions)
        {
            if (await turn.Context.People.PeekAsync(question.Asker, ct).ConfigureAwait(false) is { IsActive: true } asker)
            {
                turn.Notify(asker, tt => tt.QuestionReturnedToSubjectTeachers(question.Id, question.Subject));
            }
        }
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.PersonDeactivated(card.Name, slots, told, bookings));
        ShowCard(turn, card with { Status = PersonStatus.Deactivated });
    }

    /// <summary>
    /// The teacher's consultations that have not started are cancelled one by one through the same statement a
    /// teacher's own cancellation uses (seats released, the waitlist emptied); everyone booked or waiting, and whoever
    /// booked for them, is told in their language. Office hours stop by themselves: slots are made only for active teachers.
    /// </summary>
    private static async Task<(int Slots, int Told)> CancelFutureSlotsAsync(Turn turn, PersonCard teacher)
    {
        var ct = turn.CancellationToken;
        var consultations = turn.Context.Consultations;
        var upcoming = await consultations.TeacherSlotsAsync(teacher.Id, turn.Now, turn.Now.AddYears(5), ct).ConfigureAwait(false);
        var zone = turn.Settings.TimeZone;
        var told = new HashSet<PersonId>();
        var slots = 0;
        foreach (var slot in upcoming.Where(s => s.Start > turn.Now && !s.Cancelled))
        {
            var cancelled = await consultations.CancelSlotAsync(slot.Id, teacher.Id, turn.Texts.DeactivatedShort, ct).ConfigureAwait(false);
            if (cancelled is null)
            {
                continue;
            }
            slots++;
            var toldHere = new HashSet<PersonId>();
            foreach (var booking in cancelled)
            {
                foreach (var who in new[] { booking.StudentId, booking.BookedBy })
                {
                    if (toldHere.Add(who) && await turn.Context.People.PeekAsync(who, ct).ConfigureAwait(false) is { IsActive: true } p)
                    {
                        var forChild = who == booking.StudentId ? null : booking.StudentName;
                        turn.Notify(p, tt => tt.ConsultationCancelledTeacherLeft(ConsultationFormat.Card(tt, slot, zone), forChild));
                        told.Add(who);
                    }
                }
            }
        }
        return (slots, told.Count);
    }

    /// <summary>
    /// A switched-off student's seats and waitlist places in consultations that have not started are given up, as if
    /// they had cancelled them (no cut-off): the freed seat goes to the first waiting student, the teacher hears it, and so
    /// does a parent who made the booking.
    /// </summary>
    private static async Task<int> CancelStudentBookingsAsync(Turn turn, PersonCard student)
    {
        var ct = turn.CancellationToken;
        var consultations = turn.Context.Consultations;
        var zone = turn.Settings.TimeZone;
        var cancelled = 0;
        var bookings = await consultations.BookingsOfAsync(student.Id, turn.Now, ct).ConfigureAwait(false);
        foreach (var booking in bookings.Where(b => b.StudentId == student.Id && b.Slot.Start > turn.Now))
        {
            var (outcome, promoted) = await consultations.CancelAsync(booking.Id, student.Id, turn.Now, ct).ConfigureAwait(false);
            if (outcome != CancelOutcome.Cancelled)
            {
                continue;
            }
            cancelled++;
            var slot = booking.Slot;
            var line = BookingFeature.StudentLine(booking);
            await BookingFeature.NotifyTeacherAsync(turn, slot, tt => tt.TeacherBookingCancelled(line, ConsultationFormat.When(tt, slot, zone),
                booking.Status == BookingStatus.Waiting)).ConfigureAwait(false);
            await BookingFeature.NotifyPromotionAsync(turn, promoted).ConfigureAwait(false);
            // A parent who booked for the child hears why the booking is gone (the student, switched off, hears nothing).
            if (booking.BookedBy != student.Id
                && await turn.Context.People.PeekAsync(booking.BookedBy, ct).ConfigureAwait(false) is { IsActive: true } parent)
            {
                turn.Notify(parent, tt => tt.ConsultationCancelledChildDeactivated(ConsultationFormat.Card(tt, slot, zone), booking.StudentName));
            }
        }
        return cancelled;
    }

    private static async Task ShowInvitesAsync(Turn turn, int page)
    {
        var t = turn.Texts;
        var repo = turn.Context.Directory;
        var result = await repo.InvitesAsync(page * InvitesPerPage, InvitesPerPage, turn.CancellationToken).ConfigureAwait(false);
        var pages = Math.Max(1, (result.Total + InvitesPerPage - 1) / InvitesPerPage);
        if (page >= pages)
        {
            page = pages - 1;
            result = await repo.InvitesAsync(page * InvitesPerPage, InvitesPerPage, turn.CancellationToken).ConfigureAwait(false);
        }
        if (result.Total == 0)
        {
            turn.Reply(t.NoInvites, Keyboard.Of([Turn.MenuButton(t.MenuInvite, AdminFeature.Verb, "i")], [Turn.MenuButton(t.Back, Verb, "m")]));
            return;
        }
        var zone = turn.Settings.TimeZone;
        string When(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, zone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
        var lines = new List<string> { t.InvitesTitle(page + 1, pages, result.Total) };
        var rows = new List<IReadOnlyList<Button>>();
        for (var i = 0; i < result.Items.Count; i++)
        {
            var invite = result.Items[i];
            var n = page * InvitesPerPage + i + 1;
            lines.Add(t.InviteLine(n, When(invite.CreatedAt), invite.CreatedBy, When(invite.ExpiresAt), t.InviteState(invite, turn.Now, When)));
            if (invite.UsedAt is null && invite.RevokedAt is null)
            {
                rows.Add([Turn.MenuButton(t.ReissueButton(n), Verb, "ir", invite.Id.ToString(CultureInfo.InvariantCulture))]);
            }
        }
        Pager.AddRow(rows, t, page, pages, (label, to) => Turn.MenuButton(label, Verb, "i", to));
        rows.Add([Turn.MenuButton(t.Back, Verb, "m")]);
        turn.Reply(string.Join('\n', lines), new Keyboard(rows));
    }

    private static async Task ReissueAsync(Turn turn, long? id)
    {
        var admin = turn.RequirePerson;
        var t = turn.Texts;
        if (id is not { } inviteId)
        {
            Refuse(turn, t.InviteNotFound);
            return;
        }
        var code = OneTimeCode.Generate();
        var lifetime = turn.Settings.InviteLifetime;
        var outcome = await turn.Context.Directory.ReissueInviteAsync(inviteId, code, admin.Id, turn.Now, turn.Now + lifetime, turn.CancellationToken)
            .ConfigureAwait(false);
        switch (outcome)
        {
            case ReissueOutcome.NotFound:
                Refuse(turn, t.InviteNotFound);
                return;
            case ReissueOutcome.AlreadyUsed:
                Refuse(turn, t.InviteAlreadyUsed);
                return;
        }
        await turn.Context.Audit.WriteAsync("teacher-invite-reissued", null, admin.Id, turn.CancellationToken).ConfigureAwait(false);
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.InviteReissuedNote + "\n" + t.InviteCreated(OneTimeCode.Display(code), (int)lifetime.TotalDays, AdminFeature.InviteLink(turn, code)));
    }

    private static async Task ShowAuditAsync(Turn turn, int page)
    {
        var t = turn.Texts;
        var repo = turn.Context.Directory;
        var result = await repo.AuditAsync(AuditActions, page * AuditPerPage, AuditPerPage, turn.CancellationToken).ConfigureAwait(false);
        var pages = Math.Max(1, (result.Total + AuditPerPage - 1) / AuditPerPage);
        if (page >= pages)
        {
            page = pages - 1;
            result = await repo.AuditAsync(AuditActions, page * AuditPerPage, AuditPerPage, turn.CancellationToken).ConfigureAwait(false);
        }
        if (result.Total == 0)
        {
            turn.Reply(t.NoAudit);
            return;
        }
        var zone = turn.Settings.TimeZone;
        var lines = result.Items.Select(e => t.AuditLine(
            TimeZoneInfo.ConvertTime(e.At, zone).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture),
            t.AuditActionName(e.Action),
            e.Subject is { } s ? "#" + s : "—",
            e.ActorStaffName ?? (e.Actor is { } a ? "#" + a : "—")));
        var nav = Pager.Buttons(t, page, pages, (label, to) => Turn.MenuButton(label, Verb, "au", to));
        turn.Reply(string.Join('\n', lines.Prepend(t.AuditTitle(page + 1, pages, result.Total))), nav.Count == 0 ? null : Keyboard.Of(nav));
    }
}
