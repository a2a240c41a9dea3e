using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain.SchoolDirectory;

/// <summary>/people and /audit: people lists and cards, switching access off and on, invites, the audit log, and what a switched-off person gets.</summary>
public sealed class PeopleDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private static readonly ITexts En = TextCatalog.For(Language.En);
    private readonly EngineHarness _h = new(new EngineSettings
    {
        SchoolName = "Лицей №2",
        TelegramBotUsername = "consult_bot",
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"),
        AdminTelegramIds = new HashSet<string> { "boss" },
    });
    private readonly Person _admin;
    private readonly Person _teacher;
    private readonly Person _student;
    private readonly Person _parent;

    public PeopleDialogTests()
    {
        var group = _h.AddGroup("7А");
        _admin = _h.AddPerson("a", Role.Admin, "Смирнова Анна");
        _teacher = _h.AddPerson("t", Role.Teacher, "Петрова Мария Ивановна");
        _student = _h.AddPerson("s", Role.Student, "Белова Анна", group);
        _parent = _h.AddPerson("p", Role.Parent, "Белов Олег", language: Language.En);
        _h.Directory.Setup(d => d.GetPersonAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId id, CancellationToken _) => _h.Persons.TryGetValue(id, out var p)
                ? new PersonCard(p.Id, p.FullName!, p.Role, p.Status, null, [], [], [Channel.Telegram])
                : null);
        _h.Directory.Setup(d => d.DeactivateAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>())).ReturnsAsync(new Deactivation(DeactivateOutcome.Deactivated, []));
        _h.Directory.Setup(d => d.ContactsAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync([new SchoolContact(1, "Ответственный за консультации", "Кузнецова Ольга Николаевна", "каб. 101", 1)]);
    }

    private SlotView Slot(long id, DateTimeOffset start) =>
        new(new SlotId(id), _teacher.Id, _teacher.FullName!, 1, "Математика", start, start.AddMinutes(20), ConsultationKind.Individual, 1, 1, 0,
            ConsultationPurpose.Review, null, false, null, "214", null, false);

    [Fact]
    public async Task People_IsRefused_WhenNotAnAdministrator()
    {
        Assert.Equal(Ru.NotAllowed, EngineHarness.Text(await _h.TextAsync("t", "/people")));
        Assert.Equal(Ru.NotAllowed, EngineHarness.Text(await _h.TextAsync("s", "/audit")));
        foreach (var payload in new[] { $"pp:0:dy:{_admin.Id}", $"pp:0:r:{_student.Id}", "pp:0:ir:1", "pp:0:au:0" })
        {
            var pressed = await _h.PressAsync("t", payload);
            Assert.Equal(Ru.NotAllowed, pressed.CallbackAnswer);
            Assert.Empty(pressed.Messages);
        }
        _h.Directory.Verify(d => d.DeactivateAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()), Times.Never);
        _h.Directory.Verify(d => d.ReactivateAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()), Times.Never);
        _h.Directory.Verify(d => d.ReissueInviteAsync(It.IsAny<long>(), It.IsAny<string>(), It.IsAny<PersonId>(), It.IsAny<DateTimeOffset>(),
            It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Deactivate_TellsEachAskerInTheirLanguage_ThatTheirQuestionWentBackToTheSubjectsTeachers()
    {
        _h.Directory.Setup(d => d.DeactivateAsync(_teacher.Id, It.IsAny<CancellationToken>())).ReturnsAsync(new Deactivation(DeactivateOutcome.Deactivated,
            [new ReturnedQuestion(41, _student.Id, "Математика"), new ReturnedQuestion(42, _parent.Id, "Психология")]));
        _h.Consultations.Setup(c => c.TeacherSlotsAsync(_teacher.Id, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([]);

        var done = await _h.PressAsync("a", $"pp:0:dy:{_teacher.Id}");

        Assert.Equal(Ru.QuestionReturnedToSubjectTeachers(41, "Математика"), done.Messages.Single(m => m.To.Person == _student.Id).Text);
        Assert.Equal(TextCatalog.For(Language.En).QuestionReturnedToSubjectTeachers(42, "Психология"),
            done.Messages.Single(m => m.To.Person == _parent.Id).Text);
    }

    [Fact]
    public async Task Deactivate_IsRefused_ForOneself_AndForTheLastAdministrator()
    {
        var self = await _h.PressAsync("a", $"pp:0:dy:{_admin.Id}");
        Assert.Equal(Ru.CannotDeactivateSelf, self.CallbackAnswer);
        Assert.DoesNotContain(EngineHarness.Text(await _h.PressAsync("a", $"pp:0:c:{_admin.Id}")), Ru.DeactivateButton, StringComparison.Ordinal);

        var other = _h.AddPerson("a2", Role.Admin, "Зайцева Ольга");
        _h.Directory.Setup(d => d.DeactivateAsync(_admin.Id, It.IsAny<CancellationToken>())).ReturnsAsync(new Deactivation(DeactivateOutcome.LastAdmin, []));
        var last = await _h.PressAsync("a2", $"pp:0:dy:{_admin.Id}");

        Assert.Equal(Ru.CannotDeactivateLastAdmin, last.CallbackAnswer);
        Assert.Empty(_h.AuditEntries);
        Assert.Equal(Role.Admin, other.Role);
    }

    [Fact]
    public async Task Deactivate_AsksFirst_ThenCancelsTheTeachersFutureSlots_AndTellsTheBookedInTheirLanguage()
    {
        var now = _h.Clock.GetUtcNow();
        var future = Slot(10, now.AddDays(1));
        var started = Slot(11, now.AddMinutes(-5));
        _h.Consultations.Setup(c => c.TeacherSlotsAsync(_teacher.Id, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([started, future]);
        _h.Consultations.Setup(c => c.CancelSlotAsync(future.Id, _teacher.Id, It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([
                new BookingView(new BookingId(1), future, _student.Id, _student.FullName!, "7А", _parent.Id, BookingStatus.Active, null, null),
            ]);

        var card = await _h.PressAsync("a", $"pp:0:c:{_teacher.Id}");
        var confirm = await _h.PressAsync("a", EngineHarness.Button(card, Ru.DeactivateButton));
        Assert.Equal(Ru.ConfirmDeactivate(_teacher.FullName!, Role.Teacher), EngineHarness.Text(confirm));
        _h.Directory.Verify(d => d.DeactivateAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()), Times.Never);

        var done = await _h.PressAsync("a", EngineHarness.Button(confirm, Ru.YesDeactivate));

        _h.Directory.Verify(d => d.DeactivateAsync(_teacher.Id, It.IsAny<CancellationToken>()), Times.Once);
        _h.Consultations.Verify(c => c.CancelSlotAsync(started.Id, It.IsAny<PersonId>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(Ru.PersonDeactivated(_teacher.FullName!, 1, 2, 0), done.Messages.First(m => m.To.Chat is not null).Text);
        var toStudent = done.Messages.Single(m => m.To.Person == _student.Id);
        Assert.StartsWith("Консультация отменена", toStudent.Text, StringComparison.Ordinal);
        var toParent = done.Messages.Single(m => m.To.Person == _parent.Id);
        Assert.StartsWith("Consultation cancelled: the teacher no longer holds consultations (booking for Белова Анна)", toParent.Text,
            StringComparison.Ordinal);
        Assert.Equal(("person-deactivated", (PersonId?)_teacher.Id), (_h.AuditEntries.Single().Action, _h.AuditEntries.Single().Subject));
    }

    [Fact]
    public async Task Deactivate_GivesUpABookingTheParentMade_AndTellsTheParentInTheirLanguage()
    {
        var now = _h.Clock.GetUtcNow();
        var booking = new BookingView(new BookingId(9), Slot(12, now.AddDays(2)), _student.Id, _student.FullName!, "7А", _parent.Id,
            BookingStatus.Active, null, null);
        _h.Consultations.Setup(c => c.BookingsOfAsync(_student.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([booking]);
        _h.Consultations.Setup(c => c.CancelAsync(booking.Id, _student.Id, now, It.IsAny<CancellationToken>()))
            .ReturnsAsync((CancelOutcome.Cancelled, (Promotion?)null));

        var confirm = await _h.PressAsync("a", $"pp:0:d:{_student.Id}");
        var done = await _h.PressAsync("a", EngineHarness.Button(confirm, Ru.YesDeactivate));

        var toParent = done.Messages.Single(m => m.To.Person == _parent.Id);
        Assert.StartsWith(En.ConsultationCancelledChildDeactivated("", _student.FullName!).TrimEnd(), toParent.Text, StringComparison.Ordinal);
        Assert.Contains("Математика", toParent.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(done.Messages, m => m.To.Person == _student.Id);
        Assert.Single(done.Messages, m => m.To.Person == _teacher.Id);
    }

    [Fact]
    public async Task Deactivate_GivesUpAStudentsFutureBookings_AndTellsTheTeacher()
    {
        var now = _h.Clock.GetUtcNow();
        var future = Slot(10, now.AddDays(1));
        var booking = new BookingView(new BookingId(7), future, _student.Id, _student.FullName!, "7А", _student.Id, BookingStatus.Active, null, null);
        var parentsBooking = booking with { Id = new BookingId(8), BookedBy = _parent.Id, Slot = Slot(11, now.AddMinutes(-1)) };
        _h.Consultations.Setup(c => c.BookingsOfAsync(_student.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([booking, parentsBooking]);
        _h.Consultations.Setup(c => c.CancelAsync(booking.Id, _student.Id, now, It.IsAny<CancellationToken>()))
            .ReturnsAsync((CancelOutcome.Cancelled, (Promotion?)null));

        var confirm = await _h.PressAsync("a", $"pp:0:d:{_student.Id}");
        Assert.Equal(Ru.ConfirmDeactivate(_student.FullName!, Role.Student), EngineHarness.Text(confirm));
        var done = await _h.PressAsync("a", EngineHarness.Button(confirm, Ru.YesDeactivate));

        Assert.Equal(Ru.PersonDeactivated(_student.FullName!, 0, 0, 1), done.Messages.First(m => m.To.Chat is not null).Text);
        var toTeacher = done.Messages.Single(m => m.To.Person == _teacher.Id);
        Assert.Contains("Белова Анна", toTeacher.Text, StringComparison.Ordinal);
        _h.Consultations.Verify(c => c.CancelAsync(parentsBooking.Id, It.IsAny<PersonId>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()),
            Times.Never);
        _h.Consultations.Verify(c => c.CancelSlotAsync(It.IsAny<SlotId>(), It.IsAny<PersonId>(), It.IsAny<string>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }

    [Fact]
    public async Task Reactivate_SwitchesBackOn_AndSaysSo_WhenNotDeactivated()
    {
        _h.Directory.Setup(d => d.ReactivateAsync(_student.Id, It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var done = await _h.PressAsync("a", $"pp:0:r:{_student.Id}");
        Assert.Equal(Ru.PersonReactivated(_student.FullName!), done.Messages[0].Text);
        Assert.Equal("person-reactivated", _h.AuditEntries.Single().Action);

        var again = await _h.PressAsync("a", $"pp:0:r:{_teacher.Id}");
        Assert.Equal(Ru.NotDeactivated, again.CallbackAnswer);
        Assert.Equal(Ru.PersonNotFound, (await _h.PressAsync("a", "pp:0:c:9999")).CallbackAnswer);
    }

    [Fact]
    public async Task DeactivatedPerson_GetsOnlyWhomToContact_WhateverTheyWriteOrPress()
    {
        _h.Persons[_teacher.Id] = Person.Restore(_teacher.Id, Role.Teacher, PersonStatus.Deactivated, _teacher.FullName, null, Language.Ru, false, false,
            _teacher.ConsentedAt, DialogState.Empty);

        foreach (var text in new[] { "/slots", "привет", "/start", "/teachers" })
        {
            var reply = await _h.TextAsync("t", text);
            var message = Assert.Single(reply.Messages);
            Assert.Equal(Ru.DeactivatedNotice([new SchoolContact(1, "Ответственный за консультации", "Кузнецова Ольга Николаевна", "каб. 101", 1)]),
                message.Text);
            Assert.Contains("Кузнецова Ольга Николаевна (каб. 101)", message.Text, StringComparison.Ordinal);
            Assert.Null(message.Keyboard);
        }
        var pressed = await _h.PressAsync("t", "cs:0:l");
        Assert.Equal(Ru.DeactivatedShort, pressed.CallbackAnswer);
        Assert.Empty(pressed.Messages);
        _h.Consultations.VerifyNoOtherCalls();
        _h.Directory.Verify(d => d.TeachersAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);

        // Blocking and unblocking the bot is still recorded.
        await _h.EventAsync(_h.Event("t", EventKind.Blocked));
        _h.People.Verify(p => p.SetReachableAsync(Channel.Telegram, "t", false, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task DeactivatedPerson_CanStillEraseTheirData_WithForget()
    {
        _h.Persons[_student.Id] = Person.Restore(_student.Id, Role.Student, PersonStatus.Deactivated, _student.FullName, _student.GroupId, Language.Ru,
            false, false, _student.ConsentedAt, DialogState.Empty);

        var confirm = await _h.TextAsync("s", "/forget");
        Assert.Equal(Ru.ForgetConfirm, EngineHarness.Text(confirm));
        var gone = await _h.PressAsync("s", EngineHarness.Button(confirm, Ru.ForgetYes));

        Assert.Equal(Ru.Forgotten, EngineHarness.Text(gone));
        _h.People.Verify(p => p.ForgetAsync(_student.Id, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Reissue_ShowsANewCode_AndRefusesUsedOrUnknownInvites()
    {
        _h.Directory.Setup(d => d.ReissueInviteAsync(1, It.IsAny<string>(), _admin.Id, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(),
            It.IsAny<CancellationToken>())).ReturnsAsync(ReissueOutcome.Reissued);
        _h.Directory.Setup(d => d.ReissueInviteAsync(2, It.IsAny<string>(), _admin.Id, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(),
            It.IsAny<CancellationToken>())).ReturnsAsync(ReissueOutcome.AlreadyUsed);
        _h.Directory.Setup(d => d.ReissueInviteAsync(3, It.IsAny<string>(), _admin.Id, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(),
            It.IsAny<CancellationToken>())).ReturnsAsync(ReissueOutcome.NotFound);

        var reissued = await _h.PressAsync("a", "pp:0:ir:1");
        var text = EngineHarness.Text(reissued);
        Assert.StartsWith(Ru.InviteReissuedNote + "\nКод приглашения для учителя: ", text, StringComparison.Ordinal);
        Assert.Contains("https://t.me/consult_bot?start=t-", text, StringComparison.Ordinal);
        _h.Directory.Verify(d => d.ReissueInviteAsync(1, It.IsAny<string>(), _admin.Id, _h.Clock.GetUtcNow(), _h.Clock.GetUtcNow().AddDays(7),
            It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal("teacher-invite-reissued", _h.AuditEntries.Single().Action);

        Assert.Equal(Ru.InviteAlreadyUsed, (await _h.PressAsync("a", "pp:0:ir:2")).CallbackAnswer);
        Assert.Equal(Ru.InviteNotFound, (await _h.PressAsync("a", "pp:0:ir:3")).CallbackAnswer);
        Assert.Equal(Ru.InviteNotFound, (await _h.PressAsync("a", "pp:0:ir:x")).CallbackAnswer);
        Assert.Single(_h.AuditEntries);
    }

    [Fact]
    public async Task Invites_ListShowsStatesWithoutCodes_AndReissueOnlyOnUnusedOnes()
    {
        var now = _h.Clock.GetUtcNow();
        _h.Directory.Setup(d => d.InvitesAsync(0, PeopleFeature.InvitesPerPage, It.IsAny<CancellationToken>())).ReturnsAsync(new Page<TeacherInvite>([
            new TeacherInvite(3, now.AddHours(-1), "Смирнова Анна", now.AddDays(7), null, null, null),
            new TeacherInvite(2, now.AddDays(-2), "Смирнова Анна", now.AddDays(5), now.AddDays(-1), "Петрова Мария Ивановна", null),
        ], 2));

        var list = await _h.PressAsync("a", "pp:0:i:0");

        var text = EngineHarness.Text(list);
        Assert.Contains("1. создано 25.11.2026 11:00 (Смирнова Анна), действует до 02.12.2026 12:00 — ждёт", text, StringComparison.Ordinal);
        Assert.Contains("использовано 24.11.2026 12:00 (Петрова Мария Ивановна)", text, StringComparison.Ordinal);
        Assert.Equal("pp:0:ir:3", EngineHarness.Button(list, Ru.ReissueButton(1)));
        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(list, Ru.ReissueButton(2)));
    }

    [Fact]
    public async Task Audit_ListsNewestFirstInTheSchoolZone_WithStaffNamesAndAnonymousIds()
    {
        var now = _h.Clock.GetUtcNow();
        _h.Directory.Setup(d => d.AuditAsync(PeopleFeature.AuditActions, 0, PeopleFeature.AuditPerPage, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Page<AuditEntry>([
                new AuditEntry(now, "person-deactivated", new PersonId(12), _admin.Id, "Смирнова Анна"),
                new AuditEntry(now.AddHours(-1), "personal-data-erased", new PersonId(40), new PersonId(40), null),
            ], 25));

        var result = await _h.TextAsync("a", "/audit");

        var text = EngineHarness.Text(result);
        Assert.StartsWith(Ru.AuditTitle(1, 2, 25), text, StringComparison.Ordinal);
        Assert.Contains("25.11.2026 12:00 — доступ отключён: #12, кто: Смирнова Анна", text, StringComparison.Ordinal);
        Assert.Contains("25.11.2026 11:00 — удалены персональные данные (/forget): #40, кто: #40", text, StringComparison.Ordinal);
        Assert.Equal("pp:0:au:1", EngineHarness.Button(result, Ru.NextPage));
    }

    [Fact]
    public async Task People_ListsStudentsOfTheChosenClass_WithCardButtons()
    {
        _h.Directory.Setup(d => d.PeopleAsync(PeopleFilter.Students, new GroupId(1), 0, PeopleFeature.PeoplePerPage, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Page<PersonSummary>([new PersonSummary(_student.Id, _student.FullName!, Role.Student, PersonStatus.Deactivated, "7А")], 1));

        var main = await _h.TextAsync("a", "/people");
        var classes = await _h.PressAsync("a", EngineHarness.Button(main, Ru.PeopleFilterName(PeopleFilter.Students)));
        var list = await _h.PressAsync("a", EngineHarness.Button(classes, "7А"));

        Assert.Equal("Ученики 7А: 1\n1. Белова Анна — ⛔ отключён", EngineHarness.Text(list));
        Assert.Equal($"pp:0:c:{_student.Id}", EngineHarness.Button(list, "Белова А."));
        Assert.Equal(Ru.ChooseClassForPeople, EngineHarness.Text(await _h.PressAsync("a", "pp:0:f:s:0:999")));
    }

    [Fact]
    public async Task ConfiguredAdministrator_IsAudited_WhenTheyConsent()
    {
        var consent = await _h.TextAsync("boss", "/start");
        await _h.PressAsync("boss", EngineHarness.Button(consent, "Согласен"));

        Assert.Contains(_h.AuditEntries, e => e.Action == "admin-configured" && e.Subject == _h.PersonOf("boss")!.Id);
        Assert.Equal("became an administrator by configuration", En.AuditActionName("admin-configured"));
    }
}
