using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Domain.Timetable;
using Moq;

namespace ConsultBot.Tests.Domain;

/// <summary>Cancelling, moving and substituting one lesson in the chat, with the repositories mocked.</summary>
public sealed class LessonsDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private static readonly ITexts En = TextCatalog.For(Language.En);
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly EngineHarness _h = new(new EngineSettings { SchoolName = "Лицей №2", TimeZone = Moscow });
    private readonly Person _teacher;
    private readonly LessonView _lesson;
    private readonly List<Listener> _listeners;

    public LessonsDialogTests()
    {
        var group = _h.AddGroup("7Б");
        _teacher = _h.AddPerson("500", Role.Teacher, "Петрова Анна");
        var start = _h.Clock.GetUtcNow().AddDays(1); // 26.11 12:00 Moscow
        _lesson = new LessonView(40, group.Id, "7Б", DateOnly.FromDateTime(start.UtcDateTime), start, start.AddMinutes(45), "Математика",
            _teacher.Id, _teacher.FullName, null, null, "214", null, false, null);
        _listeners = [new(new PersonId(900), Language.Ru, null), new(new PersonId(901), Language.En, null), new(new PersonId(902), Language.Ru, "Белова Анна")];
        _h.Lessons.Setup(r => r.GetAsync(40, It.IsAny<CancellationToken>())).ReturnsAsync(() => _lesson);
        _h.Lessons.Setup(r => r.ListenersAsync(group.Id, It.IsAny<CancellationToken>())).ReturnsAsync(() => _listeners);
        _h.Lessons.Setup(r => r.OfTeacherAsync(_teacher.Id, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(),
            It.IsAny<CancellationToken>())).ReturnsAsync([_lesson]);
    }

    private static string Reply(EngineResult result) => result.Messages.First(m => m.To.Chat is not null).Text;

    private static List<OutgoingMessage> Alerts(EngineResult result) => result.Messages.Where(m => m.To.Person is not null).ToList();

    [Fact]
    public async Task TeacherCancelsTheirLesson_WithAReason_AndTheClassAndFollowingParentsAreAlerted()
    {
        _h.Lessons.Setup(r => r.CancelAsync(40, "Болезнь", It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var list = await _h.TextAsync("500", "/lessons");
        var card = await _h.PressAsync("500", EngineHarness.Button(list, "Математика · 7Б"));
        await _h.PressAsync("500", EngineHarness.Button(card, Ru.CancelLessonButton));

        var done = await _h.TextAsync("500", "Болезнь");

        Assert.Equal(Ru.LessonCancelledDone(3), Reply(done));
        var alerts = Alerts(done);
        Assert.Equal([900L, 901L, 902L], alerts.Select(a => a.To.Person!.Value.Value));
        Assert.Equal("❗ Изменение в расписании: урок Математика чт, 26 ноября, 12:00–12:45 отменён.\nПричина: Болезнь", alerts[0].Text);
        Assert.StartsWith("❗ Timetable change:", alerts[1].Text, StringComparison.Ordinal);
        Assert.StartsWith("❗ Изменение в расписании (Белова Анна):", alerts[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeacherMovesTheLesson_BadTimesAreExplained_AnOverlapIsRefused_ThenTheMoveIsAlerted()
    {
        var newStart = new DateTimeOffset(2026, 11, 27, 7, 0, 0, TimeSpan.Zero); // 10:00 Moscow
        _h.Lessons.SetupSequence(r => r.MoveAsync(40, new DateOnly(2026, 11, 27), newStart, newStart.AddMinutes(45), It.IsAny<CancellationToken>()))
            .ReturnsAsync(LessonMoveOutcome.OverlapsAnotherLesson)
            .ReturnsAsync(LessonMoveOutcome.Moved);
        await _h.PressAsync("500", "ls:0:m:40");

        Assert.Equal(Ru.DateInputError(DateInputError.NoSuchTime), Reply(await _h.TextAsync("500", "27.11 25:00")));
        Assert.Equal(Ru.DateInputError(DateInputError.Unrecognised), Reply(await _h.TextAsync("500", "27.11 8.30")));
        Assert.Equal(Ru.DateInThePast, Reply(await _h.TextAsync("500", "24.11.2026 10:00")));
        Assert.Equal(Ru.LessonOverlaps, Reply(await _h.TextAsync("500", "27.11 10:00")));
        var moved = await _h.TextAsync("500", "27.11 10:00");

        Assert.StartsWith("Урок перенесён на пт, 27 ноября, 10:00–10:45", Reply(moved), StringComparison.Ordinal);
        Assert.Contains("Стало: пт, 27 ноября, 10:00–10:45", Alerts(moved)[0].Text, StringComparison.Ordinal);
        Assert.Null(_h.PersonOf("500")!.Dialog.Step);
    }

    [Fact]
    public async Task AnotherTeachersLesson_CannotBeChanged()
    {
        _h.AddPerson("501", Role.Teacher, "Смирнов Олег");

        foreach (var press in new[] { "ls:0:v:40", "ls:0:c:40", "ls:0:m:40", "ls:0:c:abc" })
        {
            Assert.Equal(Ru.LessonNotFound, Reply(await _h.PressAsync("501", press)));
        }
        _h.Lessons.Verify(r => r.CancelAsync(It.IsAny<long>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task StudentsAndParents_CannotChangeLessons()
    {
        _h.AddPerson("600", Role.Student, "Белова Анна", _h.GroupList[0]);

        Assert.Equal(Ru.NotAllowed, Reply(await _h.TextAsync("600", "/lessons")));
        Assert.Equal(Ru.NotAllowed, (await _h.PressAsync("600", "ls:0:c:40")).CallbackAnswer);
    }

    [Fact]
    public async Task StartedLesson_CannotBeCancelled()
    {
        _h.Clock.Advance(TimeSpan.FromDays(1).Add(TimeSpan.FromMinutes(5)));

        var reply = await _h.PressAsync("500", "ls:0:c:40");

        Assert.Equal(Ru.LessonAlreadyStarted, Reply(reply));
        Assert.Null(_h.PersonOf("500")!.Dialog.Step);
    }

    [Fact]
    public async Task AdministratorNamesASubstitute_TheClassIsAlerted_AndTheSubstituteIsTold()
    {
        _h.AddPerson("1", Role.Admin, "Сидоров Пётр");
        var substitute = _h.AddPerson("502", Role.Teacher, "Смирнов Олег");
        _h.Consultations.Setup(r => r.TeachersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync([new TeacherSummary(_teacher.Id, _teacher.FullName!, null), new TeacherSummary(substitute.Id, substitute.FullName!, null)]);
        _h.Lessons.Setup(r => r.SubstituteAsync(40, substitute.Id, It.IsAny<CancellationToken>())).ReturnsAsync(true);
        var card = await _h.PressAsync("1", "ls:0:v:40");
        var choose = await _h.PressAsync("1", EngineHarness.Button(card, Ru.SubstituteButton));
        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(choose, "Петрова")); // not the lesson's own teacher

        var done = await _h.PressAsync("1", EngineHarness.Button(choose, "Смирнов"));

        Assert.Equal(Ru.SubstituteDone("Смирнов Олег", 3), Reply(done));
        Assert.Contains(done.Messages, m => m.To.Person == substitute.Id && m.Text.StartsWith("Вы заменяете урок: Математика, 7Б", StringComparison.Ordinal));
        Assert.Equal(4, Alerts(done).Count);
    }

    [Fact]
    public async Task Teachers_CannotNameSubstitutes()
    {
        var card = await _h.PressAsync("500", "ls:0:v:40");

        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(card, Ru.SubstituteButton));
        Assert.Equal(Ru.NotAllowed, (await _h.PressAsync("500", "ls:0:st:40:1")).CallbackAnswer);
    }

    [Fact]
    public async Task English_TeacherSeesEnglish()
    {
        var en = _h.AddPerson("503", Role.Admin, "John Smith", language: Language.En);
        _h.Groups.Setup(g => g.ListAsync(false, It.IsAny<CancellationToken>())).ReturnsAsync(_h.GroupList);

        var reply = await _h.TextAsync("503", "/lessons");

        Assert.Equal(En.ChooseClassForLessons, Reply(reply));
        Assert.NotNull(en);
    }
}

public sealed class HolidayAlertTests
{
    [Fact]
    public async Task AddingAHoliday_AlertsTheClassesThatLostLessons()
    {
        var h = new EngineHarness(new EngineSettings { SchoolName = "Лицей №2", TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow") });
        var group = h.AddGroup("7Б");
        h.AddPerson("1", Role.Admin, "Сидоров Пётр");
        h.Timetable.Setup(r => r.HolidaysAsync(It.IsAny<DateOnly>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        h.Timetable.Setup(r => r.AddHolidaysAsync(new DateOnly(2026, 12, 30), new DateOnly(2027, 1, 8), "Зимние каникулы", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HolidayAdded(10, 4) { Groups = [group.Id] });
        h.Lessons.Setup(r => r.ListenersAsync(group.Id, It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Listener(new PersonId(900), Language.Ru, null), new Listener(new PersonId(901), Language.En, "Anna")]);
        await h.PressAsync("1", "tt:0:hadd");

        var done = await h.TextAsync("1", "30.12.2026-08.01.2027 Зимние каникулы");

        var alerts = done.Messages.Where(m => m.To.Person is not null).ToList();
        Assert.Equal("❗ Изменение в расписании: с 30.12.2026 по 08.01.2027 — Зимние каникулы: уроков по расписанию нет.", alerts[0].Text);
        Assert.Equal("❗ Timetable change (Anna): 30.12.2026 to 08.01.2027 — Зимние каникулы: no timetable lessons.", alerts[1].Text);
    }
}
