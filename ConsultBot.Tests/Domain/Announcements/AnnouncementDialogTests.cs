using ConsultBot.Domain.Announcements;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain.Announcements;

/// <summary>The /announce dialog of administrators and teachers, step by step and with bad answers; the repository is mocked.</summary>
public sealed class AnnouncementDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private static readonly ITexts En = TextCatalog.For(Language.En);
    private const string Admin = "900";
    private const string Teacher = "901";
    private const string Student = "902";
    private readonly EngineHarness _h = new(new EngineSettings { SchoolName = "Лицей №2", GroupsPerPage = 2 });
    private readonly Person _admin;
    private readonly Person _teacher;
    private readonly Group _7a;
    private readonly Group _7b;
    private readonly Group _8a;
    private readonly Dictionary<(AnnouncementAudience, GroupId?), RecipientCount> _counts = [];
    private readonly List<Group> _teacherGroups = [];
    private readonly List<(PersonId Author, AnnouncementAudience Audience, GroupId? Group, string Text, IReadOnlyDictionary<Language, string> Bodies, string Key)> _sent = [];

    public AnnouncementDialogTests()
    {
        _admin = _h.AddPerson(Admin, Role.Admin, "Директор Ольга Петровна");
        _teacher = _h.AddPerson(Teacher, Role.Teacher, "Петрова Анна Сергеевна");
        _h.AddPerson(Student, Role.Student, "Белова Анна");
        _7a = _h.AddGroup("7А");
        _7b = _h.AddGroup("7Б");
        _8a = _h.AddGroup("8А");
        _teacherGroups.Add(_7a);
        var a = _h.Announcements;
        a.Setup(r => r.TeacherGroupsAsync(It.IsAny<PersonId>(), It.IsAny<DateOnly>(), It.IsAny<DateOnly>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId _, DateOnly _, DateOnly _, CancellationToken _) => (IReadOnlyList<Group>)_teacherGroups.ToList());
        a.Setup(r => r.CountAsync(It.IsAny<AnnouncementAudience>(), It.IsAny<GroupId?>(), It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((AnnouncementAudience audience, GroupId? group, PersonId _, CancellationToken _) =>
                _counts.GetValueOrDefault((audience, group), new RecipientCount(3, 1)));
        a.Setup(r => r.SendAsync(It.IsAny<PersonId>(), It.IsAny<AnnouncementAudience>(), It.IsAny<GroupId?>(), It.IsAny<string>(),
                It.IsAny<IReadOnlyDictionary<Language, string>>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId author, AnnouncementAudience audience, GroupId? group, string text, IReadOnlyDictionary<Language, string> bodies,
                string key, DateTimeOffset _, CancellationToken _) =>
            {
                if (_sent.Any(s => s.Key == key))
                {
                    return null;
                }
                _sent.Add((author, audience, group, text, bodies, key));
                var count = _counts.GetValueOrDefault((audience, group), new RecipientCount(3, 1));
                return new AnnouncementSent(_sent.Count, count.Reachable, count.Unreachable);
            });
    }

    private string StepOf(string user) => _h.PersonOf(user)!.Dialog.Step ?? "(none)";

    private static string ButtonIn(EngineResult r, string label) => EngineHarness.Button(r, label);

    /// <summary>/announce → «Все ученики»: the bot now asks for the text.</summary>
    private async Task<EngineResult> AdminToTextAsync(AnnouncementAudience audience = AnnouncementAudience.Students)
    {
        var r = await _h.TextAsync(Admin, "/announce");
        return await _h.PressAsync(Admin, ButtonIn(r, Ru.AudienceButton(audience)));
    }

    private async Task<EngineResult> AdminToPreviewAsync(string text = "Завтра собрание в 18:00")
    {
        await AdminToTextAsync();
        return await _h.TextAsync(Admin, text);
    }

    [Fact]
    public async Task Announce_AdminWalksEveryStep_AndSendsOnceToAllStudents()
    {
        var r = await _h.TextAsync(Admin, "/announce");
        Assert.Equal(Ru.AskAnnouncementAudience, EngineHarness.Text(r));
        Assert.Equal(5, r.Messages[0].Keyboard!.Rows.Count);

        r = await _h.PressAsync(Admin, ButtonIn(r, Ru.AudienceButton(AnnouncementAudience.Students)));
        Assert.Equal(Ru.AskAnnouncementText("все ученики", AnnouncementFormat.MaxTextLength), EngineHarness.Text(r));

        _counts[(AnnouncementAudience.Students, null)] = new RecipientCount(120, 4);
        r = await _h.TextAsync(Admin, "Завтра собрание в 18:00");
        var preview = EngineHarness.Text(r);
        Assert.Equal(Ru.AnnouncementPreview("все ученики", 120, 4, "📣 Объявление · Директор Ольга Петровна\n\nЗавтра собрание в 18:00"), preview);
        Assert.Contains("Получателей: 120.", preview, StringComparison.Ordinal);
        Assert.Empty(_sent);

        var send = ButtonIn(r, Ru.SendAnnouncement);
        r = await _h.PressAsync(Admin, send);
        Assert.Equal(Ru.AnnouncementQueued("все ученики", 120), EngineHarness.Text(r));
        var sent = Assert.Single(_sent);
        Assert.Equal((_admin.Id, AnnouncementAudience.Students, (GroupId?)null, "Завтра собрание в 18:00"), (sent.Author, sent.Audience, sent.Group, sent.Text));
        Assert.Equal("📣 Объявление · Директор Ольга Петровна\n\nЗавтра собрание в 18:00", sent.Bodies[Language.Ru]);
        Assert.Equal("📣 Announcement · Директор Ольга Петровна\n\nЗавтра собрание в 18:00", sent.Bodies[Language.En]);
        Assert.Contains(_h.AuditEntries, e => e.Action == "announcement-sent");
        Assert.Equal("(none)", StepOf(Admin));

        // A double press: the step ended at the first press, so the second is stale and sends nothing.
        r = await _h.PressAsync(Admin, send);
        Assert.Equal(Ru.ButtonStale, r.CallbackAnswer);
        Assert.Single(_sent);
    }

    [Fact]
    public async Task Announce_AdminChoosesAGroupFromThePagedPicker()
    {
        var r = await AdminToTextAsync(AnnouncementAudience.Group);
        Assert.Equal(Ru.AskAnnouncementGroup, EngineHarness.Text(r));
        Assert.DoesNotContain(r.Messages[0].Keyboard!.Rows.SelectMany(x => x), b => b.Label == "8А");
        r = await _h.PressAsync(Admin, ButtonIn(r, Ru.NextPage));
        r = await _h.PressAsync(Admin, ButtonIn(r, "8А"));
        Assert.Equal(Ru.AskAnnouncementText("8А (ученики и родители)", AnnouncementFormat.MaxTextLength), EngineHarness.Text(r));
        r = await _h.TextAsync(Admin, "Экскурсия в пятницу");
        await _h.PressAsync(Admin, ButtonIn(r, Ru.SendAnnouncement));
        var sent = Assert.Single(_sent);
        Assert.Equal((AnnouncementAudience.Group, (GroupId?)_8a.Id), (sent.Audience, sent.Group));
    }

    [Fact]
    public async Task Announce_TeacherSeesOnlyTheirGroups_AndSendsToOne()
    {
        _teacherGroups.Add(_7b);
        var r = await _h.TextAsync(Teacher, "/announce");
        Assert.Equal(Ru.AskTeacherAnnouncementGroup, EngineHarness.Text(r));
        var labels = r.Messages[0].Keyboard!.Rows.SelectMany(x => x).Select(b => b.Label).ToList();
        Assert.Equal(["7А", "7Б"], labels);
        r = await _h.PressAsync(Teacher, ButtonIn(r, "7Б"));
        r = await _h.TextAsync(Teacher, "Контрольная перенесена на четверг");
        Assert.StartsWith("Так объявление увидят получатели:\n\n📣 Объявление · Петрова Анна Сергеевна", EngineHarness.Text(r), StringComparison.Ordinal);
        await _h.PressAsync(Teacher, ButtonIn(r, Ru.SendAnnouncement));
        Assert.Equal((AnnouncementAudience.Group, (GroupId?)_7b.Id), (_sent.Single().Audience, _sent.Single().Group));
    }

    [Fact]
    public async Task Announce_RefusesAndStoresNothing_WhenATeacherPressesAGroupTheyDoNotTeach()
    {
        var r = await _h.TextAsync(Teacher, "/announce");
        Assert.Equal($"an:{_h.PersonOf(Teacher)!.Dialog.Version}:g:{_7a.Id}", ButtonIn(r, "7А"));
        var forged = $"an:{_h.PersonOf(Teacher)!.Dialog.Version}:g:{_8a.Id}";
        r = await _h.PressAsync(Teacher, forged);
        Assert.Equal(Ru.NotYourGroup, r.CallbackAnswer);
        Assert.Equal(Ru.NotYourGroup, EngineHarness.Text(r));
        Assert.Equal("an.grp", StepOf(Teacher));
        Assert.Empty(_sent);
        _h.Announcements.Verify(a => a.CountAsync(It.IsAny<AnnouncementAudience>(), It.IsAny<GroupId?>(), It.IsAny<PersonId>(), It.IsAny<CancellationToken>()),
            Times.Never);
    }

    [Fact]
    public async Task Announce_RefusesAtConfirm_WhenTheTeacherNoLongerTeachesTheGroup()
    {
        var r = await _h.TextAsync(Teacher, "/announce");
        r = await _h.PressAsync(Teacher, ButtonIn(r, "7А"));
        r = await _h.TextAsync(Teacher, "Родительское собрание");
        _teacherGroups.Clear(); // the timetable changed while the preview was open
        r = await _h.PressAsync(Teacher, ButtonIn(r, Ru.SendAnnouncement));
        Assert.Equal(Ru.NotYourGroup, EngineHarness.Text(r));
        Assert.Empty(_sent);
        Assert.Equal("(none)", StepOf(Teacher));
    }

    [Fact]
    public async Task Announce_RefusesATeachersForgedSchoolWideAudience()
    {
        var r = await _h.TextAsync(Teacher, "/announce");
        var version = _h.PersonOf(Teacher)!.Dialog.Version;
        r = await _h.PressAsync(Teacher, $"an:{version}:a:students");
        Assert.Equal(Ru.ButtonStale, r.CallbackAnswer); // the teacher's open question is the group, not the audience
        Assert.Empty(_sent);
        Assert.Equal("an.grp", StepOf(Teacher));
    }

    [Fact]
    public async Task Announce_SaysSo_WhenATeacherHasNoGroups()
    {
        _teacherGroups.Clear();
        var r = await _h.TextAsync(Teacher, "/announce");
        Assert.Equal(Ru.NoTeacherGroups, EngineHarness.Text(r));
        Assert.Equal("(none)", StepOf(Teacher));
    }

    [Fact]
    public async Task Announce_RefusesZeroRecipients_BeforeTheTextAndStoresNothing()
    {
        _counts[(AnnouncementAudience.Parents, null)] = new RecipientCount(0, 2);
        var r = await _h.TextAsync(Admin, "/announce");
        r = await _h.PressAsync(Admin, ButtonIn(r, Ru.AudienceButton(AnnouncementAudience.Parents)));
        Assert.Equal(Ru.NobodyToReceive("все родители"), r.Messages[0].Text);
        Assert.Equal(Ru.AskAnnouncementAudience, r.Messages[1].Text);
        Assert.Equal("an.aud", StepOf(Admin));
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Announce_RefusesZeroRecipients_AtConfirm_WhenEveryoneLeftMeanwhile()
    {
        var r = await AdminToPreviewAsync();
        _counts[(AnnouncementAudience.Students, null)] = new RecipientCount(0, 0);
        r = await _h.PressAsync(Admin, ButtonIn(r, Ru.SendAnnouncement));
        Assert.Equal(Ru.NobodyToReceive("все ученики"), EngineHarness.Text(r));
        Assert.Empty(_sent);
        _h.Announcements.Verify(a => a.SendAsync(It.IsAny<PersonId>(), It.IsAny<AnnouncementAudience>(), It.IsAny<GroupId?>(), It.IsAny<string>(),
            It.IsAny<IReadOnlyDictionary<Language, string>>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Announce_AsksAgain_WhenTheTextIsEmpty()
    {
        await AdminToTextAsync();
        var r = await _h.TextAsync(Admin, "\u200B\u200B");
        Assert.Equal(Ru.EmptyMessage, EngineHarness.Text(r));
        Assert.Equal("an.text", StepOf(Admin));
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Announce_AsksAgain_WhenTheTextIsTooLong()
    {
        await AdminToTextAsync();
        var r = await _h.TextAsync(Admin, new string('а', 3501));
        Assert.Equal(Ru.AnnouncementTextTooLong(3501, 3500), EngineHarness.Text(r));
        Assert.Equal("an.text", StepOf(Admin));
        r = await _h.TextAsync(Admin, new string('а', 3500));
        Assert.StartsWith("Так объявление увидят получатели:", EngineHarness.Text(r), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Announce_AnswersTheEnginesLimit_WhenTheTextIsOverTheMessengersLimit()
    {
        await AdminToTextAsync();
        var r = await _h.TextAsync(Admin, new string('а', 5000));
        Assert.Equal(Ru.TooLongMessage(ConversationEngine.MaxTextLength), EngineHarness.Text(r));
        Assert.Equal("an.text", StepOf(Admin));
    }

    [Fact]
    public async Task Announce_EditsTheText_AndCancels()
    {
        var r = await AdminToPreviewAsync("Первый вариант");
        r = await _h.PressAsync(Admin, ButtonIn(r, Ru.EditAnnouncementText));
        Assert.Equal(Ru.AskAnnouncementText("все ученики", 3500), EngineHarness.Text(r));
        r = await _h.TextAsync(Admin, "Второй вариант");
        Assert.Contains("\n\nВторой вариант\n\n", EngineHarness.Text(r), StringComparison.Ordinal);
        r = await _h.PressAsync(Admin, ButtonIn(r, Ru.CancelAnnouncement));
        Assert.Equal(Ru.Cancelled, EngineHarness.Text(r));
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Announce_IsStale_WhenTheOldPreviewIsConfirmedAfterTheTextWasChanged()
    {
        var r = await AdminToPreviewAsync("Первый вариант");
        var oldSend = ButtonIn(r, Ru.SendAnnouncement);
        r = await _h.PressAsync(Admin, ButtonIn(r, Ru.EditAnnouncementText));
        r = await _h.PressAsync(Admin, oldSend);
        Assert.Equal(Ru.ButtonStale, r.CallbackAnswer);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Announce_AsksForButtons_WhenTextIsTypedAtThePreview()
    {
        await AdminToPreviewAsync();
        var r = await _h.TextAsync(Admin, "да");
        Assert.Equal(Ru.UseTheButtons, EngineHarness.Text(r));
        Assert.Equal("an.conf", StepOf(Admin));
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Announce_IsNotAllowed_ForAStudent()
    {
        var r = await _h.TextAsync(Student, "/announce");
        Assert.Equal(Ru.NotAllowed, EngineHarness.Text(r));
        r = await _h.PressAsync(Student, "an:0");
        Assert.Equal(Ru.NotAllowed, r.CallbackAnswer);
        r = await _h.PressAsync(Student, "an:0:l");
        Assert.Equal(Ru.NotAllowed, r.CallbackAnswer);
        Assert.Empty(r.Messages);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Announce_EndsTheDialog_WhenTheAuthorIsNoLongerStaff()
    {
        var r = await AdminToPreviewAsync();
        var send = ButtonIn(r, Ru.SendAnnouncement);
        var person = _h.PersonOf(Admin)!;
        _h.Persons[person.Id] = Person.Restore(person.Id, Role.Student, PersonStatus.Active, person.FullName, null, Language.Ru, false, false,
            _h.Clock.GetUtcNow(), person.Dialog);
        r = await _h.PressAsync(Admin, send);
        Assert.Equal(Ru.NotAllowed, r.CallbackAnswer);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Announce_ShowsTheMenuButton_ToStaffOnly()
    {
        var admin = await _h.TextAsync(Admin, "/menu");
        Assert.Equal("an:0", ButtonIn(admin, Ru.MenuAnnounce));
        Assert.Equal("an:0:l", ButtonIn(admin, Ru.MenuRecentAnnouncements));
        var teacher = await _h.TextAsync(Teacher, "/menu");
        Assert.Equal("an:0", ButtonIn(teacher, Ru.MenuAnnounce));
        Assert.DoesNotContain(teacher.Messages.SelectMany(m => m.Keyboard!.Rows).SelectMany(x => x), b => b.Label == Ru.MenuRecentAnnouncements);
        var student = await _h.TextAsync(Student, "/menu");
        Assert.DoesNotContain(student.Messages.SelectMany(m => m.Keyboard!.Rows).SelectMany(x => x), b => b.Label == Ru.MenuAnnounce);
    }

    [Fact]
    public async Task Recent_ListsAnnouncementsWithTheirCounts_ForAnAdministrator()
    {
        _h.Announcements.Setup(a => a.RecentAsync(It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new AnnouncementSummary(2, new DateTimeOffset(2026, 11, 24, 15, 5, 0, TimeSpan.Zero), "Петрова Анна Сергеевна", AnnouncementAudience.Group, "7А",
                "Контрольная перенесена на четверг", 30, 27, 2, 0, 1),
        ]);
        var r = await _h.PressAsync(Admin, "an:0:l");
        Assert.Equal(Ru.RecentAnnouncements(
            [Ru.RecentAnnouncementLine("24.11 15:05", "Петрова Анна Сергеевна", "7А (ученики и родители)", "Контрольная перенесена на четверг", 30, 27, 2, 0, 1)]),
            EngineHarness.Text(r));
        Assert.Contains("ещё отправляется: 1", EngineHarness.Text(r), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Announce_SpeaksEnglish_ToAnEnglishSpeakingAdministrator()
    {
        _h.AddPerson("903", Role.Admin, "Head Teacher", language: Language.En);
        var r = await _h.TextAsync("903", "/announce");
        Assert.Equal(En.AskAnnouncementAudience, EngineHarness.Text(r));
        r = await _h.PressAsync("903", ButtonIn(r, En.AudienceButton(AnnouncementAudience.Everyone)));
        Assert.Equal(En.AskAnnouncementText("everyone", 3500), EngineHarness.Text(r));
    }
}
