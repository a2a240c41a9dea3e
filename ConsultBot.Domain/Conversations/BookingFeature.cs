using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// Students and parents book consultations: by subject → teacher → slot or the nearest free slots, with an optional
/// question for the teacher; the waitlist; /my with cancel, reschedule and a note to the teacher. Buttons carry ids
/// only and every id is checked against the person pressing (a parent acts for linked children only).
/// </summary>
internal sealed class BookingFeature : IConversationFeature
{
    public const string Verb = "cb";
    private const string StepTopic = "cb.topic";
    private const string StepMessage = "cb.msg";
    private const int MaxTopicLength = 500;
    private const int MaxMessageLength = 1000;
    private const int SlotsShown = 8;
    private const int BookingsShown = 10;

    public IReadOnlyCollection<string> Commands { get; } = ["book", "my"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [StepTopic, StepMessage];

    public Task OnCommandAsync(Turn turn, string command, string argument) =>
        command == "my" ? ShowMyBookingsAsync(turn) : StartAsync(turn, string.Empty);

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        turn.CallbackAnswer = string.Empty;
        switch (payload.Arg(0))
        {
            case "s":
                await StartAsync(turn, payload.Arg(1)).ConfigureAwait(false);
                return;
            case "my":
                await ShowMyBookingsAsync(turn).ConfigureAwait(false);
                return;
            case "x" or "xy" or "mv" or "mt" or "msg":
                await OnBookingActionAsync(turn, payload).ConfigureAwait(false);
                return;
        }
        // Everything else acts for a student: the first argument says who.
        if (await ResolveStudentAsync(turn, payload.Arg(1)).ConfigureAwait(false) is not { } student)
        {
            return;
        }
        var forArg = payload.Arg(1);
        switch (payload.Arg(0))
        {
            case "sub" when long.TryParse(payload.Arg(2), NumberStyles.None, CultureInfo.InvariantCulture, out var subject):
                await ShowTeachersAsync(turn, forArg, subject).ConfigureAwait(false);
                return;
            case "t" when long.TryParse(payload.Arg(2), NumberStyles.None, CultureInfo.InvariantCulture, out var subject)
                          && long.TryParse(payload.Arg(3), NumberStyles.None, CultureInfo.InvariantCulture, out var teacher):
                await ShowSlotsAsync(turn, forArg, new SlotQuery(BookableAfter(turn), SlotsShown)
                {
                    SubjectId = subject,
                    TeacherId = new PersonId(teacher),
                }).ConfigureAwait(false);
                return;
            case "n":
                await ShowSlotsAsync(turn, forArg, new SlotQuery(BookableAfter(turn), SlotsShown)).ConfigureAwait(false);
                return;
            case "v" when SlotId.TryParse(payload.Arg(2)) is { } slot:
                await ShowSlotAsync(turn, forArg, slot).ConfigureAwait(false);
                return;
            case "bk" when SlotId.TryParse(payload.Arg(2)) is { } slot:
                await BookAsync(turn, student, slot, topic: null).ConfigureAwait(false);
                return;
            case "bq" when SlotId.TryParse(payload.Arg(2)) is { } slot:
                turn.RequirePerson.BeginStep(StepTopic, new Dictionary<string, string> { ["for"] = forArg, ["slot"] = slot.ToString() });
                turn.Reply(turn.Texts.AskBookingTopic(MaxTopicLength));
                return;
            case "w" when SlotId.TryParse(payload.Arg(2)) is { } slot:
                await JoinWaitlistAsync(turn, student, slot).ConfigureAwait(false);
                return;
            default:
                turn.CallbackAnswer = turn.Texts.ButtonInvalid;
                return;
        }
    }

