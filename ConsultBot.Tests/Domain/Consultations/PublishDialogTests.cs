using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Questions;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain.Consultations;

/// <summary>The teacher's publishing dialog, office hours and workload caps, with the repository mocked.</summary>
public sealed class PublishDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly EngineHarness _h = new(new EngineSettings { SchoolName = "Лицей №2", TimeZone = Moscow });
    private readonly Person _teacher;
    private readonly List<(SlotDraft Draft, long? Subject)> _published = [];
    private int _scheduledMinutes;
    private PublishOutcome _publishOutcome = PublishOutcome.Published;

    public PublishDialogTests()
    {
        _teacher = _h.AddPerson("500", Role.Teacher, "Петрова Анна Сергеевна");
        var subjects = new List<Subject> { new(1, "Математика"), new(2, "Физика") };
        var c = _h.Consultations;
        c.Setup(r => r.SubjectsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(subjects);
        c.Setup(r => r.GetSubjectAsync(It.IsAny<long>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((long id, CancellationToken _) => subjects.FirstOrDefault(s => s.Id == id));
        c.Setup(r => r.AddSubjectAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string name, CancellationToken _) =>
            {
                var subject = new Subject(subjects.Count + 1, name);
                subjects.Add(subject);
                return subject;
            });
        c.Setup(r => r.ScheduledMinutesAsync(_teacher.Id, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => _scheduledMinutes);
        c.Setup(r => r.WeeklyCapAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>())).ReturnsAsync((double?)null);
        c.Setup(r => r.OfficeHoursOfAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        c.Setup(r => r.PublishAsync(_teacher.Id, It.IsAny<long?>(), It.IsAny<SlotDraft>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId _, long? subject, SlotDraft draft, CancellationToken _) =>
            {
                if (_publishOutcome != PublishOutcome.Published)
                {
                    return (_publishOutcome, null);
                }
                _published.Add((draft, subject));
                return (PublishOutcome.Published, new SlotId(_published.Count));
            });
    }

    private string Step => _h.PersonOf("500")!.Dialog.Step ?? "(none)";

    /// <summary>Walks the dialog to the confirmation card with the given answers; returns the last result.</summary>
    private async Task<EngineResult> FillAsync(string when = "26.11 15:00", string duration = "40", bool group = true, string capacity = "12",
        bool topic = true, bool prep = false, string? link = "https://meet.example.org/abc", string note = "Возьмите тетрадь")
    {
        var r = await _h.TextAsync("500", "/publish");
        r = await _h.PressAsync("500", EngineHarness.Button(r, "Математика"));
        r = await _h.TextAsync("500", when);
        r = await _h.TextAsync("500", duration);
        r = await _h.PressAsync("500", EngineHarness.Button(r, group ? "групповая" : "индивидуальная"));
        if (group)
        {
            r = await _h.TextAsync("500", capacity);
        }
        r = await _h.PressAsync("500", EngineHarness.Button(r, topic ? "тематическая" : "обзорная"));
        if (topic)
        {
            r = await _h.TextAsync("500", "Квадратные уравнения");
        }
        r = await _h.PressAsync("500", EngineHarness.Button(r, prep ? "Да" : "Нет"));
        if (link is not null)
        {
            r = await _h.PressAsync("500", EngineHarness.Button(r, "Онлайн"));
            r = await _h.TextAsync("500", link);
        }
        else
        {
            r = await _h.PressAsync("500", EngineHarness.Button(r, "Очно"));
            r = await _h.TextAsync("500", "214");
        }
        return await _h.TextAsync("500", note);
    }

    [Fact]
    public async Task Publish_StoresTheSlotInTheSchoolsTimeZone_WhenEveryAnswerIsGood()
    {
        var card = await FillAsync();
        Assert.Contains("Квадратные уравнения", EngineHarness.Text(card));
        Assert.Contains("15:00–15:40", EngineHarness.Text(card));

        var done = await _h.PressAsync("500", EngineHarness.Button(card, "Опубликовать"));

        var (draft, subject) = Assert.Single(_published);
        Assert.Equal(1, subject);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), draft.Start); // 15:00 in Moscow
        Assert.Equal(40, draft.DurationMinutes);
        Assert.Equal(ConsultationKind.Group, draft.Kind);
        Assert.Equal(12, draft.Capacity);
        Assert.Equal(ConsultationPurpose.Topic, draft.Purpose);
        Assert.Equal("Квадратные уравнения", draft.TopicTitle);
        Assert.Equal("https://meet.example.org/abc", draft.Link);
        Assert.Equal("Возьмите тетрадь", draft.Note);
        Assert.StartsWith("Консультация опубликована", EngineHarness.Text(done), StringComparison.Ordinal);
        Assert.Null(_h.PersonOf("500")!.Dialog.Step);
    }

    [Fact]
    public async Task GroupPublish_ShowsTheSubjectsTopicQuestions_AndInvitesTheirAskersWithABookButton()
    {
        var group = _h.AddGroup("7Б");
        var student = _h.AddPerson("600", Role.Student, "Анна Белова", group);
        var parent = _h.AddPerson("601", Role.Parent, "Ольга Белова");
        _h.Links.Add((parent.Id, student.Id));
        var q = _h.Questions;
        q.Setup(r => r.TopicsAsync(_teacher.Id, 1, It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new TopicQuestion(new QuestionId(7), "Как решать квадратные уравнения через дискриминант?")]);
        q.Setup(r => r.AttachTopicsAsync(_teacher.Id, 1, It.IsAny<SlotId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new TopicAsker(student.Id, Role.Student, Language.Ru), new TopicAsker(parent.Id, Role.Parent, Language.Ru)]);

        var card = await FillAsync();
        Assert.Contains("📌 Темы из вопросов по предмету «Математика»", EngineHarness.Text(card), StringComparison.Ordinal);
        Assert.Contains(TextCatalog.For(Language.Ru).TopicLine(new QuestionId(7), "Как решать квадратные уравнения через дискриминант?"),
            EngineHarness.Text(card), StringComparison.Ordinal);
        Assert.Equal("#7: “x”", TextCatalog.For(Language.En).TopicLine(new QuestionId(7), "x"));

        var done = await _h.PressAsync("500", EngineHarness.Button(card, "Опубликовать"));

        q.Verify(r => r.AttachTopicsAsync(_teacher.Id, 1, new SlotId(1), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Contains(Ru.TopicAskersTold(2), EngineHarness.Text(done), StringComparison.Ordinal);
        var toStudent = Assert.Single(done.Messages, m => m.To.Person == student.Id);
        Assert.StartsWith("📌 Опубликована групповая консультация", toStudent.Text, StringComparison.Ordinal);
        Assert.Contains("26 ноября, 15:00–15:40", toStudent.Text, StringComparison.Ordinal);
        Assert.Equal("cb:0:v::1", toStudent.Keyboard!.Rows[0][0].Payload);
        var toParent = Assert.Single(done.Messages, m => m.To.Person == parent.Id);
        Assert.Equal(Ru.BookTopicForChild("Анна Белова"), toParent.Keyboard!.Rows[0][0].Label);
        Assert.Equal($"cb:0:v:{student.Id}:1", toParent.Keyboard.Rows[0][0].Payload);
    }

    [Fact]
    public async Task IndividualPublish_NeitherShowsTopicsNorInvites()
    {
        var card = await FillAsync(group: false);
        await _h.PressAsync("500", EngineHarness.Button(card, "Опубликовать"));

        Assert.DoesNotContain("📌", EngineHarness.Text(card), StringComparison.Ordinal);
        _h.Questions.Verify(r => r.TopicsAsync(It.IsAny<PersonId>(), It.IsAny<long>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
        _h.Questions.Verify(r => r.AttachTopicsAsync(It.IsAny<PersonId>(), It.IsAny<long>(), It.IsAny<SlotId>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }

    [Fact]
    public async Task Publish_AcceptsWordsForTheDay_AndAnInPersonRoom()
    {
        var card = await FillAsync(when: "завтра 9:30", group: false, topic: false, link: null);
        await _h.PressAsync("500", EngineHarness.Button(card, "Опубликовать"));

        var (draft, _) = Assert.Single(_published);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 6, 30, 0, TimeSpan.Zero), draft.Start);
        Assert.Equal(ConsultationKind.Individual, draft.Kind);
        Assert.Equal(1, draft.Capacity);
        Assert.Equal("214", draft.Room);
        Assert.Null(draft.Link);
    }

    [Theory]
    [InlineData("24.11 15:00")] // yesterday, with the year of today: in the past
    [InlineData("сегодня 8:00")]
    public async Task Date_InThePast_IsRefusedAndAskedAgain(string input)
    {
        var r = await _h.TextAsync("500", "/publish");
        await _h.PressAsync("500", EngineHarness.Button(r, "Математика"));

        var reply = await _h.TextAsync("500", input.Replace("24.11 15:00", "24.11.2026 15:00", StringComparison.Ordinal));

        Assert.Equal(Ru.DateInThePast, EngineHarness.Text(reply));
        Assert.Equal("cp.start", Step);
    }

    [Theory]
    [InlineData("31.02 10:00", DateInputError.NoSuchDate)]
    [InlineData("25.12 25:61", DateInputError.NoSuchTime)]
    [InlineData("завтра в три", DateInputError.Unrecognised)]
    [InlineData("8.30", DateInputError.Unrecognised)]
    public async Task Date_ThatDoesNotExist_IsExplained(string input, DateInputError error)
    {
        var r = await _h.TextAsync("500", "/publish");
        await _h.PressAsync("500", EngineHarness.Button(r, "Математика"));

        var reply = await _h.TextAsync("500", input);

        Assert.Equal(Ru.DateInputError(error), EngineHarness.Text(reply));
        Assert.Equal("cp.start", Step);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-30")]
    [InlineData("1000")]
    [InlineData("сорок")]
    public async Task Duration_OutOfRange_IsRefused(string input)
    {
        var r = await _h.TextAsync("500", "/publish");
        await _h.PressAsync("500", EngineHarness.Button(r, "Математика"));
        await _h.TextAsync("500", "26.11 15:00");

        var reply = await _h.TextAsync("500", input);

        Assert.Equal(Ru.DurationInvalid(10, 240), EngineHarness.Text(reply));
        Assert.Equal("cp.dur", Step);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("10000")]
    public async Task Capacity_OutOfRange_IsRefused(string input)
    {
        var r = await _h.TextAsync("500", "/publish");
        await _h.PressAsync("500", EngineHarness.Button(r, "Математика"));
        await _h.TextAsync("500", "26.11 15:00");
        r = await _h.TextAsync("500", "40");
        await _h.PressAsync("500", EngineHarness.Button(r, "групповая"));

        var reply = await _h.TextAsync("500", input);

        Assert.Equal(Ru.CapacityInvalid(100), EngineHarness.Text(reply));
        Assert.Equal("cp.cap", Step);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("meet.example.org/abc")]
    [InlineData("ftp://files.example.org/x")]
    public async Task Link_ThatIsNotHttp_IsRefused(string link)
    {
        var r = await _h.TextAsync("500", "/publish");
        r = await _h.PressAsync("500", EngineHarness.Button(r, "Математика"));
        await _h.TextAsync("500", "26.11 15:00");
        r = await _h.TextAsync("500", "40");
        r = await _h.PressAsync("500", EngineHarness.Button(r, "индивидуальная"));
        r = await _h.PressAsync("500", EngineHarness.Button(r, "обзорная"));
        r = await _h.PressAsync("500", EngineHarness.Button(r, "Нет"));
        await _h.PressAsync("500", EngineHarness.Button(r, "Онлайн"));

        var reply = await _h.TextAsync("500", link);

        Assert.Equal(Ru.LinkInvalid, EngineHarness.Text(reply));
        Assert.Equal("cp.link", Step);
    }

    [Fact]
    public async Task IndividualAttestationPrep_IsRefusedWithTheReason_AndCanBecomeAGroup()
    {
        var r = await _h.TextAsync("500", "/publish");
        r = await _h.PressAsync("500", EngineHarness.Button(r, "Математика"));
        await _h.TextAsync("500", "26.11 15:00");
        r = await _h.TextAsync("500", "40");
        r = await _h.PressAsync("500", EngineHarness.Button(r, "индивидуальная"));
        r = await _h.PressAsync("500", EngineHarness.Button(r, "обзорная"));

        var refused = await _h.PressAsync("500", EngineHarness.Button(r, "Да"));

        Assert.Equal(Ru.IndividualAttestationPrepRefused, EngineHarness.Text(refused));
        var group = await _h.PressAsync("500", EngineHarness.Button(refused, Ru.MakeItGroup));
        Assert.Equal(Ru.AskCapacity, EngineHarness.Text(group));
        Assert.Equal("g", _h.PersonOf("500")!.Dialog.Get("kind"));
        Assert.Equal("1", _h.PersonOf("500")!.Dialog.Get("prep"));
    }

    [Fact]
    public async Task IndividualAttestationPrep_IsAllowed_WhenTheSchoolsOrderAllowsIt()
    {
        var h = new EngineHarness(new EngineSettings
        {
            SchoolName = "Лицей №2",
            TimeZone = Moscow,
            Consultations = new ConsultationPolicy { IndividualAttestationPrepAllowed = true },
        });
        h.AddPerson("500", Role.Teacher, "Петрова Анна");
        h.Consultations.Setup(x => x.SubjectsAsync(It.IsAny<CancellationToken>())).ReturnsAsync([new Subject(1, "Математика")]);
        h.Consultations.Setup(x => x.GetSubjectAsync(1, It.IsAny<CancellationToken>())).ReturnsAsync(new Subject(1, "Математика"));
        var r = await h.TextAsync("500", "/publish");
        r = await h.PressAsync("500", EngineHarness.Button(r, "Математика"));
        await h.TextAsync("500", "26.11 15:00");
        r = await h.TextAsync("500", "40");
        r = await h.PressAsync("500", EngineHarness.Button(r, "индивидуальная"));
        r = await h.PressAsync("500", EngineHarness.Button(r, "обзорная"));

        var next = await h.PressAsync("500", EngineHarness.Button(r, "Да"));

        Assert.Equal(Ru.AskFormat, EngineHarness.Text(next));
    }

    [Fact]
    public async Task OverlappingSlot_IsTurnedIntoAFriendlyMessage_AndTheTimeAskedAgain()
    {
        _publishOutcome = PublishOutcome.OverlapsAnotherSlot;
        var card = await FillAsync();

        var reply = await _h.PressAsync("500", EngineHarness.Button(card, "Опубликовать"));

        Assert.Contains(Ru.OverlapsAnotherSlot, EngineHarness.Text(reply));
        Assert.Contains(Ru.AskStart, EngineHarness.Text(reply));
        Assert.Equal("cp.start", Step);
        Assert.Empty(_published);
    }

    [Fact]
    public async Task OverTheWeeklyCap_IsRefusedBeforeAnythingIsStored()
    {
        _scheduledMinutes = 350; // of 360 by default
        var card = await FillAsync(duration: "40");

        var reply = await _h.PressAsync("500", EngineHarness.Button(card, "Опубликовать"));

        Assert.Contains("недельная нагрузка", EngineHarness.Text(reply), StringComparison.Ordinal);
        _h.Consultations.Verify(r => r.PublishAsync(It.IsAny<PersonId>(), It.IsAny<long?>(), It.IsAny<SlotDraft>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }

    [Fact]
    public async Task TeachersOwnCap_IsUsed_WhenAnAdministratorSetOne()
    {
        _h.Consultations.Setup(r => r.WeeklyCapAsync(_teacher.Id, It.IsAny<CancellationToken>())).ReturnsAsync(10);
        _scheduledMinutes = 350;
        var card = await FillAsync(duration: "40");

        await _h.PressAsync("500", EngineHarness.Button(card, "Опубликовать"));

        Assert.Single(_published);
    }

    [Fact]
    public async Task StaleButton_FromAnEarlierQuestion_IsRefused()
    {
        var r = await _h.TextAsync("500", "/publish");
        var mathButton = EngineHarness.Button(r, "Математика");
        await _h.PressAsync("500", mathButton);

        var again = await _h.PressAsync("500", mathButton);

        Assert.Equal(Ru.ButtonStale, again.CallbackAnswer);
        Assert.Equal("cp.start", Step);
    }

    [Fact]
    public async Task Students_CannotPublish()
    {
        _h.AddPerson("600", Role.Student, "Иванов Иван", _h.AddGroup("7Б"));

        var reply = await _h.TextAsync("600", "/publish");

        Assert.Equal(Ru.NotAllowed, EngineHarness.Text(reply));
        Assert.Null(_h.PersonOf("600")!.Dialog.Step);
    }

    [Fact]
    public async Task NewSubject_CanBeTyped()
    {
        await _h.TextAsync("500", "/publish");

        var reply = await _h.TextAsync("500", "Информатика");

        Assert.Equal(Ru.AskStart, EngineHarness.Text(reply));
        Assert.Equal("3", _h.PersonOf("500")!.Dialog.Get("subj"));
    }

    [Fact]
    public async Task OfficeHours_AreSavedAndTurnedIntoSlotsWithinTheCap()
    {
        OfficeHours? saved = null;
        var inserted = new List<DateTimeOffset>();
        var c = _h.Consultations;
        c.Setup(r => r.AddOfficeHoursAsync(It.IsAny<OfficeHours>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OfficeHours t, CancellationToken _) => saved = t with { Id = 7 });
        c.Setup(r => r.TemplateStartsAsync(7, It.IsAny<DateTimeOffset>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HashSet<DateTimeOffset>());
        c.Setup(r => r.InsertTemplateSlotsAsync(It.IsAny<OfficeHours>(), It.IsAny<IReadOnlyList<DateTimeOffset>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OfficeHours _, IReadOnlyList<DateTimeOffset> starts, CancellationToken _) =>
            {
                inserted.AddRange(starts);
                return starts.Count;
            });

        var r = await _h.TextAsync("500", "/officehours");
        r = await _h.PressAsync("500", EngineHarness.Button(r, Ru.AddOfficeHours));
        r = await _h.PressAsync("500", EngineHarness.Button(r, "Физика"));
        r = await _h.PressAsync("500", EngineHarness.Button(r, "вторник"));
        r = await _h.TextAsync("500", "15:00-16:00");
        r = await _h.PressAsync("500", EngineHarness.Button(r, "20 мин"));
        r = await _h.PressAsync("500", EngineHarness.Button(r, "Очно"));
        var done = await _h.TextAsync("500", "214");

        Assert.NotNull(saved);
        Assert.Equal(DayOfWeek.Tuesday, saved.Day);
        Assert.Equal(new TimeOnly(15, 0), saved.From);
        Assert.Equal(20, saved.SlotMinutes);
        Assert.Equal(2, saved.SubjectId);
        Assert.Equal(12, inserted.Count); // 3 a week, 4 weeks ahead
        Assert.All(inserted, s => Assert.Equal(DayOfWeek.Tuesday, TimeZoneInfo.ConvertTime(s, Moscow).DayOfWeek));
        Assert.Contains(new DateTimeOffset(2026, 12, 1, 12, 20, 0, TimeSpan.Zero), inserted); // 15:20 Moscow
        Assert.Contains(Ru.OfficeHoursSaved(string.Empty, 12, 4).Split('\n')[0], EngineHarness.Text(done));
    }

    [Theory]
    [InlineData("16:00-15:00", OfficeHoursError.EndBeforeStart)]
    [InlineData("8.30-9.00", OfficeHoursError.Unrecognised)]
    [InlineData("15:00-25:00", OfficeHoursError.Unrecognised)]
    public async Task OfficeHours_BadTimeRange_IsExplained(string input, OfficeHoursError error)
    {
        var r = await _h.TextAsync("500", "/officehours");
        r = await _h.PressAsync("500", EngineHarness.Button(r, Ru.AddOfficeHours));
        r = await _h.PressAsync("500", EngineHarness.Button(r, "Физика"));
        await _h.PressAsync("500", EngineHarness.Button(r, "вторник"));

        var reply = await _h.TextAsync("500", input);

        Assert.Equal(Ru.OfficeHoursErrorText(error, new ConsultationPolicy()), EngineHarness.Text(reply));
        Assert.Equal("co.time", Step);
    }

    [Fact]
    public async Task AdministratorSetsAWeeklyCap_AndBadNumbersAreRefused()
    {
        _h.AddPerson("1", Role.Admin, "Сидоров Пётр");
        _h.Consultations.Setup(r => r.TeachersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync([new TeacherSummary(_teacher.Id, _teacher.FullName!, null)]);
        var list = await _h.PressAsync("1", EngineHarness.Button(await _h.TextAsync("1", "/menu"), Ru.MenuWorkload));
        await _h.PressAsync("1", EngineHarness.Button(list, "Петрова"));

        Assert.Equal(Ru.WeeklyCapInvalid(40), EngineHarness.Text(await _h.TextAsync("1", "сто")));
        Assert.Equal(Ru.WeeklyCapInvalid(40), EngineHarness.Text(await _h.TextAsync("1", "100")));
        var done = await _h.TextAsync("1", "4,5");

        Assert.Equal(Ru.WeeklyCapSet(_teacher.FullName!, 4.5), EngineHarness.Text(done));
        _h.Consultations.Verify(r => r.SetWeeklyCapAsync(_teacher.Id, 4.5, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Teachers_CannotSetCaps()
    {
        var reply = await _h.PressAsync("500", "cw:0:l");

        Assert.Equal(Ru.NotAllowed, reply.CallbackAnswer);
        _h.Consultations.Verify(r => r.TeachersAsync(It.IsAny<CancellationToken>()), Times.Never);
    }
}
