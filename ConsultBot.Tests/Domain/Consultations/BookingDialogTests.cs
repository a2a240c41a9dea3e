using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain.Consultations;

/// <summary>Booking, the waitlist, /my, cancel, reschedule and the teacher's /slots, with the repository mocked.</summary>
public sealed class BookingDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly EngineHarness _h = new(new EngineSettings { SchoolName = "Лицей №2", TimeZone = Moscow });
    private readonly Person _teacher;
    private readonly Person _student;
    private readonly Group _group;
    private readonly SlotView _slot;
    private readonly Mock<IConsultationRepository> _repo;

    public BookingDialogTests()
    {
        _group = _h.AddGroup("7Б");
        _teacher = _h.AddPerson("500", Role.Teacher, "Петрова Анна Сергеевна");
        _student = _h.AddPerson("600", Role.Student, "Иванов Иван", _group);
        var now = _h.Clock.GetUtcNow();
        _slot = new SlotView(new SlotId(10), _teacher.Id, _teacher.FullName!, 1, "Математика", now.AddDays(1), now.AddDays(1).AddMinutes(40),
            ConsultationKind.Group, 10, 3, 0, ConsultationPurpose.Review, null, false, "https://meet.example.org/m", null, null, false);
        _repo = _h.Consultations;
        _repo.Setup(r => r.GetSlotAsync(_slot.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => _slot);
        _repo.Setup(r => r.SubjectsWithOpenSlotsAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Subject(1, "Математика")]);
        _repo.Setup(r => r.TeachersWithOpenSlotsAsync(1, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new TeacherSummary(_teacher.Id, _teacher.FullName!, null)]);
        _repo.Setup(r => r.OpenSlotsAsync(It.IsAny<SlotQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync([_slot]);
        Seat(SeatOutcome.Booked);
    }

    private void Seat(SeatOutcome outcome) =>
        _repo.Setup(r => r.TakeSeatAsync(It.IsAny<SlotId>(), It.IsAny<PersonId>(), It.IsAny<PersonId>(), It.IsAny<string?>(),
                It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((outcome, outcome == SeatOutcome.Booked ? new BookingId(77) : null));

    /// <summary>The reply in the chat the update came from (notifications to others may come first).</summary>
    private static string Reply(EngineResult result) => result.Messages.First(m => m.To.Chat is not null).Text;

    private static IEnumerable<OutgoingMessage> To(EngineResult result, Person person) => result.Messages.Where(m => m.To.Person == person.Id);

    private BookingView Booking(long id, Person student, Person? bookedBy = null, SlotView? slot = null, BookingStatus status = BookingStatus.Active,
        string? topic = null) =>
        new(new BookingId(id), slot ?? _slot, student.Id, student.FullName!, "7Б", (bookedBy ?? student).Id, status, topic, null);

    [Fact]
    public async Task StudentBooksBySubjectTeacherAndTime_AndTheTeacherIsToldWhoAndWhatAbout()
    {
        var r = await _h.TextAsync("600", "/book");
        r = await _h.PressAsync("600", EngineHarness.Button(r, "Математика"));
        r = await _h.PressAsync("600", EngineHarness.Button(r, "Петрова"));
        r = await _h.PressAsync("600", EngineHarness.Button(r, "3/10"));
        Assert.Contains("https://meet.example.org/m", EngineHarness.Text(r));
        r = await _h.PressAsync("600", EngineHarness.Button(r, Ru.BookWithQuestion));
        Assert.Equal(Ru.AskBookingTopic(500), EngineHarness.Text(r));

        var done = await _h.TextAsync("600", "Не понимаю дроби");

        _repo.Verify(x => x.TakeSeatAsync(_slot.Id, _student.Id, _student.Id, "Не понимаю дроби",
            _h.Clock.GetUtcNow() + TimeSpan.FromHours(2), 3, It.IsAny<CancellationToken>()), Times.Once);
        Assert.StartsWith("Вы записаны", Reply(done), StringComparison.Ordinal);
        var toTeacher = Assert.Single(To(done, _teacher));
        Assert.Contains("Иванов Иван, 7Б — «Не понимаю дроби»", toTeacher.Text);
        Assert.Contains("мест занято: 4 из 10", toTeacher.Text);
    }

    [Fact]
    public async Task NearestFreeSlots_ListSlotsOfAnySubject()
    {
        var r = await _h.TextAsync("600", "/book");

        var nearest = await _h.PressAsync("600", EngineHarness.Button(r, Ru.NearestSlots));

        Assert.Equal(Ru.NearestSlotsTitle, EngineHarness.Text(nearest));
        Assert.Contains("Петрова А. С.", nearest.Messages[0].Keyboard!.Rows[0][0].Label);
        _repo.Verify(x => x.OpenSlotsAsync(It.Is<SlotQuery>(q => q.SubjectId == null && q.TeacherId == null), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task FullSlot_OffersTheWaitlist_AndJoiningTellsTheTeacher()
    {
        Seat(SeatOutcome.Full);
        var full = await _h.PressAsync("600", $"cb:0:bk::{_slot.Id}");
        Assert.Equal(Ru.SlotFull, EngineHarness.Text(full));
        _repo.Setup(r => r.GetSlotAsync(_slot.Id, It.IsAny<CancellationToken>())).ReturnsAsync(_slot with { Booked = 10, Waiting = 1 });
        _repo.Setup(r => r.JoinWaitlistAsync(_slot.Id, _student.Id, _student.Id, null, It.IsAny<CancellationToken>())).ReturnsAsync(new BookingId(5));

        var joined = await _h.PressAsync("600", EngineHarness.Button(full, Ru.JoinWaitlist));

        Assert.Contains("место в очереди: 2", Reply(joined), StringComparison.Ordinal);
        Assert.Contains("Иванов Иван", Assert.Single(To(joined, _teacher)).Text);
    }

    [Theory]
    [InlineData(SeatOutcome.AlreadyBooked)]
    [InlineData(SeatOutcome.LimitReached)]
    [InlineData(SeatOutcome.OverlapsAnotherBooking)]
    [InlineData(SeatOutcome.Closed)]
    public async Task RefusedSeat_IsExplained_AndTheTeacherHearsNothing(SeatOutcome outcome)
    {
        Seat(outcome);

        var reply = await _h.PressAsync("600", $"cb:0:bk::{_slot.Id}");

        var expected = outcome switch
        {
            SeatOutcome.AlreadyBooked => Ru.AlreadyBookedOrWaiting,
            SeatOutcome.LimitReached => Ru.BookingLimitReached(3),
            SeatOutcome.OverlapsAnotherBooking => Ru.OverlapsAnotherBooking,
            _ => Ru.SlotClosed(2),
        };
        Assert.Equal(expected, EngineHarness.Text(reply));
        Assert.Empty(To(reply, _teacher));
    }

    [Fact]
    public async Task StaleButton_AfterTheSlotWasCancelled_GetsAFriendlyAnswer()
    {
        _repo.Setup(r => r.GetSlotAsync(_slot.Id, It.IsAny<CancellationToken>())).ReturnsAsync(_slot with { Cancelled = true });

        var reply = await _h.PressAsync("600", $"cb:0:bk::{_slot.Id}");

        Assert.Equal(Ru.SlotClosed(2), EngineHarness.Text(reply));
        _repo.Verify(x => x.TakeSeatAsync(It.IsAny<SlotId>(), It.IsAny<PersonId>(), It.IsAny<PersonId>(), It.IsAny<string?>(),
            It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ParentBooksForALinkedChild_AndTheChildIsTold()
    {
        var parent = _h.AddPerson("700", Role.Parent, "Иванова Мария");
        _h.Links.Add((parent.Id, _student.Id));

        var r = await _h.TextAsync("700", "/book");
        r = await _h.PressAsync("700", EngineHarness.Button(r, "Математика"));
        r = await _h.PressAsync("700", EngineHarness.Button(r, "Петрова"));
        r = await _h.PressAsync("700", EngineHarness.Button(r, "3/10"));
        var done = await _h.PressAsync("700", EngineHarness.Button(r, Ru.Book));

        _repo.Verify(x => x.TakeSeatAsync(_slot.Id, _student.Id, parent.Id, null, It.IsAny<DateTimeOffset>(), 3, It.IsAny<CancellationToken>()));
        Assert.StartsWith("Иванов Иван записан(а)", Reply(done), StringComparison.Ordinal);
        Assert.Contains("Иванова Мария записал(а) вас", Assert.Single(To(done, _student)).Text, StringComparison.Ordinal);
        Assert.Single(To(done, _teacher));
    }

    [Fact]
    public async Task ParentWithSeveralChildren_ChoosesWhoTheBookingIsFor()
    {
        var parent = _h.AddPerson("700", Role.Parent, "Иванова Мария");
        var sister = _h.AddPerson("601", Role.Student, "Иванова Ольга", _group);
        _h.Links.Add((parent.Id, _student.Id));
        _h.Links.Add((parent.Id, sister.Id));

        var r = await _h.TextAsync("700", "/book");

        Assert.Equal(Ru.ChooseChild, EngineHarness.Text(r));
        var next = await _h.PressAsync("700", EngineHarness.Button(r, "Ольга"));
        Assert.Contains($":{sister.Id}:", EngineHarness.Button(next, "Математика"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParentBookingForAChildNotLinkedToThem_IsRefused()
    {
        var parent = _h.AddPerson("700", Role.Parent, "Чужая Мама");

        var reply = await _h.PressAsync("700", $"cb:0:bk:{_student.Id}:{_slot.Id}");

        Assert.Equal(Ru.NotYourChild, EngineHarness.Text(reply));
        _repo.Verify(x => x.TakeSeatAsync(It.IsAny<SlotId>(), It.IsAny<PersonId>(), It.IsAny<PersonId>(), It.IsAny<string?>(),
            It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.NotNull(parent);
    }

    [Fact]
    public async Task StudentWaitingForParentConfirmation_CannotBookYet()
    {
        _h.AddPerson("650", Role.Student, "Малыш Петя", _group, under14: true);

        var reply = await _h.TextAsync("650", "/book");

        Assert.Equal(Ru.BookingNeedsParentConfirmation, EngineHarness.Text(reply));
    }

    [Fact]
    public async Task Teachers_AreToldBookingIsForStudentsAndParents()
    {
        var reply = await _h.TextAsync("500", "/book");

        Assert.Equal(Ru.BookingForStudentsAndParents, EngineHarness.Text(reply));
    }

    [Fact]
    public async Task MyBookings_CancelAfterConfirmation_TellsTheTeacher_AndPromotesTheWaitingOne()
    {
        var waiting = _h.AddPerson("610", Role.Student, "Сидоров Олег", _group);
        _repo.Setup(r => r.BookingsOfAsync(_student.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([Booking(77, _student)]);
        _repo.Setup(r => r.GetBookingAsync(new BookingId(77), It.IsAny<CancellationToken>())).ReturnsAsync(Booking(77, _student));
        _repo.Setup(r => r.GetBookingAsync(new BookingId(78), It.IsAny<CancellationToken>())).ReturnsAsync(Booking(78, waiting));
        _repo.Setup(r => r.CancelAsync(new BookingId(77), _student.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CancelOutcome.Cancelled, new Promotion(new BookingId(78), waiting.Id)));

        var my = await _h.TextAsync("600", "/my");
        Assert.Contains("Математика", EngineHarness.Text(my));
        var confirm = await _h.PressAsync("600", EngineHarness.Button(my, Ru.CancelBookingButton(1)));
        var done = await _h.PressAsync("600", EngineHarness.Button(confirm, Ru.YesCancelBooking));

        _repo.Verify(x => x.CancelAsync(new BookingId(77), _student.Id, _h.Clock.GetUtcNow() + TimeSpan.FromHours(3), It.IsAny<CancellationToken>()));
        Assert.StartsWith("Запись на", Reply(done), StringComparison.Ordinal);
        Assert.StartsWith("Освободилось место — вы записаны", Assert.Single(To(done, waiting)).Text, StringComparison.Ordinal);
        var teacherMessages = To(done, _teacher).Select(m => m.Text).ToList();
        Assert.Equal(2, teacherMessages.Count);
        Assert.Contains(teacherMessages, m => m.StartsWith("Запись отменена: Иванов Иван", StringComparison.Ordinal));
        Assert.Contains(teacherMessages, m => m.StartsWith("Из листа ожидания записан(а): Сидоров Олег", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CancelAfterTheCutoff_IsRefused_AndOffersToWriteToTheTeacher()
    {
        _repo.Setup(r => r.GetBookingAsync(new BookingId(77), It.IsAny<CancellationToken>())).ReturnsAsync(Booking(77, _student));
        _repo.Setup(r => r.CancelAsync(new BookingId(77), _student.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CancelOutcome.TooLate, null));

        var refused = await _h.PressAsync("600", "cb:0:xy:77");

        Assert.Equal(Ru.CancelTooLate(3), EngineHarness.Text(refused));
        Assert.Empty(To(refused, _teacher));
        await _h.PressAsync("600", EngineHarness.Button(refused, Ru.WriteToTeacher));
        var sent = await _h.TextAsync("600", "Заболел, не приду");
        Assert.Equal(Ru.MessageSentToTeacher, Reply(sent));
        Assert.Contains("Заболел, не приду", Assert.Single(To(sent, _teacher)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SomeoneElsesBookingId_InACallback_IsNotFound()
    {
        var other = _h.AddPerson("610", Role.Student, "Сидоров Олег", _group);
        _repo.Setup(r => r.GetBookingAsync(new BookingId(90), It.IsAny<CancellationToken>())).ReturnsAsync(Booking(90, other));

        foreach (var press in new[] { "cb:0:x:90", "cb:0:xy:90", "cb:0:mv:90", "cb:0:mt:90:10", "cb:0:msg:90", "cb:0:xy:abc" })
        {
            var reply = await _h.PressAsync("600", press);
            Assert.Equal(Ru.BookingNotFound, EngineHarness.Text(reply));
        }
        _repo.Verify(x => x.CancelAsync(It.IsAny<BookingId>(), It.IsAny<PersonId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()),
            Times.Never);
        _repo.Verify(x => x.RescheduleAsync(It.IsAny<BookingId>(), It.IsAny<PersonId>(), It.IsAny<SlotId>(), It.IsAny<DateTimeOffset>(),
            It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ParentWhoseLinkWasRemoved_CanNoLongerActOnABookingTheyMade()
    {
        var parent = _h.AddPerson("700", Role.Parent, "Иванова Мария");
        _repo.Setup(r => r.GetBookingAsync(new BookingId(77), It.IsAny<CancellationToken>())).ReturnsAsync(Booking(77, _student, bookedBy: parent));

        var reply = await _h.PressAsync("700", "cb:0:xy:77");

        Assert.Equal(Ru.BookingNotFound, Reply(reply));
        _repo.Verify(x => x.CancelAsync(It.IsAny<BookingId>(), It.IsAny<PersonId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }

    [Fact]
    public async Task ParentMayCancelTheirChildsBooking()
    {
        var parent = _h.AddPerson("700", Role.Parent, "Иванова Мария");
        _h.Links.Add((parent.Id, _student.Id));
        _repo.Setup(r => r.GetBookingAsync(new BookingId(77), It.IsAny<CancellationToken>())).ReturnsAsync(Booking(77, _student));
        _repo.Setup(r => r.CancelAsync(new BookingId(77), parent.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CancelOutcome.Cancelled, null));

        var reply = await _h.PressAsync("700", "cb:0:xy:77");

        Assert.StartsWith("Запись на", Reply(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reschedule_MovesToAnotherTimeOfTheSameTeacher_AndTellsTheTeacher()
    {
        var later = _slot with { Id = new SlotId(11), Start = _slot.Start.AddDays(2), End = _slot.End.AddDays(2), Booked = 0 };
        _repo.Setup(r => r.GetBookingAsync(new BookingId(77), It.IsAny<CancellationToken>())).ReturnsAsync(Booking(77, _student));
        _repo.Setup(r => r.OpenSlotsAsync(It.Is<SlotQuery>(q => q.Except == _slot.Id && q.TeacherId == _teacher.Id), It.IsAny<CancellationToken>()))
            .ReturnsAsync([later]);
        _repo.Setup(r => r.GetSlotAsync(later.Id, It.IsAny<CancellationToken>())).ReturnsAsync(later);
        _repo.Setup(r => r.RescheduleAsync(new BookingId(77), _student.Id, later.Id, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), 3,
                It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RescheduleResult(CancelOutcome.Cancelled, SeatOutcome.Booked, new BookingId(80), null));

        var choose = await _h.PressAsync("600", "cb:0:mv:77");
        var moved = await _h.PressAsync("600", choose.Messages[0].Keyboard!.Rows[0][0].Payload);

        Assert.StartsWith("Запись перенесена", Reply(moved), StringComparison.Ordinal);
        Assert.Contains("стало:", Assert.Single(To(moved, _teacher)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reschedule_IntoAFullSlot_ChangesNothing_AndSaysSo()
    {
        _repo.Setup(r => r.GetBookingAsync(new BookingId(77), It.IsAny<CancellationToken>())).ReturnsAsync(Booking(77, _student));
        _repo.Setup(r => r.RescheduleAsync(new BookingId(77), _student.Id, new SlotId(11), It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), 3,
                It.IsAny<CancellationToken>()))
            .ReturnsAsync(new RescheduleResult(CancelOutcome.Cancelled, SeatOutcome.Full, null, null));

        var reply = await _h.PressAsync("600", "cb:0:mt:77:11");

        Assert.Equal(Ru.SlotFull, EngineHarness.Text(reply));
        Assert.Empty(To(reply, _teacher));
    }

    [Fact]
    public async Task TeacherCancelsASlotWithAReason_AndEveryoneBookedOrWaitingIsTold()
    {
        var parent = _h.AddPerson("700", Role.Parent, "Иванова Мария");
        var waiting = _h.AddPerson("610", Role.Student, "Сидоров Олег", _group);
        _repo.Setup(r => r.CancelSlotAsync(_slot.Id, _teacher.Id, "Болезнь", It.IsAny<CancellationToken>()))
            .ReturnsAsync([Booking(77, _student, parent), Booking(78, waiting, status: BookingStatus.Waiting)]);
        _repo.Setup(r => r.BookingsOfSlotAsync(_slot.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);

        var card = await _h.PressAsync("500", $"cs:0:v:{_slot.Id}");
        var ask = await _h.PressAsync("500", EngineHarness.Button(card, Ru.CancelSlotButton));
        Assert.StartsWith("Отмена консультации", EngineHarness.Text(ask), StringComparison.Ordinal);
        var done = await _h.TextAsync("500", "Болезнь");

        foreach (var who in new[] { _student, parent, waiting })
        {
            Assert.Contains("Причина: Болезнь", Assert.Single(To(done, who)).Text, StringComparison.Ordinal);
        }
        Assert.Contains("(запись: Иванов Иван)", Assert.Single(To(done, parent)).Text, StringComparison.Ordinal);
        Assert.Equal(Ru.SlotCancelled(ConsultationFormat.When(Ru, _slot, Moscow), 3), Reply(done));
    }

    [Fact]
    public async Task AnotherTeachersSlot_CannotBeSeenOrCancelled()
    {
        _h.AddPerson("501", Role.Teacher, "Другой Учитель");

        var card = await _h.PressAsync("501", $"cs:0:v:{_slot.Id}");
        var cancel = await _h.PressAsync("501", $"cs:0:c:{_slot.Id}");

        Assert.Equal(Ru.SlotNotFound, EngineHarness.Text(card));
        Assert.Equal(Ru.SlotNotFound, EngineHarness.Text(cancel));
        _repo.Verify(x => x.BookingsOfSlotAsync(It.IsAny<SlotId>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Attendance_IsMarkedAfterTheStart_AndRefusedBefore()
    {
        _repo.Setup(r => r.MarkAttendanceAsync(new BookingId(77), _teacher.Id, Attendance.Late, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(true);

        var marked = await _h.PressAsync("500", "cs:0:a:77:l");
        var refused = await _h.PressAsync("500", "cs:0:a:78:p");

        Assert.Equal(Ru.AttendanceMarked(Attendance.Late), marked.CallbackAnswer);
        Assert.Equal(Ru.AttendanceNotPossible, refused.CallbackAnswer);
    }

    [Fact]
    public async Task StartedSlot_ShowsAttendanceButtonsForEachBookedStudent()
    {
        var started = _slot with { Start = _h.Clock.GetUtcNow().AddMinutes(-10), End = _h.Clock.GetUtcNow().AddMinutes(30) };
        _repo.Setup(r => r.GetSlotAsync(_slot.Id, It.IsAny<CancellationToken>())).ReturnsAsync(started);
        _repo.Setup(r => r.BookingsOfSlotAsync(_slot.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync([Booking(77, _student, slot: started, topic: "дроби")]);

        var card = await _h.PressAsync("500", $"cs:0:v:{_slot.Id}");

        Assert.Contains("1. Иванов Иван, 7Б — «дроби»", EngineHarness.Text(card), StringComparison.Ordinal);
        Assert.Equal("cs:0:a:77:a", EngineHarness.Button(card, "не был"));
        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(card, Ru.CancelSlotButton));
    }

    [Fact]
    public async Task EnglishSpeakers_GetEnglishTexts()
    {
        _h.AddPerson("800", Role.Student, "John Smith", _group, Language.En);

        var r = await _h.TextAsync("800", "/book");

        Assert.Equal(TextCatalog.For(Language.En).ChooseSubjectToBook, EngineHarness.Text(r));
    }
}
