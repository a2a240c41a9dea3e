using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// A teacher's /slots: upcoming consultations with who booked and who waits, cancelling one with a reason (everyone
/// booked or waiting is told), and attendance (present / absent / late) once a consultation has started.
/// </summary>
internal sealed class SlotsFeature : IConversationFeature
{
    public const string Verb = "cs";
    private const string StepReason = "cs.reason";
    private const int MaxReasonLength = 300;
    private const int SlotsShown = 10;
    private static readonly TimeSpan Ahead = TimeSpan.FromDays(60);
    private static readonly TimeSpan AttendanceWindow = TimeSpan.FromDays(14);

    public IReadOnlyCollection<string> Commands { get; } = ["slots"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [StepReason];

    public Task OnCommandAsync(Turn turn, string command, string argument) => ListAsync(turn, past: false);

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var t = turn.Texts;
        if (!Consultants.AllowPress(turn))
        {
            return;
        }
        switch (payload.Arg(0))
        {
            case "l":
                await ListAsync(turn, past: false).ConfigureAwait(false);
                return;
            case "p":
                await ListAsync(turn, past: true).ConfigureAwait(false);
                return;
            case "v" when SlotId.TryParse(payload.Arg(1)) is { } slot:
                await ShowAsync(turn, slot).ConfigureAwait(false);
                return;
            case "c" when SlotId.TryParse(payload.Arg(1)) is { } slot:
                if (await FindOwnSlotAsync(turn, slot).ConfigureAwait(false) is not { } own)
                {
                    return;
                }
                if (own.Start <= turn.Now)
                {
                    turn.Reply(t.SlotAlreadyStarted);
                    return;
                }
                turn.RequirePerson.BeginStep(StepReason, new Dictionary<string, string> { ["slot"] = slot.ToString() });
                turn.Reply(t.AskCancelReason(ConsultationFormat.When(t, own, turn.Settings.TimeZone)));
                return;
            case "a" when BookingId.TryParse(payload.Arg(1)) is { } booking && ParseAttendance(payload.Arg(2)) is { } attendance:
                var marked = await turn.Context.Consultations.MarkAttendanceAsync(booking, turn.RequirePerson.Id, attendance, turn.Now,
                    turn.CancellationToken).ConfigureAwait(false);
                turn.CallbackAnswer = marked ? t.AttendanceMarked(attendance) : t.AttendanceNotPossible;
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
        var reason = TextInput.Normalize(text);
        if (reason.Length is 0 or > MaxReasonLength)
        {
            turn.Reply(t.TextTooLong(MaxReasonLength));
            return;
        }
        var slotId = SlotId.TryParse(person.Dialog.Get("slot") ?? string.Empty);
        person.EndDialog();
        if (!Consultants.CanConsult(person) || slotId is not { } id
            || await FindOwnSlotAsync(turn, id).ConfigureAwait(false) is not { } slot)
        {
            return;
        }
        if (slot.Start <= turn.Now)
        {
            turn.Reply(t.SlotAlreadyStarted);
            return;
        }
        var cancelled = await turn.Context.Consultations.CancelSlotAsync(id, person.Id, reason, turn.CancellationToken).ConfigureAwait(false);
        if (cancelled is null)
        {
            turn.Reply(t.SlotNotFound);
            return;
        }
        var zone = turn.Settings.TimeZone;
        var told = new HashSet<PersonId>();
        foreach (var booking in cancelled)
        {
            foreach (var who in new[] { booking.StudentId, booking.BookedBy })
            {
                if (told.Add(who) && await turn.Context.People.PeekAsync(who, turn.CancellationToken).ConfigureAwait(false) is { } p)
                {
                    var forChild = who == booking.StudentId ? null : booking.StudentName;
                    turn.Notify(p, tt => tt.SlotCancelledByTeacher(ConsultationFormat.Card(tt, slot, zone), reason, forChild));
                }
            }
        }
        turn.Reply(t.SlotCancelled(ConsultationFormat.When(t, slot, zone), told.Count));
    }

    private static async Task ListAsync(Turn turn, bool past)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowCommand(turn))
        {
            return;
        }
        var repo = turn.Context.Consultations;
        var slots = past
            ? (await repo.TeacherSlotsAsync(person.Id, turn.Now - AttendanceWindow, turn.Now, turn.CancellationToken).ConfigureAwait(false))
                .Where(s => s.Start <= turn.Now && s.Booked > 0).Reverse().Take(SlotsShown).ToList()
            : (await repo.TeacherSlotsAsync(person.Id, turn.Now, turn.Now + Ahead, turn.CancellationToken).ConfigureAwait(false))
                .Take(SlotsShown).ToList();
        var zone = turn.Settings.TimeZone;
        var rows = slots.Select(s => (IReadOnlyList<Button>)[Turn.MenuButton(Label(t, s, zone), Verb, "v", s.Id.ToString())]).ToList();
        rows.Add(past
            ? [Turn.MenuButton(t.UpcomingSlots, Verb, "l")]
            : [Turn.MenuButton(t.PastSlots, Verb, "p"), Turn.MenuButton(t.MenuPublish, PublishFeature.Verb)]);
        turn.Reply(slots.Count == 0 ? (past ? t.NoPastSlots : t.NoUpcomingSlots) : (past ? t.PastSlotsTitle : t.UpcomingSlotsTitle),
            new Keyboard(rows));
    }

    private static string Label(Texts.ITexts t, SlotView s, TimeZoneInfo zone)
    {
        var label = ConsultationFormat.Short(t, s, zone) + " · " + (s.SubjectName ?? t.NoSubject);
        if (s.Kind == ConsultationKind.Individual)
        {
            label += s.Booked > 0 ? " · ✓" : " · —";
        }
        return label.Length <= 60 ? label : label[..59] + "…";
    }

    private static async Task ShowAsync(Turn turn, SlotId id)
    {
        var t = turn.Texts;
        if (await FindOwnSlotAsync(turn, id).ConfigureAwait(false) is not { } slot)
        {
            return;
        }
        var bookings = await turn.Context.Consultations.BookingsOfSlotAsync(id, turn.CancellationToken).ConfigureAwait(false);
        var active = bookings.Where(b => b.Status == BookingStatus.Active).ToList();
        var waiting = bookings.Where(b => b.Status == BookingStatus.Waiting).ToList();
        var text = t.TeacherSlotCard(ConsultationFormat.Card(t, slot, turn.Settings.TimeZone),
            active.Select(b => BookingFeature.StudentLine(b) + (b.Attendance is { } a ? " — " + t.AttendanceName(a) : string.Empty)).ToList(),
            waiting.Select(BookingFeature.StudentLine).ToList());
        var rows = new List<IReadOnlyList<Button>>();
        if (slot.Start <= turn.Now)
        {
            foreach (var b in active)
            {
                var id2 = b.Id.ToString();
                rows.Add([Turn.MenuButton(ConsultationFormat.ShortName(b.StudentName) + ": " + t.AttendanceName(Attendance.Present), Verb, "a", id2, "p"),
                    Turn.MenuButton(t.AttendanceName(Attendance.Absent), Verb, "a", id2, "a"),
                    Turn.MenuButton(t.AttendanceName(Attendance.Late), Verb, "a", id2, "l")]);
            }
        }
        else
        {
            rows.Add([Turn.MenuButton(t.CancelSlotButton, Verb, "c", id.ToString())]);
        }
        rows.Add([Turn.MenuButton(t.Back, Verb, slot.Start <= turn.Now ? "p" : "l")]);
        turn.Reply(text, new Keyboard(rows));
    }

    private static async Task<SlotView?> FindOwnSlotAsync(Turn turn, SlotId id)
    {
        var slot = await turn.Context.Consultations.GetSlotAsync(id, turn.CancellationToken).ConfigureAwait(false);
        if (slot is null || slot.Cancelled || slot.TeacherId != turn.RequirePerson.Id)
        {
            turn.CallbackAnswer = turn.Texts.SlotNotFound;
            turn.Reply(turn.Texts.SlotNotFound);
            return null;
        }
        return slot;
    }

    private static Attendance? ParseAttendance(string arg) => arg switch
    {
        "p" => Attendance.Present,
        "a" => Attendance.Absent,
        "l" => Attendance.Late,
        _ => null,
    };
}
