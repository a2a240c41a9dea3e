using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Materials;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain.Materials;

/// <summary>The teacher's /material dialog, step by step and with bad answers; the repository is mocked.</summary>
public sealed class MaterialDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private static readonly ITexts En = TextCatalog.For(Language.En);
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private const string Teacher = "500";
    private readonly EngineHarness _h = new(new EngineSettings { SchoolName = "Лицей №2", TimeZone = Moscow, GroupsPerPage = 4 });
    private readonly Person _teacher;
    private readonly Group _7a;
    private readonly Group _7b;
    private readonly List<(PersonId Teacher, MaterialDraft Draft, IReadOnlyDictionary<Language, MaterialNotice> Notices, DateTimeOffset At)> _published = [];

    public MaterialDialogTests()
    {
        _teacher = _h.AddPerson(Teacher, Role.Teacher, "Петрова Анна Сергеевна");
        _7a = _h.AddGroup("7А");
        _7b = _h.AddGroup("7Б");
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
        _h.Materials.Setup(m => m.PublishAsync(It.IsAny<PersonId>(), It.IsAny<MaterialDraft>(),
                It.IsAny<IReadOnlyDictionary<Language, MaterialNotice>>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId teacher, MaterialDraft draft, IReadOnlyDictionary<Language, MaterialNotice> notices, DateTimeOffset at,
                CancellationToken _) =>
            {
                _published.Add((teacher, draft, notices, at));
                return new MaterialPublished(new MaterialId(_published.Count), 17);
            });
    }

    private string Step => _h.PersonOf(Teacher)!.Dialog.Step ?? "(none)";

    /// <summary>/material → Математика → 7Б → Done → kind: the bot now asks for the title.</summary>
    private async Task<EngineResult> ToTitleAsync(string kind = "материал")
    {
        var r = await _h.TextAsync(Teacher, "/material");
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Математика"));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "7Б"));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Готово"));
        return await _h.PressAsync(Teacher, EngineHarness.Button(r, kind));
    }

    private async Task<EngineResult> ToLinkAsync()
    {
        await ToTitleAsync();
        return await _h.TextAsync(Teacher, "Дроби: теория");
    }

    [Fact]
    public async Task Material_WalksEveryStep_AndPublishesForTheChosenClasses()
    {
        var r = await _h.TextAsync(Teacher, "/material");
        Assert.Equal(Ru.AskSubject, EngineHarness.Text(r));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Математика"));
        Assert.StartsWith("Для каких классов?", EngineHarness.Text(r), StringComparison.Ordinal);
        Assert.DoesNotContain(r.Messages[0].Keyboard!.Rows.SelectMany(x => x), b => b.Label.StartsWith("✅", StringComparison.Ordinal));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "7А"));
        Assert.Equal("✓ 7А", r.Messages[0].Keyboard!.Rows[0][0].Label);
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "7Б"));
        Assert.Contains("Выбрано: 7А, 7Б", EngineHarness.Text(r), StringComparison.Ordinal);
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Готово (2)"));
        Assert.Equal(Ru.AskMaterialKind, EngineHarness.Text(r));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "задание"));
        Assert.Equal(Ru.AskMaterialTitle(200), EngineHarness.Text(r));
        r = await _h.TextAsync(Teacher, "  Дроби:   задачи  ");
        Assert.Equal(Ru.AskMaterialLink, EngineHarness.Text(r));
        r = await _h.TextAsync(Teacher, "https://edu.example.org/fractions?x=1");
        Assert.Equal(Ru.AskMaterialDescription(1000), EngineHarness.Text(r));
        r = await _h.TextAsync(Teacher, "Задачи 1–10");
        Assert.Equal(Ru.AskDueDate, EngineHarness.Text(r));
        r = await _h.TextAsync(Teacher, "28.11");
        Assert.Equal(Ru.AskLessonDate, EngineHarness.Text(r));
        r = await _h.TextAsync(Teacher, "завтра");
        var card = EngineHarness.Text(r);
        Assert.StartsWith("Проверьте и опубликуйте", card, StringComparison.Ordinal);
        Assert.Contains("📝 Задание · Математика", card, StringComparison.Ordinal);
        Assert.Contains("«Дроби: задачи»", card, StringComparison.Ordinal);
        Assert.Contains("Срок: 28.11.2026", card, StringComparison.Ordinal);
        Assert.Contains("К уроку 26.11.2026", card, StringComparison.Ordinal);
        Assert.Contains("Классы: 7А, 7Б", card, StringComparison.Ordinal);

        var done = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Опубликовать"));

        var (teacher, draft, notices, at) = Assert.Single(_published);
        Assert.Equal(_teacher.Id, teacher);
        Assert.Equal(1, draft.SubjectId);
        Assert.Equal([_7a.Id, _7b.Id], draft.Groups.OrderBy(g => g.Value));
        Assert.Equal(MaterialKind.Assignment, draft.Kind);
        Assert.Equal("Дроби: задачи", draft.Title);
        Assert.Equal("https://edu.example.org/fractions?x=1", draft.Url);
        Assert.Equal("Задачи 1–10", draft.Description);
        Assert.Equal(new DateOnly(2026, 11, 28), draft.DueOn);
        Assert.Equal(new DateOnly(2026, 11, 26), draft.LessonOn);
        Assert.Equal(_h.Clock.GetUtcNow(), at);
        Assert.StartsWith("Новый материал от учителя", notices[Language.Ru].Text, StringComparison.Ordinal);
        Assert.StartsWith("A new material from your teacher", notices[Language.En].Text, StringComparison.Ordinal);
        Assert.Contains("📝 Assignment · Математика", notices[Language.En].Text, StringComparison.Ordinal);
        Assert.Equal(Ru.MenuMaterials, Assert.Single(notices[Language.Ru].Keyboard!.Rows.SelectMany(x => x)).Label);
        Assert.StartsWith("Опубликовано ✅ Получателей: 17.", EngineHarness.Text(done), StringComparison.Ordinal);
        Assert.Equal(Ru.Done, done.CallbackAnswer);
        Assert.Equal("(none)", Step);
        Assert.Contains(_h.AuditEntries, e => e.Action == "material-published");
    }

    [Fact]
    public async Task Material_SkipsDescriptionAndDates_AndAMaterialIsNotAskedForADueDate()
    {
        var r = await ToLinkAsync();
        r = await _h.TextAsync(Teacher, "https://edu.example.org/a");
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.Skip));
        Assert.Equal(Ru.AskLessonDate, EngineHarness.Text(r));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.Skip));
        Assert.DoesNotContain("Срок", EngineHarness.Text(r), StringComparison.Ordinal);
        await _h.PressAsync(Teacher, EngineHarness.Button(r, "Опубликовать"));

        var draft = Assert.Single(_published).Draft;
        Assert.Equal(MaterialKind.Material, draft.Kind);
        Assert.Equal([_7b.Id], draft.Groups);
        Assert.Null(draft.Description);
        Assert.Null(draft.DueOn);
        Assert.Null(draft.LessonOn);
    }

    [Fact]
    public async Task Material_CanBeCancelledAtTheCard()
    {
        var r = await ToLinkAsync();
        r = await _h.TextAsync(Teacher, "https://edu.example.org/a");
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.Skip));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.Skip));

        var cancelled = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.Discard));

        Assert.Equal(Ru.Cancelled, EngineHarness.Text(cancelled));
        Assert.Empty(_published);
        Assert.Equal("(none)", Step);
    }

    [Theory]
    [InlineData("javascript:alert(1)", LinkError.NotHttp)]
    [InlineData("JavaScript:alert(document.cookie)", LinkError.NotHttp)]
    [InlineData("ftp://files.example.org/a.pdf", LinkError.NotHttp)]
    [InlineData("data:text/html,<script>alert(1)</script>", LinkError.NotHttp)]
    [InlineData("edu.example.org/fractions", LinkError.NoScheme)]
    [InlineData("www.example.org", LinkError.NoScheme)]
    [InlineData("example.org:8080/page", LinkError.NoScheme)]
    [InlineData("https://", LinkError.Invalid)]
    [InlineData("просто текст", LinkError.Invalid)]
    public async Task Link_ThatIsNotAWebAddress_IsExplainedAndAskedAgain(string link, LinkError error)
    {
        await ToLinkAsync();

        var reply = await _h.TextAsync(Teacher, link);

        Assert.Equal(Ru.MaterialLinkError(error, SafeLink.MaxLength), EngineHarness.Text(reply));
        Assert.Equal("mt.link", Step);
        Assert.Null(_h.PersonOf(Teacher)!.Dialog.Get("link"));
    }

    [Fact]
    public async Task Link_Of5000Characters_IsRefused_AndTheStepStaysOpen()
    {
        await ToLinkAsync();
        var link = "https://example.org/" + new string('a', 4980);
        Assert.Equal(5000, link.Length);

        // Longer than any message a messenger delivers: the engine's own guard answers before the dialog sees it.
        var reply = await _h.TextAsync(Teacher, link);

        Assert.Equal(Ru.TooLongMessage(ConversationEngine.MaxTextLength), EngineHarness.Text(reply));
        Assert.Equal("mt.link", Step);
        Assert.Equal(LinkError.TooLong, MaterialLink.Check(link, out _));
    }

    [Fact]
    public async Task Link_LongerThan2048_IsRefusedAsTooLong_AndAShortOneIsThenTaken()
    {
        await ToLinkAsync();

        var reply = await _h.TextAsync(Teacher, "https://example.org/" + new string('a', 2029));
        Assert.Equal(Ru.MaterialLinkError(LinkError.TooLong, 2048), EngineHarness.Text(reply));
        Assert.Equal("mt.link", Step);

        var next = await _h.TextAsync(Teacher, "https://example.org/" + new string('a', 2028));
        Assert.Equal(Ru.AskMaterialDescription(1000), EngineHarness.Text(next));
        Assert.Equal(2048, _h.PersonOf(Teacher)!.Dialog.Get("link")!.Length);
    }

    [Fact]
    public async Task Title_TooLong_IsRefusedAndAskedAgain_AndExactly200IsTaken()
    {
        await ToTitleAsync();

        var reply = await _h.TextAsync(Teacher, new string('я', 201));
        Assert.Equal(Ru.MaterialTitleInvalid(200), EngineHarness.Text(reply));
        Assert.Equal("mt.title", Step);

        var next = await _h.TextAsync(Teacher, new string('я', 200));
        Assert.Equal(Ru.AskMaterialLink, EngineHarness.Text(next));
    }

    [Fact]
    public async Task Description_Over1000_IsRefused_AndSkipStillWorks()
    {
        var r = await ToLinkAsync();
        r = await _h.TextAsync(Teacher, "https://example.org/a");

        var reply = await _h.TextAsync(Teacher, new string('d', 1001));
        Assert.Equal(Ru.MaterialDescriptionTooLong(1000), EngineHarness.Text(reply));
        Assert.Equal("mt.desc", Step);

        var skipped = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.Skip));
        Assert.Equal(Ru.AskLessonDate, EngineHarness.Text(skipped));
    }

    [Theory]
    [InlineData("24.11.2026", "past")]
    [InlineData("01.01.2020", "past")]
    [InlineData("31.02", "nosuch")]
    [InlineData("послезавтра", "unrecognised")]
    [InlineData("28.11 15:00", "unrecognised")]
    [InlineData("01.01.2030", "far")]
    public async Task DueDate_InThePastOrUnreadable_IsRefusedAndAskedAgain(string input, string why)
    {
        await ToTitleAsync("задание");
        await _h.TextAsync(Teacher, "Задачи");
        await _h.TextAsync(Teacher, "https://example.org/a");
        await _h.TextAsync(Teacher, "Описание");
        Assert.Equal("mt.due", Step);

        var reply = await _h.TextAsync(Teacher, input);

        var expected = why switch
        {
            "past" => Ru.DayInThePast,
            "nosuch" => Ru.DayInputError(DateInputError.NoSuchDate),
            "far" => Ru.DayTooFar(366),
            _ => Ru.DayInputError(DateInputError.Unrecognised),
        };
        Assert.Equal(expected, EngineHarness.Text(reply));
        Assert.Equal("mt.due", Step);
    }

    [Fact]
    public async Task DueDate_Today_AndAYearlessDayBeforeTodayMeansNextYear()
    {
        await ToTitleAsync("задание");
        await _h.TextAsync(Teacher, "Задачи");
        await _h.TextAsync(Teacher, "https://example.org/a");
        await _h.TextAsync(Teacher, "Описание");
        await _h.TextAsync(Teacher, "10.01");
        Assert.Equal("2027-01-10", _h.PersonOf(Teacher)!.Dialog.Get("due"));
        Assert.Equal("mt.lesson", Step);
        var r = await _h.TextAsync(Teacher, "сегодня");
        Assert.Equal("2026-11-25", _h.PersonOf(Teacher)!.Dialog.Get("lesson"));
        await _h.PressAsync(Teacher, EngineHarness.Button(r, "Опубликовать"));
        Assert.Equal(new DateOnly(2027, 1, 10), Assert.Single(_published).Draft.DueOn);
    }

    [Fact]
    public async Task Card_RefusesADateThatPassedWhileItWasOpen()
    {
        await ToTitleAsync("задание");
        await _h.TextAsync(Teacher, "Задачи");
        await _h.TextAsync(Teacher, "https://example.org/a");
        await _h.TextAsync(Teacher, "Описание");
        await _h.TextAsync(Teacher, "сегодня");
        var card = await _h.TextAsync(Teacher, "сегодня");
        _h.Clock.Advance(TimeSpan.FromDays(1));

        var reply = await _h.PressAsync(Teacher, EngineHarness.Button(card, "Опубликовать"));

        Assert.Empty(_published);
        Assert.StartsWith(Ru.DayInThePast, EngineHarness.Text(reply), StringComparison.Ordinal);
        Assert.Equal("mt.due", Step);
    }

    [Fact]
    public async Task Groups_DoneIsOfferedOnlyOnceOneIsChosen_AndATogglePressedTwiceUnchooses()
    {
        var r = await _h.TextAsync(Teacher, "/material");
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Математика"));
        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(r, "Готово"));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "7А"));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "✓ 7А"));

        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(r, "Готово"));
        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(r, "✓"));
        Assert.Equal("mt.grp", Step);
    }

    [Fact]
    public async Task Groups_ArePaged_AndChoicesSurviveTurningPages()
    {
        for (var i = 1; i <= 6; i++)
        {
            _h.AddGroup($"9-{i}");
        }
        var r = await _h.TextAsync(Teacher, "/material");
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Математика"));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "7А"));
        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(r, "9-5"));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.NextPage));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "9-5"));
        Assert.Contains("✓ 9-5", r.Messages[0].Keyboard!.Rows.SelectMany(x => x).Select(b => b.Label));
        Assert.Contains("Выбрано: 7А, 9-5", EngineHarness.Text(r), StringComparison.Ordinal);
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.PreviousPage));
        Assert.Contains("✓ 7А", r.Messages[0].Keyboard!.Rows.SelectMany(x => x).Select(b => b.Label));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Готово (2)"));
        Assert.Equal(Ru.AskMaterialKind, EngineHarness.Text(r));
    }

    [Fact]
    public async Task Groups_CanBeTyped_AndUnknownNamesAreNamedBack()
    {
        var r = await _h.TextAsync(Teacher, "/material");
        await _h.PressAsync(Teacher, EngineHarness.Button(r, "Математика"));

        var reply = await _h.TextAsync(Teacher, "7а, 11Я");

        Assert.Equal(Ru.GroupsNotFound(["11Я"]), reply.Messages[0].Text);
        Assert.Contains("Выбрано: 7А", reply.Messages[1].Text, StringComparison.Ordinal);
        Assert.Equal("mt.grp", Step);
    }

    [Fact]
    public async Task Groups_ArchivedWhilePicking_IsAStaleButton()
    {
        var r = await _h.TextAsync(Teacher, "/material");
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Математика"));
        await _h.Groups.Object.ArchiveAsync(_7a.Id, CancellationToken.None);

        var reply = await _h.PressAsync(Teacher, EngineHarness.Button(r, "7А"));

        Assert.Equal(Ru.ButtonStale, reply.CallbackAnswer);
        Assert.DoesNotContain("7А", EngineHarness.Text(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WhenEveryChosenClassWasArchived_AsksForClassesAgain()
    {
        var r = await ToLinkAsync();
        r = await _h.TextAsync(Teacher, "https://example.org/a");
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.Skip));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, Ru.Skip));
        await _h.Groups.Object.ArchiveAsync(_7b.Id, CancellationToken.None);

        var reply = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Опубликовать"));

        Assert.Empty(_published);
        Assert.Equal(Ru.ChosenGroupsGone, reply.Messages[0].Text);
        Assert.Equal("mt.grp", Step);
    }

    [Fact]
    public async Task Kind_Typed_IsAskedAgainWithButtons()
    {
        var r = await _h.TextAsync(Teacher, "/material");
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Математика"));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "7Б"));
        await _h.PressAsync(Teacher, EngineHarness.Button(r, "Готово"));

        var reply = await _h.TextAsync(Teacher, "задание");

        Assert.Equal(Ru.UseTheButtons, reply.Messages[0].Text);
        Assert.Equal(Ru.AskMaterialKind, reply.Messages[1].Text);
        Assert.Equal("mt.kind", Step);
    }

    [Fact]
    public async Task Subject_CanBeTyped()
    {
        await _h.TextAsync(Teacher, "/material");
        var reply = await _h.TextAsync(Teacher, "Астрономия");
        Assert.StartsWith("Для каких классов?", EngineHarness.Text(reply), StringComparison.Ordinal);
        Assert.Equal("3", _h.PersonOf(Teacher)!.Dialog.Get("subj"));
    }

    [Fact]
    public async Task StaleButton_FromAnEarlierStep_IsRefused()
    {
        var r = await _h.TextAsync(Teacher, "/material");
        var subjects = r;
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Математика"));
        await _h.PressAsync(Teacher, EngineHarness.Button(r, "7Б"));

        var again = await _h.PressAsync(Teacher, EngineHarness.Button(subjects, "Физика"));
        var oldToggle = await _h.PressAsync(Teacher, EngineHarness.Button(r, "7Б"));

        Assert.Equal(Ru.ButtonStale, again.CallbackAnswer);
        Assert.Equal(Ru.ButtonStale, oldToggle.CallbackAnswer);
        Assert.Empty(again.Messages);
        Assert.Equal("1", _h.PersonOf(Teacher)!.Dialog.Get("subj"));
        Assert.Equal("2", _h.PersonOf(Teacher)!.Dialog.Get("grp"));
    }

    [Fact]
    public async Task ForgedButtons_AreRefused()
    {
        var r = await _h.TextAsync(Teacher, "/material");
        var version = _h.PersonOf(Teacher)!.Dialog.Version;

        var unknownSubject = await _h.PressAsync(Teacher, $"mt:{version}:subj:999");
        var badKind = await _h.PressAsync(Teacher, $"mt:{version}:kind:x");
        var unknownGroup = await _h.PressAsync(Teacher, $"mt:{version}:g:999");

        Assert.Equal(Ru.ButtonInvalid, unknownSubject.CallbackAnswer);
        Assert.Equal(Ru.ButtonStale, badKind.CallbackAnswer); // answers another question than the open one
        Assert.Equal(Ru.ButtonStale, unknownGroup.CallbackAnswer);
        Assert.Null(_h.PersonOf(Teacher)!.Dialog.Get("subj"));
        Assert.Null(_h.PersonOf(Teacher)!.Dialog.Get("grp"));
        Assert.Equal(Ru.AskSubject, EngineHarness.Text(r));
    }

    [Theory]
    [InlineData(Role.Student)]
    [InlineData(Role.Parent)]
    public async Task Material_IsRefusedToStudentsAndParents(Role role)
    {
        _h.AddPerson("600", role, "Белова Анна", role == Role.Student ? _7a : null);

        var command = await _h.TextAsync("600", "/material");
        var menuButton = await _h.PressAsync("600", "mt:0");
        var forged = await _h.PressAsync("600", $"mt:{_h.PersonOf("600")!.Dialog.Version}:confirm:y");

        Assert.Equal(Ru.NotAllowed, EngineHarness.Text(command));
        Assert.Equal(Ru.NotAllowed, menuButton.CallbackAnswer);
        Assert.Equal(Ru.NotAllowed, forged.CallbackAnswer);
        Assert.Null(_h.PersonOf("600")!.Dialog.Step);
        _h.Materials.Verify(m => m.PublishAsync(It.IsAny<PersonId>(), It.IsAny<MaterialDraft>(),
            It.IsAny<IReadOnlyDictionary<Language, MaterialNotice>>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Menu_OffersPostingToTeachers_AndBrowsingToEveryone()
    {
        _h.AddPerson("600", Role.Student, "Белова Анна", _7a);
        var teacherMenu = await _h.TextAsync(Teacher, "/menu");
        var studentMenu = await _h.TextAsync("600", "/menu");

        Assert.Equal("mt:0", EngineHarness.Button(teacherMenu, Ru.MenuPostMaterial));
        Assert.Equal("mb:0:s:m", EngineHarness.Button(teacherMenu, Ru.MenuMaterials));
        Assert.Equal("mb:0:s:-", EngineHarness.Button(studentMenu, Ru.MenuMaterials));
        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(studentMenu, Ru.MenuPostMaterial));
    }

    [Fact]
    public async Task Dialog_SpeaksEnglish_ToAnEnglishTeacher()
    {
        _h.PersonOf(Teacher)!.ChangeLanguage(Language.En);
        var r = await _h.TextAsync(Teacher, "/material");
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Математика"));
        Assert.StartsWith("For which classes?", EngineHarness.Text(r), StringComparison.Ordinal);
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "7Б"));
        r = await _h.PressAsync(Teacher, EngineHarness.Button(r, "Done"));
        Assert.Equal(En.AskMaterialKind, EngineHarness.Text(r));
    }
}