    public async Task OnTextAsync(Turn turn, string step, string text)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (step == StepTopic)
        {
            if (text.Length > MaxTopicLength)
            {
                turn.Reply(t.TextTooLong(MaxTopicLength));
                return;
            }
            var forArg = person.Dialog.Get("for") ?? string.Empty;
            var slot = SlotId.TryParse(person.Dialog.Get("slot") ?? string.Empty);
            person.EndDialog();
            if (slot is { } id && await ResolveStudentAsync(turn, forArg).ConfigureAwait(false) is { } student)
            {
                await BookAsync(turn, student, id, text).ConfigureAwait(false);
            }
            return;
        }
        if (text.Length > MaxMessageLength)
        {
            turn.Reply(t.TextTooLong(MaxMessageLength));
            return;
        }
        var bookingId = BookingId.TryParse(person.Dialog.Get("booking") ?? string.Empty);
        person.EndDialog();
        if (bookingId is { } b && await FindOwnBookingAsync(turn, b).ConfigureAwait(false) is { } booking
            && await turn.Context.People.PeekAsync(booking.Slot.TeacherId, turn.CancellationToken).ConfigureAwait(false) is { } teacher)
        {
            var line = StudentLine(booking);
            var when = booking.Slot;
            var zone = turn.Settings.TimeZone;
            turn.Notify(teacher, tt => tt.MessageAboutBooking(line, ConsultationFormat.When(tt, when, zone), text));
            turn.Reply(t.MessageSentToTeacher);
            return;
        }
        turn.Reply(t.BookingNotFound);
    }

    /// <summary>Who the booking is for: a student books for themselves; a parent picks a linked child first.</summary>
    private static async Task StartAsync(Turn turn, string forArg)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (person.Role == Role.Parent && forArg.Length == 0)
        {
            var children = await turn.Context.People.ChildrenOfAsync(person.Id, turn.CancellationToken).ConfigureAwait(false);
            if (children.Count == 0)
            {
                turn.Reply(t.NoChildrenLinked, Keyboard.Of([Turn.MenuButton(t.MenuLinkChild, Menus.Verb, "c")]));
                return;
            }
            if (children.Count > 1)
            {
                turn.Reply(t.ChooseChild, Keyboard.Column(children.Select(c =>
                    Turn.MenuButton(c.FullName ?? string.Empty, Verb, "s", c.Id.ToString()))));
                return;
            }
            forArg = children[0].Id.ToString();
        }
        if (await ResolveStudentAsync(turn, forArg).ConfigureAwait(false) is null)
        {
            return;
        }
        var subjects = await turn.Context.Consultations.SubjectsWithOpenSlotsAsync(BookableAfter(turn), turn.CancellationToken)
            .ConfigureAwait(false);
        if (subjects.Count == 0)
        {
            turn.Reply(t.NoOpenSlots);
            return;
        }
        var buttons = subjects.Take(20).Select(s => Turn.MenuButton(s.Name, Verb, "sub", forArg, s.Id.ToString(CultureInfo.InvariantCulture)));
        var rows = buttons.Chunk(2).Select(r => (IReadOnlyList<Button>)r).ToList();
        rows.Insert(0, [Turn.MenuButton(t.NearestSlots, Verb, "n", forArg)]);
        turn.Reply(t.ChooseSubjectToBook, new Keyboard(rows));
    }

    private static async Task ShowTeachersAsync(Turn turn, string forArg, long subjectId)
    {
        var t = turn.Texts;
        var teachers = await turn.Context.Consultations.TeachersWithOpenSlotsAsync(subjectId, BookableAfter(turn), turn.CancellationToken)
            .ConfigureAwait(false);
        if (teachers.Count == 0)
        {
            turn.Reply(t.NoOpenSlots);
            return;
        }
        var subject = subjectId.ToString(CultureInfo.InvariantCulture);
        turn.Reply(t.ChooseTeacher, Keyboard.Column(teachers.Take(20).Select(p =>
            Turn.MenuButton(p.Name, Verb, "t", forArg, subject, p.Id.ToString()))));
    }

    private static async Task ShowSlotsAsync(Turn turn, string forArg, SlotQuery query)
    {
        var t = turn.Texts;
        var slots = await turn.Context.Consultations.OpenSlotsAsync(query, turn.CancellationToken).ConfigureAwait(false);
        if (slots.Count == 0)
        {
            turn.Reply(t.NoOpenSlots);
            return;
        }
        var zone = turn.Settings.TimeZone;
        var title = query.TeacherId is null
            ? t.NearestSlotsTitle
            : t.SlotsOfTeacher(slots[0].TeacherName, slots[0].SubjectName ?? t.NoSubject);
        turn.Reply(title, Keyboard.Column(slots.Select(s =>
            Turn.MenuButton(ConsultationFormat.Short(t, s, zone, withTeacher: query.TeacherId is null), Verb, "v", forArg, s.Id.ToString()))));
    }

    private static async Task ShowSlotAsync(Turn turn, string forArg, SlotId id)
    {
        var t = turn.Texts;
        var slot = await turn.Context.Consultations.GetSlotAsync(id, turn.CancellationToken).ConfigureAwait(false);
        if (slot is null || slot.Cancelled || slot.Start <= BookableAfter(turn))
        {
            turn.Reply(t.SlotClosed(NoticeHours(turn)));
            return;
        }
        var card = ConsultationFormat.Card(t, slot, turn.Settings.TimeZone);
        var keyboard = slot.Full
            ? Keyboard.Of([Turn.MenuButton(t.JoinWaitlist, Verb, "w", forArg, id.ToString())])
            : Keyboard.Of([Turn.MenuButton(t.Book, Verb, "bk", forArg, id.ToString())],
                [Turn.MenuButton(t.BookWithQuestion, Verb, "bq", forArg, id.ToString())]);
        turn.Reply(slot.Full ? card + "\n\n" + t.SlotFull : card, keyboard);
    }

    private static async Task BookAsync(Turn turn, Person student, SlotId id, string? topic)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var policy = turn.Settings.Consultations;
        var repo = turn.Context.Consultations;
        var slot = await repo.GetSlotAsync(id, turn.CancellationToken).ConfigureAwait(false);
        if (slot is null || slot.Cancelled)
        {
            turn.Reply(t.SlotClosed(NoticeHours(turn)));
            return;
        }
        var (outcome, _) = await repo.TakeSeatAsync(id, student.Id, person.Id, topic, BookableAfter(turn), policy.MaxActiveBookingsPerStudent,
            turn.CancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case SeatOutcome.Booked:
                turn.CallbackAnswer = t.Done;
                var zone = turn.Settings.TimeZone;
                var booked = slot with { Booked = slot.Booked + 1 };
                turn.Reply(t.BookedConfirmation(ConsultationFormat.Card(t, booked, zone), student.Id == person.Id ? null : student.FullName),
                    Keyboard.Of([Turn.MenuButton(t.MenuMyBookings, Verb, "my")]));
                var line = await StudentLineAsync(turn, student, topic).ConfigureAwait(false);
                await NotifyTeacherAsync(turn, slot, tt => tt.TeacherNewBooking(line, ConsultationFormat.When(tt, slot, zone),
                    ConsultationFormat.What(tt, slot), slot.Kind == ConsultationKind.Group ? tt.Seats(booked.Booked, slot.Capacity, slot.Waiting) : null))
                    .ConfigureAwait(false);
                if (student.Id != person.Id)
                {
                    var parent = person.FullName ?? string.Empty;
                    turn.Notify(student, tt => tt.BookedByParent(parent, ConsultationFormat.Card(tt, booked, zone)));
                }
                return;
            case SeatOutcome.Full:
                turn.Reply(t.SlotFull, Keyboard.Of([Turn.MenuButton(t.JoinWaitlist, Verb, "w", ForArg(person, student), id.ToString())]));
                return;
            default:
                turn.Reply(SeatRefusal(turn, outcome));
                return;
        }
    }

    private static async Task JoinWaitlistAsync(Turn turn, Person student, SlotId id)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var repo = turn.Context.Consultations;
        var slot = await repo.GetSlotAsync(id, turn.CancellationToken).ConfigureAwait(false);
        if (slot is null || slot.Cancelled || slot.Start <= BookableAfter(turn))
        {
            turn.Reply(t.SlotClosed(NoticeHours(turn)));
            return;
        }
        if (!slot.Full)
        {
            // A seat freed since the list was shown: book it instead.
            await BookAsync(turn, student, id, topic: null).ConfigureAwait(false);
            return;
        }
        if (await repo.JoinWaitlistAsync(id, student.Id, person.Id, null, turn.CancellationToken).ConfigureAwait(false) is null)
        {
            turn.Reply(t.AlreadyBookedOrWaiting);
            return;
        }
        var zone = turn.Settings.TimeZone;
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.Waitlisted(ConsultationFormat.When(t, slot, zone), slot.Waiting + 1));
        var line = await StudentLineAsync(turn, student, null).ConfigureAwait(false);
        await NotifyTeacherAsync(turn, slot, tt => tt.TeacherWaitlisted(line, ConsultationFormat.When(tt, slot, zone))).ConfigureAwait(false);
    }

    private static async Task ShowMyBookingsAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var bookings = await turn.Context.Consultations.BookingsOfAsync(person.Id, turn.Now, turn.CancellationToken).ConfigureAwait(false);
        if (bookings.Count == 0)
        {
            turn.Reply(t.NoBookings, Keyboard.Of([Turn.MenuButton(t.MenuBook, Verb, "s")]));
            return;
        }
        var zone = turn.Settings.TimeZone;
        var shown = bookings.Take(BookingsShown).ToList();
        var lines = shown.Select((b, i) => t.BookingLine(i + 1, ConsultationFormat.When(t, b.Slot, zone), ConsultationFormat.What(t, b.Slot),
            b.Slot.TeacherName, ConsultationFormat.Place(t, b.Slot), b.StudentId == person.Id ? null : b.StudentName,
            b.Status == BookingStatus.Waiting)).ToList();
        var rows = shown.Select((b, i) => (IReadOnlyList<Button>)
        [
            Turn.MenuButton(t.CancelBookingButton(i + 1), Verb, "x", b.Id.ToString()),
            Turn.MenuButton(t.MoveBookingButton(i + 1), Verb, "mv", b.Id.ToString()),
        ]).ToList();
        turn.Reply(t.MyBookings(lines), new Keyboard(rows));
    }

    private static async Task OnBookingActionAsync(Turn turn, CallbackPayload payload)
    {
        var t = turn.Texts;
        if (BookingId.TryParse(payload.Arg(1)) is not { } id
            || await FindOwnBookingAsync(turn, id).ConfigureAwait(false) is not { } booking)
        {
            turn.CallbackAnswer = t.BookingNotFound;
            turn.Reply(t.BookingNotFound);
            return;
        }
        var zone = turn.Settings.TimeZone;
        switch (payload.Arg(0))
        {
            case "x":
                turn.Reply(t.ConfirmCancelBooking(ConsultationFormat.Card(t, booking.Slot, zone)),
                    Keyboard.Of([Turn.MenuButton(t.YesCancelBooking, Verb, "xy", id.ToString()), Turn.MenuButton(t.KeepBooking, Verb, "my")]));
                return;
            case "xy":
                await CancelAsync(turn, booking).ConfigureAwait(false);
                return;
            case "mv":
                var slots = await turn.Context.Consultations.OpenSlotsAsync(new SlotQuery(BookableAfter(turn), SlotsShown)
                {
                    SubjectId = booking.Slot.SubjectId,
                    TeacherId = booking.Slot.TeacherId,
                    Except = booking.Slot.Id,
                }, turn.CancellationToken).ConfigureAwait(false);
                var free = slots.Where(s => !s.Full).ToList();
                if (free.Count == 0)
                {
                    turn.Reply(t.NoOtherSlots);
                    return;
                }
                turn.Reply(t.ChooseNewTime(ConsultationFormat.When(t, booking.Slot, zone)), Keyboard.Column(free.Select(s =>
                    Turn.MenuButton(ConsultationFormat.Short(t, s, zone), Verb, "mt", id.ToString(), s.Id.ToString()))));
                return;
            case "mt" when SlotId.TryParse(payload.Arg(2)) is { } to:
                await RescheduleAsync(turn, booking, to).ConfigureAwait(false);
                return;
            case "msg":
                turn.RequirePerson.BeginStep(StepMessage, new Dictionary<string, string> { ["booking"] = id.ToString() });
                turn.Reply(t.AskMessageToTeacher(booking.Slot.TeacherName));
                return;
            default:
                turn.CallbackAnswer = t.ButtonInvalid;
                return;
        }
    }

    private static async Task CancelAsync(Turn turn, BookingView booking)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var policy = turn.Settings.Consultations;
        var (outcome, promoted) = await turn.Context.Consultations.CancelAsync(booking.Id, person.Id, turn.Now + policy.CancellationCutoff,
            turn.CancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case CancelOutcome.NotFound:
                turn.Reply(t.BookingNotFound);
                return;
            case CancelOutcome.TooLate:
                turn.Reply(t.CancelTooLate(Hours(policy.CancellationCutoff)),
                    Keyboard.Of([Turn.MenuButton(t.WriteToTeacher, Verb, "msg", booking.Id.ToString())]));
                return;
        }
        var zone = turn.Settings.TimeZone;
        var slot = booking.Slot;
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.BookingCancelled(ConsultationFormat.When(t, slot, zone)));
        var line = StudentLine(booking);
        await NotifyTeacherAsync(turn, slot, tt => tt.TeacherBookingCancelled(line, ConsultationFormat.When(tt, slot, zone),
            booking.Status == BookingStatus.Waiting)).ConfigureAwait(false);
        await NotifyPromotionAsync(turn, promoted).ConfigureAwait(false);
    }

    private static async Task RescheduleAsync(Turn turn, BookingView booking, SlotId to)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var policy = turn.Settings.Consultations;
        var result = await turn.Context.Consultations.RescheduleAsync(booking.Id, person.Id, to, turn.Now + policy.CancellationCutoff,
            BookableAfter(turn), policy.MaxActiveBookingsPerStudent, turn.CancellationToken).ConfigureAwait(false);
        if (result.Cancel == CancelOutcome.NotFound)
        {
            turn.Reply(t.BookingNotFound);
            return;
        }
        if (result.Cancel == CancelOutcome.TooLate)
        {
            turn.Reply(t.CancelTooLate(Hours(policy.CancellationCutoff)),
                Keyboard.Of([Turn.MenuButton(t.WriteToTeacher, Verb, "msg", booking.Id.ToString())]));
            return;
        }
        if (!result.Moved)
        {
            turn.Reply(result.Seat == SeatOutcome.Full ? t.SlotFull : SeatRefusal(turn, result.Seat ?? SeatOutcome.Closed));
            return;
        }
        var zone = turn.Settings.TimeZone;
        var slot = await turn.Context.Consultations.GetSlotAsync(to, turn.CancellationToken).ConfigureAwait(false);
        var old = booking.Slot;
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.BookingMoved(slot is null ? string.Empty : ConsultationFormat.Card(t, slot, zone)),
            Keyboard.Of([Turn.MenuButton(t.MenuMyBookings, Verb, "my")]));
        var line = StudentLine(booking);
        await NotifyTeacherAsync(turn, old, tt => tt.TeacherBookingMoved(line, ConsultationFormat.When(tt, old, zone),
            slot is null ? string.Empty : ConsultationFormat.When(tt, slot, zone))).ConfigureAwait(false);
        await NotifyPromotionAsync(turn, result.Promoted).ConfigureAwait(false);
    }

    /// <summary>The promoted student, whoever booked for them, and the teacher hear that a seat was taken from the waitlist.</summary>
    internal static async Task NotifyPromotionAsync(Turn turn, Promotion? promoted)
    {
        if (promoted is null
            || await turn.Context.Consultations.GetBookingAsync(promoted.Booking, turn.CancellationToken).ConfigureAwait(false) is not { } booking)
        {
            return;
        }
        var zone = turn.Settings.TimeZone;
        var slot = booking.Slot;
        var people = turn.Context.People;
        foreach (var id in new[] { booking.StudentId, booking.BookedBy }.Distinct())
        {
            if (await people.PeekAsync(id, turn.CancellationToken).ConfigureAwait(false) is { } who)
            {
                var forChild = id == booking.StudentId ? null : booking.StudentName;
                turn.Notify(who, tt => tt.PromotedFromWaitlist(ConsultationFormat.Card(tt, slot, zone), forChild));
            }
        }
        var line = StudentLine(booking);
        await NotifyTeacherAsync(turn, slot, tt => tt.TeacherPromoted(line, ConsultationFormat.When(tt, slot, zone))).ConfigureAwait(false);
    }

    internal static async Task NotifyTeacherAsync(Turn turn, SlotView slot, Func<Texts.ITexts, string> text)
    {
        if (await turn.Context.People.PeekAsync(slot.TeacherId, turn.CancellationToken).ConfigureAwait(false) is { IsActive: true } teacher)
        {
            turn.Notify(teacher, text);
        }
    }

    /// <summary>
    /// The student a button acts for: "" or the person's own id for a student; a linked child's id for a parent.
    /// Anything else is answered and null is returned.
    /// </summary>
    private static async Task<Person?> ResolveStudentAsync(Turn turn, string forArg)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        Person? student = null;
        if (person.Role == Role.Student && (forArg.Length == 0 || forArg == person.Id.ToString()))
        {
            student = person;
        }
        else if (person.Role == Role.Parent && long.TryParse(forArg, NumberStyles.None, CultureInfo.InvariantCulture, out var childId))
        {
            var children = await turn.Context.People.ChildrenOfAsync(person.Id, turn.CancellationToken).ConfigureAwait(false);
            student = children.FirstOrDefault(c => c.Id.Value == childId);
            if (student is null)
            {
                turn.CallbackAnswer = t.NotYourChild;
                turn.Reply(t.NotYourChild);
                return null;
            }
        }
        if (student is null)
        {
            turn.CallbackAnswer = t.NotAllowed;
            turn.Reply(t.BookingForStudentsAndParents);
            return null;
        }
        if (student.NeedsParentConfirmation)
        {
            turn.Reply(student.Id == person.Id ? t.BookingNeedsParentConfirmation : t.ChildNeedsConfirmation(student.FullName ?? string.Empty));
            return null;
        }
        return student;
    }

    /// <summary>A booking the person may act on: their own, or a currently linked child's.</summary>
    private static async Task<BookingView?> FindOwnBookingAsync(Turn turn, BookingId id)
    {
        var person = turn.RequirePerson;
        var booking = await turn.Context.Consultations.GetBookingAsync(id, turn.CancellationToken).ConfigureAwait(false);
        if (booking is null || booking.Status == BookingStatus.Cancelled || booking.Slot.Cancelled)
        {
            return null;
        }
        if (booking.StudentId == person.Id)
        {
            return booking;
        }
        // A parent acts for a child while they are linked: having made the booking is not enough once the link is gone.
        if (person.Role != Role.Parent)
        {
            return null;
        }
        var children = await turn.Context.People.ChildrenOfAsync(person.Id, turn.CancellationToken).ConfigureAwait(false);
        return children.Any(c => c.Id == booking.StudentId) ? booking : null;
    }

    private static async Task<string> StudentLineAsync(Turn turn, Person student, string? topic)
    {
        var group = student.GroupId is { } g ? (await turn.Context.Groups.GetAsync(g, turn.CancellationToken).ConfigureAwait(false))?.Name : null;
        return ConsultationFormat.StudentLine(student.FullName ?? string.Empty, group, topic);
    }

    internal static string StudentLine(BookingView booking) => ConsultationFormat.StudentLine(booking.StudentName, booking.StudentGroup, booking.Topic);

    private static string SeatRefusal(Turn turn, SeatOutcome outcome) => outcome switch
    {
        SeatOutcome.AlreadyBooked => turn.Texts.AlreadyBookedOrWaiting,
        SeatOutcome.LimitReached => turn.Texts.BookingLimitReached(turn.Settings.Consultations.MaxActiveBookingsPerStudent),
        SeatOutcome.OverlapsAnotherBooking => turn.Texts.OverlapsAnotherBooking,
        SeatOutcome.Full => turn.Texts.SlotFull,
        _ => turn.Texts.SlotClosed(NoticeHours(turn)),
    };

    private static string ForArg(Person person, Person student) => person.Id == student.Id ? string.Empty : student.Id.ToString();

    private static DateTimeOffset BookableAfter(Turn turn) => turn.Now + turn.Settings.Consultations.MinimumNotice;

    private static double NoticeHours(Turn turn) => Hours(turn.Settings.Consultations.MinimumNotice);

    private static double Hours(TimeSpan span) => Math.Round(span.TotalHours, 1);
}
