using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Questions;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain.Questions;

/// <summary>/ask, answers, follow-ups, closing, lists and the rate limits, step by step and with every bad input; the repository is in memory.</summary>
public sealed class QuestionDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private const string Student = "100";
    private const string OtherStudent = "101";
    private const string Parent = "102";
    private const string Teacher = "200";
    private const string OtherTeacher = "201";
    private const string PhysicsTeacher = "202";
    private const string Psychologist = "203";
    private const string Admin = "300";

    private readonly EngineHarness _h = new(new EngineSettings
    {
        SchoolName = "Лицей №2",
        Questions = new QuestionSettings { MaxPerHour = 3, MaxMessagesPerHour = 6 },
    });
    private readonly QuestionStore _store;
    private readonly Person _student;
    private readonly Person _teacher;
    private readonly Person _otherTeacher;
    private readonly Person _psychologist;
    private readonly QuestionSubject _math;
    private readonly QuestionSubject _psychology;

    public QuestionDialogTests()
    {
        _store = new QuestionStore(_h);
        var group = _h.AddGroup("7Б");
        _student = _h.AddPerson(Student, Role.Student, "Анна Белова", group);
        _h.AddPerson(OtherStudent, Role.Student, "Борис Волков", group);
        var parent = _h.AddPerson(Parent, Role.Parent, "Ольга Белова");
        _h.Links.Add((parent.Id, _student.Id));
        _teacher = _h.AddPerson(Teacher, Role.Teacher, "Петрова Мария Ивановна");
        _otherTeacher = _h.AddPerson(OtherTeacher, Role.Teacher, "Сидоров Пётр Ильич");
        var physics = _h.AddPerson(PhysicsTeacher, Role.Teacher, "Кузнецов Олег");
        _psychologist = _h.AddPerson(Psychologist, Role.Teacher, "Смирнова Елена (психолог)");
        _h.AddPerson(Admin, Role.Admin, "Завуч Ирина");
        _math = _store.AddSubject("Математика", false, _teacher, _otherTeacher);
        _store.AddSubject("Физика", false, physics);
        _store.AddSubject("Химия");
        _psychology = _store.AddSubject("Психология", true, _psychologist);
    }

    private static IEnumerable<OutgoingMessage> To(EngineResult r, Person person) => r.Messages.Where(m => m.To.Person == person.Id);

    private static string Step(EngineHarness h, string user) => h.PersonOf(user)!.Dialog.Step ?? "(none)";

    /// <summary>/ask → subject → teacher: the bot now waits for the text.</summary>
    private async Task<EngineResult> ToTextStepAsync(string user = Student, string subject = "Математика", string teacher = "Петрова")
    {
        var r = await _h.TextAsync(user, "/ask");
        r = await _h.PressAsync(user, EngineHarness.Button(r, subject));
        return await _h.PressAsync(user, EngineHarness.Button(r, teacher));
    }

    private async Task<QuestionId> AskAsync(string user = Student, string teacher = "Петрова", string text = "Как решать дроби?")
    {
        await ToTextStepAsync(user, teacher: teacher);
        await _h.TextAsync(user, text);
        return _store.Rows[^1].Id;
    }

    private static string Payload(string verb, string id) => $"qa:0:{verb}:{id}";

    [Fact]
    public async Task Ask_StoresTheQuestionAndNotifiesTheTeacher_WhenEveryStepIsGood()
    {
        var r = await _h.TextAsync(Student, "/ask");
        Assert.Equal(Ru.AskQuestionSubject, EngineHarness.Text(r));
        var labels = r.Messages[0].Keyboard!.Rows.SelectMany(x => x).Select(b => b.Label).ToList();
        Assert.Equal(["Математика", "Психология", "Физика"], labels);   // Химия has no teacher
        r = await _h.PressAsync(Student, EngineHarness.Button(r, "Математика"));
        Assert.Equal(Ru.AskQuestionTeacher("Математика", false), EngineHarness.Text(r));
        Assert.Equal(["Петрова Мария Ивановна", "Сидоров Пётр Ильич", Ru.AnyTeacherOfSubject],
            r.Messages[0].Keyboard!.Rows.SelectMany(x => x).Select(b => b.Label).ToList());
        r = await _h.PressAsync(Student, EngineHarness.Button(r, "Петрова"));
        Assert.Equal(Ru.AskQuestionText("Математика", "Петрова Мария Ивановна", false, 2000), EngineHarness.Text(r));
        Assert.Equal("qa.text", Step(_h, Student));

        r = await _h.TextAsync(Student, "Как складывать дроби с разными знаменателями?");

        var row = Assert.Single(_store.Rows);
        Assert.Equal(_teacher.Id, row.Teacher);
        Assert.Equal(QuestionStatus.Open, row.Status);
        Assert.Equal(_h.Clock.GetUtcNow(), row.WaitingSince);
        Assert.Equal("Как складывать дроби с разными знаменателями?", Assert.Single(row.Messages).Body);
        Assert.Equal(Ru.QuestionSent(row.Id, "Петрова Мария Ивановна", false), r.Messages[0].Text);
        var notice = Assert.Single(To(r, _teacher));
        Assert.Equal(Ru.NewQuestionNotice(row.Id, "Математика", "Анна Белова, 7Б", false, false, "Как складывать дроби с разными знаменателями?"),
            notice.Text);
        Assert.Equal([Ru.AnswerButton, Ru.CloseQuestionButton, Ru.TopicQuestionButton],
            notice.Keyboard!.Rows.SelectMany(x => x).Select(b => b.Label).ToList());
        Assert.Empty(To(r, _otherTeacher));
        Assert.Equal("(none)", Step(_h, Student));
    }

    [Fact]
    public async Task Ask_ToAnyTeacher_NotifiesEveryActiveTeacherOfTheSubjectOnly()
    {
        await ToTextStepAsync(teacher: Ru.AnyTeacherOfSubject);
        var r = await _h.TextAsync(Student, "Вопрос всем");

        Assert.Null(Assert.Single(_store.Rows).Teacher);
        Assert.Contains("ответит первым", Assert.Single(To(r, _teacher)).Text, StringComparison.Ordinal);
        Assert.Single(To(r, _otherTeacher));
        Assert.Equal(2, r.Messages.Count(m => m.To.Person is not null));
    }

    [Fact]
    public async Task Ask_ByParent_ShowsTheTeacherTheParentAndTheLinkedChildWithClass()
    {
        await ToTextStepAsync(Parent);
        var r = await _h.TextAsync(Parent, "Как помочь дочери с дробями?");

        Assert.Contains("От: Ольга Белова (родитель: Анна Белова, 7Б)", Assert.Single(To(r, _teacher)).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("\n\t ")]
    public async Task Ask_EmptyQuestion_IsAnsweredFriendlyAndAskedAgain_NothingStored(string text)
    {
        await ToTextStepAsync();
        var r = await _h.TextAsync(Student, text);

        Assert.Equal(Ru.EmptyMessage, EngineHarness.Text(r));
        Assert.Empty(_store.Rows);
        Assert.Equal("qa.text", Step(_h, Student));
        Assert.DoesNotContain(r.Messages, m => m.To.Person is not null);
    }

    [Fact]
    public async Task Ask_5000Characters_GetsTheQuestionLimitNotTheGenericOne_NothingStored()
    {
        await ToTextStepAsync();
        var r = await _h.TextAsync(Student, new string('а', 5000));

        Assert.Equal(Ru.QuestionTooLong(2000, 5000), EngineHarness.Text(r));
        Assert.Empty(_store.Rows);
        Assert.Equal("qa.text", Step(_h, Student));
        Assert.DoesNotContain(r.Messages, m => m.To.Person is not null);
    }

    [Fact]
    public async Task Ask_Over2000Characters_IsAskedAgain_And2000AreAccepted()
    {
        await ToTextStepAsync();
        var r = await _h.TextAsync(Student, new string('б', 2001));
        Assert.Equal(Ru.QuestionTooLong(2000, 2001), EngineHarness.Text(r));
        Assert.Empty(_store.Rows);

        r = await _h.TextAsync(Student, new string('б', 2000));
        Assert.Equal(2000, Assert.Single(_store.Rows).Messages[0].Body.Length);
        Assert.Single(To(r, _teacher));
    }

    [Fact]
    public async Task Ask_ToATeacherDeactivatedMeanwhile_IsToldToChooseAnother_NothingStored()
    {
        await ToTextStepAsync();
        _h.Persons[_teacher.Id] = Person.Restore(_teacher.Id, Role.Teacher, PersonStatus.Deactivated, _teacher.FullName, null, Language.Ru, false, false,
            _teacher.ConsentedAt, _teacher.Dialog);

        var r = await _h.TextAsync(Student, "Как решать дроби?");

        Assert.StartsWith(Ru.TeacherUnavailable, EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.Empty(_store.Rows);
        Assert.DoesNotContain(r.Messages, m => m.To.Person is not null);
        var labels = r.Messages[0].Keyboard!.Rows.SelectMany(x => x).Select(b => b.Label).ToList();
        Assert.DoesNotContain("Петрова Мария Ивановна", labels);
        Assert.Contains("Сидоров Пётр Ильич", labels);
    }

    [Fact]
    public async Task Ask_ToATeacherDeactivatedMeanwhile_KeepsTheText_AndChoosingAnotherSendsItWithoutRetyping()
    {
        await ToTextStepAsync();
        _h.Persons[_teacher.Id] = Person.Restore(_teacher.Id, Role.Teacher, PersonStatus.Deactivated, _teacher.FullName, null, Language.Ru, false, false,
            _teacher.ConsentedAt, _teacher.Dialog);
        var refused = await _h.TextAsync(Student, "Длинный вопрос, который не хочется набирать заново");
        Assert.Contains(Ru.QuestionTextKept, EngineHarness.Text(refused), StringComparison.Ordinal);

        var r = await _h.PressAsync(Student, EngineHarness.Button(refused, "Сидоров"));

        var row = Assert.Single(_store.Rows);
        Assert.Equal(_otherTeacher.Id, row.Teacher);
        Assert.Equal("Длинный вопрос, который не хочется набирать заново", row.Messages[0].Body);
        Assert.Single(To(r, _otherTeacher));
        Assert.Equal("(none)", Step(_h, Student));
    }

    [Fact]
    public async Task FollowUp_ToATeacherDeactivatedSinceAsking_KeepsTheText_AndSendsItAsANewQuestionToAnother()
    {
        var id = await AskAsync();
        _h.Persons[_teacher.Id] = Person.Restore(_teacher.Id, Role.Teacher, PersonStatus.Deactivated, _teacher.FullName, null, Language.Ru, false, false,
            _teacher.ConsentedAt, _teacher.Dialog);
        await _h.PressAsync(Student, Payload("r", id.ToString()));
        var refused = await _h.TextAsync(Student, "Вы здесь?");
        Assert.StartsWith(Ru.QuestionTeacherGoneTextKept(id), EngineHarness.Text(refused), StringComparison.Ordinal);

        var r = await _h.PressAsync(Student, EngineHarness.Button(refused, Ru.AnyTeacherOfSubject));

        Assert.Single(_store.Find(id)!.Messages);
        var second = _store.Rows[^1];
        Assert.NotEqual(id, second.Id);
        Assert.Equal(("Вы здесь?", (PersonId?)null), (second.Messages[0].Body, second.Teacher));
        Assert.Single(To(r, _otherTeacher));
    }

    [Fact]
    public async Task Ask_WithAForgedTeacherId_IsToldToChooseAnother_NothingStored()
    {
        var physicsTeacher = _h.PersonOf(PhysicsTeacher)!;
        // A teacher of another subject, a person who is no teacher, and nonsense.
        foreach (var forged in new[] { physicsTeacher.Id.ToString(), _student.Id.ToString(), "999999" })
        {
            var r = await _h.PressAsync(Student, $"qa:0:t:{_math.Id}:{forged}");
            Assert.StartsWith(Ru.TeacherUnavailable, EngineHarness.Text(r), StringComparison.Ordinal);
            Assert.Equal("(none)", Step(_h, Student));
        }
        Assert.Empty(_store.Rows);
    }

    [Fact]
    public async Task Ask_ByATeacher_IsRefusedFriendly()
    {
        var r = await _h.TextAsync(Teacher, "/ask");
        Assert.Equal(Ru.QuestionsForStudentsAndParents, EngineHarness.Text(r));
    }

    [Fact]
    public async Task Answer_ReachesTheAsker_FollowUpReopens_AndCloseTellsTheOtherSide()
    {
        var id = await AskAsync();
        var row = _store.Find(id)!;
        var r = await _h.PressAsync(Teacher, Payload("r", id.ToString()));
        Assert.Equal(Ru.AskAnswer(id, 2000), EngineHarness.Text(r));
        _h.Clock.Advance(TimeSpan.FromMinutes(30));

        r = await _h.TextAsync(Teacher, "Приведите к общему знаменателю.");
        Assert.Equal(QuestionStatus.Answered, row.Status);
        Assert.Null(row.WaitingSince);
        Assert.Equal(_h.Clock.GetUtcNow(), row.FirstAnsweredAt);
        var answer = Assert.Single(To(r, _student));
        Assert.Equal(Ru.AnswerNotice(id, "Математика", "Петрова Мария Ивановна", "Приведите к общему знаменателю."), answer.Text);
        Assert.Equal([Ru.AnswerButton, Ru.CloseQuestionButton], answer.Keyboard!.Rows.SelectMany(x => x).Select(b => b.Label).ToList());

        r = await _h.PressAsync(Student, EngineHarness.Button(r, Ru.AnswerButton));
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        r = await _h.TextAsync(Student, "А если знаменатели 6 и 8?");
        Assert.Equal(QuestionStatus.Open, row.Status);
        Assert.Equal(_h.Clock.GetUtcNow(), row.WaitingSince);
        Assert.Equal(Ru.FollowUpNotice(id, "Математика", "Анна Белова, 7Б", "А если знаменатели 6 и 8?"), Assert.Single(To(r, _teacher)).Text);

        r = await _h.PressAsync(Teacher, Payload("c", id.ToString()));
        Assert.Equal(QuestionStatus.Closed, row.Status);
        Assert.Equal(Ru.QuestionClosed(id), r.Messages[0].Text);
        Assert.Equal(Ru.QuestionClosedBy(id, "Математика", "Петрова Мария Ивановна"), Assert.Single(To(r, _student)).Text);
        Assert.Equal(3, row.Messages.Count);
    }

    [Fact]
    public async Task FollowUp_ToATeacherDeactivatedSinceAsking_IsRefusedFriendly_NothingStored()
    {
        var id = await AskAsync();
        _h.Persons[_teacher.Id] = Person.Restore(_teacher.Id, Role.Teacher, PersonStatus.Deactivated, _teacher.FullName, null, Language.Ru, false, false,
            _teacher.ConsentedAt, _teacher.Dialog);
        await _h.PressAsync(Student, Payload("r", id.ToString()));

        var r = await _h.TextAsync(Student, "Вы здесь?");

        Assert.StartsWith(Ru.QuestionTeacherGoneTextKept(id), EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.Single(_store.Find(id)!.Messages);
        Assert.DoesNotContain(r.Messages, m => m.To.Person is not null);
    }

    [Fact]
    public async Task AnsweringAClosedQuestion_IsRefusedFriendly_NothingStored()
    {
        var id = await AskAsync();
        await _h.PressAsync(Teacher, Payload("r", id.ToString()));       // the teacher starts typing…
        await _h.PressAsync(Student, Payload("c", id.ToString()));       // …and the student closes it meanwhile

        var r = await _h.TextAsync(Teacher, "Ответ");
        Assert.Equal(Ru.QuestionClosedAlready(id), EngineHarness.Text(r));
        r = await _h.PressAsync(Teacher, Payload("r", id.ToString()));
        Assert.Equal(Ru.QuestionClosedAlready(id), EngineHarness.Text(r));
        r = await _h.PressAsync(Student, Payload("r", id.ToString()));
        Assert.Equal(Ru.QuestionClosedAlready(id), EngineHarness.Text(r));

        Assert.Single(_store.Find(id)!.Messages);
        Assert.DoesNotContain(r.Messages, m => m.To.Person is not null);
    }

    [Fact]
    public async Task AForeignQuestionId_InAButton_IsNotFound_AndChangesNothing()
    {
        var id = await AskAsync();
        var strangers = new[] { OtherStudent, Parent, PhysicsTeacher, OtherTeacher, Admin };
        foreach (var user in strangers)
        {
            foreach (var verb in new[] { "v", "r", "c", "tp" })
            {
                var r = await _h.PressAsync(user, Payload(verb, id.ToString()));
                Assert.Equal(user == OtherTeacher ? Ru.QuestionTakenByAnother(id) : Ru.QuestionNotFound, EngineHarness.Text(r));
                Assert.DoesNotContain(r.Messages, m => m.Text.Contains("дроби", StringComparison.Ordinal));
                Assert.Equal("(none)", Step(_h, user));
            }
        }
        var unknown = await _h.PressAsync(Student, Payload("v", "424242"));
        Assert.Equal(Ru.QuestionNotFound, EngineHarness.Text(unknown));
        var row = _store.Find(id)!;
        Assert.Equal(QuestionStatus.Open, row.Status);
        Assert.False(row.IsTopic);
        Assert.Equal(_teacher.Id, row.Teacher);
    }

    [Fact]
    public async Task AnyTeacherQuestion_TheFirstTeacherTakesIt_TheSecondIsToldItIsTaken()
    {
        var id = await AskAsync(teacher: Ru.AnyTeacherOfSubject);
        await _h.PressAsync(OtherTeacher, Payload("r", id.ToString()));
        await _h.TextAsync(OtherTeacher, "Отвечаю");
        Assert.Equal(_otherTeacher.Id, _store.Find(id)!.Teacher);

        var r = await _h.PressAsync(Teacher, Payload("r", id.ToString()));
        Assert.Equal(Ru.QuestionTakenByAnother(id), EngineHarness.Text(r));
        Assert.Equal("(none)", Step(_h, Teacher));
        // …and no longer sees its text.
        r = await _h.PressAsync(Teacher, Payload("v", id.ToString()));
        Assert.DoesNotContain("Как решать дроби?", EngineHarness.Text(r), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyTeacherQuestion_TakenBetweenOpeningAndPressing_SaysSomeoneTookIt()
    {
        var id = await AskAsync(teacher: Ru.AnyTeacherOfSubject);
        // Another teacher takes it in the database just before this press is handled (the conditional update loses).
        _h.Questions.Setup(q => q.TakeAsync(id, _teacher.Id, It.IsAny<CancellationToken>())).ReturnsAsync(TakeOutcome.TakenByAnother);

        await _h.PressAsync(Teacher, Payload("r", id.ToString()));
        var r = await _h.TextAsync(Teacher, "Ответ");

        Assert.Equal(Ru.QuestionTakenByAnother(id), EngineHarness.Text(r));
        Assert.Equal("(none)", Step(_h, Teacher));
        Assert.Single(_store.Find(id)!.Messages);
    }

    [Fact]
    public async Task AnyTeacherQuestion_PressingAnswerDoesNotTakeIt_AColleagueCanStillAnswer()
    {
        var id = await AskAsync(teacher: Ru.AnyTeacherOfSubject);
        var pressed = await _h.PressAsync(Teacher, Payload("r", id.ToString()));   // teacher A presses Answer and walks away
        Assert.Equal(Ru.AskAnswer(id, 2000), EngineHarness.Text(pressed));
        Assert.Null(_store.Find(id)!.Teacher);

        await _h.PressAsync(OtherTeacher, Payload("r", id.ToString()));
        var r = await _h.TextAsync(OtherTeacher, "Ответ коллеги");

        Assert.Equal(Ru.MessageSent(id), r.Messages[0].Text);
        Assert.Equal(_otherTeacher.Id, _store.Find(id)!.Teacher);
        var late = await _h.TextAsync(Teacher, "Поздний ответ");
        Assert.Equal(Ru.QuestionTakenByAnother(id), EngineHarness.Text(late));
        Assert.Equal(2, _store.Find(id)!.Messages.Count);
    }

    [Theory]
    [InlineData("c")]
    [InlineData("tp")]
    public async Task AnyTeacherQuestion_ClosingOrMarkingATopic_TakesItFirst_SoColleaguesSeeItTaken(string verb)
    {
        var id = await AskAsync(teacher: Ru.AnyTeacherOfSubject);

        await _h.PressAsync(Teacher, Payload(verb, id.ToString()));

        Assert.Equal(_teacher.Id, _store.Find(id)!.Teacher);
        var colleague = await _h.PressAsync(OtherTeacher, Payload(verb, id.ToString()));
        Assert.Equal(Ru.QuestionTakenByAnother(id), EngineHarness.Text(colleague));
    }

    [Fact]
    public async Task AnyTeacherQuestion_TakenByAnotherBeforeClosing_IsNotClosed()
    {
        var id = await AskAsync(teacher: Ru.AnyTeacherOfSubject);
        _h.Questions.Setup(q => q.TakeAsync(id, _teacher.Id, It.IsAny<CancellationToken>())).ReturnsAsync(TakeOutcome.TakenByAnother);

        var r = await _h.PressAsync(Teacher, Payload("c", id.ToString()));

        Assert.Equal(Ru.QuestionTakenByAnother(id), EngineHarness.Text(r));
        Assert.Equal(QuestionStatus.Open, _store.Find(id)!.Status);
    }

    [Fact]
    public async Task Confidential_AnonymousQuestion_ReachesOnlyThePsychologist_WithoutNameClassOrId()
    {
        var r = await _h.TextAsync(Student, "/ask");
        r = await _h.PressAsync(Student, EngineHarness.Button(r, "Психология"));
        Assert.Equal(Ru.AskQuestionTeacher("Психология", true), EngineHarness.Text(r));
        r = await _h.PressAsync(Student, EngineHarness.Button(r, "Смирнова"));
        Assert.Equal(Ru.AskAnonymity("Психология"), EngineHarness.Text(r));
        r = await _h.PressAsync(Student, EngineHarness.Button(r, Ru.AskAnonymously));
        r = await _h.TextAsync(Student, "Мне тревожно перед экзаменами");

        var row = Assert.Single(_store.Rows);
        Assert.True(row.Confidential);
        Assert.True(row.Anonymous);
        var notice = Assert.Single(r.Messages, m => m.To.Person is not null);
        Assert.Equal(_psychologist.Id, notice.To.Person);
        Assert.Contains(Ru.AnonymousAsker(row.Id), notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Ru.TopicQuestionButton, notice.Keyboard!.Rows.SelectMany(x => x).Select(b => b.Label));
        foreach (var leak in new[] { "Анна", "Белова", "7Б" })
        {
            Assert.DoesNotContain(leak, notice.Text, StringComparison.Ordinal);
        }

        // The psychologist's thread view and inbox name nobody either; an administrator cannot open it.
        var thread = await _h.PressAsync(Psychologist, Payload("v", row.Id.ToString()));
        var inbox = await _h.TextAsync(Psychologist, "/questions");
        foreach (var text in new[] { EngineHarness.Text(thread), EngineHarness.Text(inbox) })
        {
            Assert.Contains(Ru.AnonymousAsker(row.Id), text, StringComparison.Ordinal);
            Assert.DoesNotContain("Белова", text, StringComparison.Ordinal);
            Assert.DoesNotContain("7Б", text, StringComparison.Ordinal);
        }
        var admin = await _h.PressAsync(Admin, Payload("v", row.Id.ToString()));
        Assert.Equal(Ru.QuestionNotFound, EngineHarness.Text(admin));
        var topic = await _h.PressAsync(Psychologist, Payload("tp", row.Id.ToString()));
        Assert.Equal(Ru.TopicNotForConfidential, EngineHarness.Text(topic));
        Assert.False(row.IsTopic);
    }

    [Fact]
    public async Task Confidential_UnderOwnName_ShowsTheName()
    {
        var r = await _h.PressAsync(Student, $"qa:0:n:{_psychology.Id}:{_psychologist.Id}:o");
        r = await _h.TextAsync(Student, "Хочу поговорить");
        Assert.False(_store.Rows[0].Anonymous);
        Assert.Contains("Анна Белова, 7Б", Assert.Single(To(r, _psychologist)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousChoice_ForAnOrdinarySubject_IsIgnored()
    {
        await _h.PressAsync(Student, $"qa:0:n:{_math.Id}:{_teacher.Id}:a");
        await _h.TextAsync(Student, "Вопрос");
        Assert.False(_store.Rows[0].Anonymous);
    }

    [Fact]
    public async Task TopicButton_MarksTheQuestion()
    {
        var id = await AskAsync();
        var r = await _h.PressAsync(Teacher, Payload("tp", id.ToString()));
        Assert.True(_store.Find(id)!.IsTopic);
        Assert.Equal(Ru.TopicMarked(id, "Математика"), EngineHarness.Text(r));
    }

    [Fact]
    public async Task RateLimit_MoreQuestionsThanAllowedInAnHour_SlowDown_NothingStoredNothingSent()
    {
        for (var i = 0; i < 3; i++)
        {
            await AskAsync(text: "Вопрос " + i);
            _h.Clock.Advance(TimeSpan.FromMinutes(10));
        }
        var start = await _h.TextAsync(Student, "/ask");
        Assert.Equal(Ru.SlowDownQuestions(3), EngineHarness.Text(start));

        // A text step begun before the limit was reached is checked again on sending.
        _h.PersonOf(Student)!.BeginStep("qa.text", new Dictionary<string, string> { ["subj"] = _math.Id.ToString(), ["to"] = "-", ["anon"] = "0" });
        var r = await _h.TextAsync(Student, "Ещё вопрос");
        Assert.Equal(Ru.SlowDownQuestions(3) + "\n" + Ru.QuestionTextKept, EngineHarness.Text(r));
        Assert.Equal(3, _store.Rows.Count);
        Assert.DoesNotContain(r.Messages, m => m.To.Person is not null);
        Assert.Equal("qa.text", Step(_h, Student));
        var tooEarly = await _h.PressAsync(Student, EngineHarness.Button(r, Ru.SendKeptTextButton));
        Assert.Equal(3, _store.Rows.Count);
        Assert.Equal("qa.text", Step(_h, Student));

        _h.Clock.Advance(TimeSpan.FromMinutes(31));   // the first question is now more than an hour old
        await _h.PressAsync(Student, EngineHarness.Button(tooEarly, Ru.SendKeptTextButton));
        Assert.Equal(4, _store.Rows.Count);
        Assert.Equal("Ещё вопрос", _store.Rows[^1].Messages[0].Body);
        Assert.Equal("(none)", Step(_h, Student));
        _h.Clock.Advance(TimeSpan.FromMinutes(20));

        await AskAsync(text: "Через час");
        Assert.Equal(5, _store.Rows.Count);
    }

    [Fact]
    public async Task RateLimit_MoreThreadMessagesThanAllowedInAnHour_SlowDown_NothingStoredNothingSent()
    {
        var id = await AskAsync();
        for (var i = 0; i < 5; i++)
        {
            await _h.PressAsync(Student, Payload("r", id.ToString()));
            await _h.TextAsync(Student, "Дополнение " + i);
        }
        Assert.Equal(6, _store.Find(id)!.Messages.Count);

        await _h.PressAsync(Student, Payload("r", id.ToString()));
        var r = await _h.TextAsync(Student, "Седьмое");

        Assert.Equal(Ru.SlowDownMessages(6) + "\n" + Ru.QuestionTextKept, EngineHarness.Text(r));
        Assert.Equal(6, _store.Find(id)!.Messages.Count);
        Assert.DoesNotContain(r.Messages, m => m.To.Person is not null);

        // The text waits in the dialog: an hour later the button sends it without typing it again.
        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.PressAsync(Student, EngineHarness.Button(r, Ru.SendKeptTextButton));
        Assert.Equal("Седьмое", _store.Find(id)!.Messages[^1].Body);
    }

    [Fact]
    public async Task Questions_ListsTheAskersQuestions_AndTheTeachersInboxOldestFirst()
    {
        var first = await AskAsync(text: "Первый");
        _h.Clock.Advance(TimeSpan.FromHours(1));
        var second = await AskAsync(OtherStudent, Ru.AnyTeacherOfSubject, "Второй");

        var mine = await _h.TextAsync(Student, "/questions");
        Assert.Equal(Ru.MyQuestionsTitle(1) + "\n" + Ru.QuestionLine(first, "Математика", "Петрова Мария Ивановна", QuestionStatus.Open, false),
            EngineHarness.Text(mine));

        var inbox = EngineHarness.Text(await _h.TextAsync(Teacher, "/questions"));
        Assert.StartsWith(Ru.InboxTitle(2), inbox, StringComparison.Ordinal);
        Assert.True(inbox.IndexOf("«Первый»", StringComparison.Ordinal) < inbox.IndexOf("«Второй»", StringComparison.Ordinal));
        var physics = await _h.TextAsync(PhysicsTeacher, "/questions");
        Assert.Equal(Ru.InboxEmpty, EngineHarness.Text(physics));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Thread_ShowsEveryMessageInOrderWithItsAuthor()
    {
        var id = await AskAsync(text: "Первое");
        await _h.PressAsync(Teacher, Payload("r", id.ToString()));
        await _h.TextAsync(Teacher, "Ответ");

        var asker = EngineHarness.Text(await _h.PressAsync(Student, Payload("v", id.ToString())));
        Assert.Contains("Вы, 25.11 09:00:\nПервое", asker, StringComparison.Ordinal);
        Assert.True(asker.IndexOf("Первое", StringComparison.Ordinal) < asker.IndexOf("Петрова Мария Ивановна, 25.11 09:00:\nОтвет", StringComparison.Ordinal));
        var teacher = EngineHarness.Text(await _h.PressAsync(Teacher, Payload("v", id.ToString())));
        Assert.Contains("Анна Белова, 7Б, 25.11 09:00:\nПервое", teacher, StringComparison.Ordinal);
    }
}
