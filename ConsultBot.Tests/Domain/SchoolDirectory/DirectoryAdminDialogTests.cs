using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain.SchoolDirectory;

/// <summary>/directory: subjects, associations, teachers' cards and contacts; every typed value checked, every id re-checked, administrators only.</summary>
public sealed class DirectoryAdminDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private static readonly CancellationToken Any = It.IsAny<CancellationToken>();
    private readonly EngineHarness _h = new();
    private readonly List<DirectorySubject> _subjects = [new(1, "Математика", false), new(2, "Психология", false)];
    private readonly List<Association> _associations = [new(5, "МО математики", 0)];
    private readonly List<SchoolContact> _contacts = [];
    private readonly Person _admin;
    private readonly Person _teacher;
    private TeacherProfile _profile;

    public DirectoryAdminDialogTests()
    {
        _admin = _h.AddPerson("a", Role.Admin, "Смирнова Анна");
        _teacher = _h.AddPerson("t", Role.Teacher, "Петрова Мария Ивановна");
        _profile = new TeacherProfile(_teacher.Id, _teacher.FullName!, Role.Teacher, null, null, null, []);
        var d = _h.Directory;
        d.Setup(r => r.SubjectsAsync(Any)).ReturnsAsync(() => _subjects);
        d.Setup(r => r.GetSubjectAsync(It.IsAny<long>(), Any)).ReturnsAsync((long id, CancellationToken _) => _subjects.FirstOrDefault(s => s.Id == id));
        d.Setup(r => r.AddSubjectAsync(It.IsAny<string>(), Any)).ReturnsAsync((string name, CancellationToken _) =>
        {
            if (_subjects.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }
            _subjects.Add(new DirectorySubject(_subjects.Count + 1, name, false));
            return _subjects.Count;
        });
        d.Setup(r => r.AssociationsAsync(Any)).ReturnsAsync(() => _associations);
        d.Setup(r => r.GetAssociationAsync(It.IsAny<long>(), Any)).ReturnsAsync((long id, CancellationToken _) => _associations.FirstOrDefault(a => a.Id == id));
        d.Setup(r => r.DeleteAssociationAsync(It.IsAny<long>(), Any)).ReturnsAsync((long id, CancellationToken _) => _associations.RemoveAll(a => a.Id == id) == 1);
        d.Setup(r => r.GetTeacherAsync(It.IsAny<PersonId>(), Any)).ReturnsAsync((PersonId id, CancellationToken _) => id == _teacher.Id ? _profile : null);
        d.Setup(r => r.SetNoteAsync(_teacher.Id, It.IsAny<string?>(), Any))
            .Callback((PersonId _, string? note, CancellationToken _) => _profile = _profile with { Note = note }).Returns(Task.CompletedTask);
        d.Setup(r => r.SetSubjectAsync(_teacher.Id, It.IsAny<long>(), It.IsAny<bool>(), Any)).ReturnsAsync((PersonId _, long s, bool on, CancellationToken _) =>
        {
            var had = _profile.SubjectIds.Contains(s);
            _profile = _profile with { SubjectIds = on ? (had ? _profile.SubjectIds : [.. _profile.SubjectIds, s]) : _profile.SubjectIds.Where(x => x != s).ToList() };
            return had != on;
        });
        d.Setup(r => r.SetConfidentialAsync(It.IsAny<long>(), It.IsAny<bool>(), Any)).ReturnsAsync((long id, bool on, CancellationToken _) =>
        {
            var i = _subjects.FindIndex(s => s.Id == id);
            if (i < 0 || _subjects[i].Confidential == on)
            {
                return false;
            }
            _subjects[i] = _subjects[i] with { Confidential = on };
            return true;
        });
        d.Setup(r => r.ContactsAsync(Any)).ReturnsAsync(() => _contacts);
        d.Setup(r => r.GetContactAsync(It.IsAny<long>(), Any)).ReturnsAsync((long id, CancellationToken _) => _contacts.FirstOrDefault(c => c.Id == id));
        d.Setup(r => r.AddContactAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string?>(), Any))
            .Callback((string duty, string name, string? reach, CancellationToken _) => _contacts.Add(new SchoolContact(_contacts.Count + 1, duty, name, reach, _contacts.Count + 1)))
            .Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task Directory_IsRefused_WhenNotAnAdministrator()
    {
        Assert.Equal(Ru.NotAllowed, EngineHarness.Text(await _h.TextAsync("t", "/directory")));
        foreach (var payload in new[] { "dd:0:sa", "dd:0:sx:1:1", "dd:0:ay:5", $"dd:0:tnc:{_teacher.Id}", "dd:0:cx:1" })
        {
            var pressed = await _h.PressAsync("t", payload);
            Assert.Equal(Ru.NotAllowed, pressed.CallbackAnswer);
            Assert.Empty(pressed.Messages);
        }
        Assert.Null(_h.PersonOf("t")!.Dialog.Step);
        _h.Directory.Verify(r => r.SetConfidentialAsync(It.IsAny<long>(), It.IsAny<bool>(), Any), Times.Never);
        _h.Directory.Verify(r => r.DeleteAssociationAsync(It.IsAny<long>(), Any), Times.Never);
        _h.Directory.Verify(r => r.SetNoteAsync(It.IsAny<PersonId>(), It.IsAny<string?>(), Any), Times.Never);
        Assert.Empty(_h.AuditEntries);
    }

    [Fact]
    public async Task AddSubject_ChecksTheName_RefusesADuplicate_ThenAddsAndAudits()
    {
        var main = await _h.TextAsync("a", "/directory");
        var list = await _h.PressAsync("a", EngineHarness.Button(main, Ru.DirSubjects));
        await _h.PressAsync("a", EngineHarness.Button(list, Ru.AddGroup));

        Assert.Equal(Ru.SubjectNameInvalid(2, 100), EngineHarness.Text(await _h.TextAsync("a", "Ф")));
        Assert.Equal(Ru.SubjectNameInvalid(2, 100), EngineHarness.Text(await _h.TextAsync("a", new string('ф', 101))));
        Assert.Equal(Ru.SubjectExists("математика"), EngineHarness.Text(await _h.TextAsync("a", "математика")));
        var added = await _h.TextAsync("a", "  Физика   и  астрономия ");

        Assert.StartsWith(Ru.SubjectAdded("Физика и астрономия"), EngineHarness.Text(added), StringComparison.Ordinal);
        Assert.Contains(_subjects, s => s.Name == "Физика и астрономия");
        Assert.Equal(["subject-added"], _h.AuditEntries.Select(e => e.Action));
        Assert.Null(_h.PersonOf("a")!.Dialog.Step);
    }

    [Fact]
    public async Task ConfidentialButton_ExplainsAndToggles_AndUnknownSubjectChangesNothing()
    {
        var card = await _h.PressAsync("a", "dd:0:sc:2");
        Assert.Contains("Обычный", EngineHarness.Text(card), StringComparison.Ordinal);
        var toggled = await _h.PressAsync("a", EngineHarness.Button(card, Ru.MakeConfidential));

        _h.Directory.Verify(r => r.SetConfidentialAsync(2, true, Any), Times.Once);
        Assert.Contains(Ru.ConfidentialChanged("Психология", true), EngineHarness.Text(toggled), StringComparison.Ordinal);
        Assert.Contains("читают только его учителя", Ru.SubjectCard("Психология", true), StringComparison.Ordinal);

        var unknown = await _h.PressAsync("a", "dd:0:sx:77:1");
        Assert.Equal(Ru.SubjectNotFound, unknown.CallbackAnswer);
        var forged = await _h.PressAsync("a", "dd:0:sr:abc");
        Assert.Equal(Ru.SubjectNotFound, forged.CallbackAnswer);
        Assert.Null(_h.PersonOf("a")!.Dialog.Step);
        _h.Directory.Verify(r => r.SetConfidentialAsync(It.IsAny<long>(), It.IsAny<bool>(), Any), Times.Once);
    }

    [Fact]
    public async Task ConfidentialButton_LeavesItConfidential_WhenPressedTwice()
    {
        var card = await _h.PressAsync("a", "dd:0:sc:2");
        var button = EngineHarness.Button(card, Ru.MakeConfidential);
        Assert.Equal("dd:0:sx:2:1", button);

        await _h.PressAsync("a", button);
        var again = await _h.PressAsync("a", button);

        Assert.True(_subjects.Single(s => s.Id == 2).Confidential);
        Assert.Equal(Ru.ConfidentialAlready("Психология", true), again.CallbackAnswer);
        _h.Directory.Verify(r => r.SetConfidentialAsync(2, false, Any), Times.Never);
        Assert.Equal(["subject-made-confidential"], _h.AuditEntries.Select(e => e.Action));
    }

    [Fact]
    public async Task ConfidentialButton_AsksToConfirm_BeforeMakingASubjectOrdinary()
    {
        _subjects[1] = _subjects[1] with { Confidential = true };
        var card = await _h.PressAsync("a", "dd:0:sc:2");

        var confirm = await _h.PressAsync("a", EngineHarness.Button(card, Ru.MakeOpen));

        Assert.Equal(Ru.ConfirmMakeOrdinary("Психология"), EngineHarness.Text(confirm));
        Assert.True(_subjects[1].Confidential);
        _h.Directory.Verify(r => r.SetConfidentialAsync(It.IsAny<long>(), It.IsAny<bool>(), Any), Times.Never);
        var yes = await _h.PressAsync("a", EngineHarness.Button(confirm, Ru.YesMakeOrdinary));
        Assert.Contains(Ru.ConfidentialChanged("Психология", false), EngineHarness.Text(yes), StringComparison.Ordinal);
        Assert.False(_subjects[1].Confidential);
        Assert.Equal(["subject-made-ordinary"], _h.AuditEntries.Select(e => e.Action));
    }

    [Fact]
    public async Task ConfidentialButton_DoesWhatItSays_WhenPressedInAnOldMessage()
    {
        var oldCard = await _h.PressAsync("a", "dd:0:sc:2");
        var makeConfidential = EngineHarness.Button(oldCard, Ru.MakeConfidential);
        await _h.PressAsync("a", makeConfidential);
        var newCard = await _h.PressAsync("a", "dd:0:sc:2");
        var confirm = await _h.PressAsync("a", EngineHarness.Button(newCard, Ru.MakeOpen));
        await _h.PressAsync("a", EngineHarness.Button(confirm, Ru.YesMakeOrdinary));
        Assert.False(_subjects[1].Confidential);

        await _h.PressAsync("a", makeConfidential); // the first card's button, pressed again later

        Assert.True(_subjects[1].Confidential);
        var stale = await _h.PressAsync("a", "dd:0:sx:2"); // a button without a target state (before this change)
        Assert.Equal(Ru.ButtonStale, stale.CallbackAnswer);
        Assert.True(_subjects[1].Confidential);
    }

    [Fact]
    public async Task TeacherSubjectButton_KeepsTheSubject_WhenPressedTwice_AndAnOldButtonDoesWhatItSays()
    {
        var list = await _h.PressAsync("a", $"dd:0:ts:{_teacher.Id}:0");
        var add = EngineHarness.Button(list, "Психология");
        Assert.Equal($"dd:0:tst:{_teacher.Id}:2:0:1", add);

        await _h.PressAsync("a", add);
        var twice = await _h.PressAsync("a", add);

        Assert.Equal([2L], _profile.SubjectIds);
        Assert.Equal($"dd:0:tst:{_teacher.Id}:2:0:0", EngineHarness.Button(twice, "✓ Психология"));
        await _h.PressAsync("a", $"dd:0:tst:{_teacher.Id}:2:0:0");
        Assert.Empty(_profile.SubjectIds);
        await _h.PressAsync("a", $"dd:0:tst:{_teacher.Id}:2:0:0"); // an old "remove" button again
        Assert.Empty(_profile.SubjectIds);
        Assert.Equal(2, _h.AuditEntries.Count(e => e.Action == "teacher-profile-changed"));
    }

    [Fact]
    public async Task Associations_NameChecked_DeleteConfirmed_AndDeletedOneIsFriendlyAfterwards()
    {
        await _h.PressAsync("a", "dd:0:aa");
        Assert.Equal(Ru.AssociationNameInvalid(2, 100), EngineHarness.Text(await _h.TextAsync("a", new string('м', 101))));
        Assert.Equal(Ru.AssociationNameInvalid(2, 100), EngineHarness.Text(await _h.TextAsync("a", "М")));
        _h.Directory.Verify(r => r.AddAssociationAsync(It.IsAny<string>(), Any), Times.Never);

        var card = await _h.PressAsync("a", "dd:0:ac:5");
        var confirm = await _h.PressAsync("a", EngineHarness.Button(card, Ru.DeleteButton));
        Assert.Equal(Ru.ConfirmDeleteAssociation("МО математики", 0), EngineHarness.Text(confirm));
        _h.Directory.Verify(r => r.DeleteAssociationAsync(5, Any), Times.Never);
        var yes = EngineHarness.Button(confirm, Ru.YesDelete);
        var deleted = await _h.PressAsync("a", yes);
        Assert.StartsWith(Ru.AssociationDeleted("МО математики"), EngineHarness.Text(deleted), StringComparison.Ordinal);
        Assert.Contains("association-deleted", _h.AuditEntries.Select(e => e.Action));

        var again = await _h.PressAsync("a", yes);
        Assert.Equal(Ru.AssociationNotFound, again.CallbackAnswer);
        _h.Directory.Verify(r => r.DeleteAssociationAsync(5, Any), Times.Once);
    }

    [Fact]
    public async Task TeacherCard_NoteTooLongIsRefused_SubjectsToggleWithTicks_AndUnknownIdsChangeNothing()
    {
        var card = await _h.PressAsync("a", $"dd:0:tc:{_teacher.Id}");
        Assert.Contains("Объединение: Без объединения", EngineHarness.Text(card), StringComparison.Ordinal);

        await _h.PressAsync("a", EngineHarness.Button(card, Ru.SetNoteButton));
        Assert.Equal(Ru.NoteTooLong(300), EngineHarness.Text(await _h.TextAsync("a", new string('н', 301))));
        _h.Directory.Verify(r => r.SetNoteAsync(It.IsAny<PersonId>(), It.IsAny<string?>(), Any), Times.Never);
        var saved = await _h.TextAsync("a", "Кабинет 214, по средам");
        Assert.StartsWith(Ru.NoteSaved, EngineHarness.Text(saved), StringComparison.Ordinal);
        Assert.Equal("Кабинет 214, по средам", _profile.Note);

        var subjects = await _h.PressAsync("a", EngineHarness.Button(saved, Ru.ToggleSubjectsButton));
        var ticked = await _h.PressAsync("a", EngineHarness.Button(subjects, "Психология"));
        Assert.Equal("dd:0:tst:" + _teacher.Id + ":2:0:0", EngineHarness.Button(ticked, "✓ Психология"));
        Assert.Equal([2L], _profile.SubjectIds);

        Assert.Equal(Ru.SubjectNotFound, (await _h.PressAsync("a", $"dd:0:tst:{_teacher.Id}:99:0:1")).CallbackAnswer);
        Assert.Equal(Ru.AssociationNotFound, (await _h.PressAsync("a", $"dd:0:tas:{_teacher.Id}:99")).CallbackAnswer);
        Assert.Equal(Ru.TeacherNotFound, (await _h.PressAsync("a", $"dd:0:tc:{_admin.Id}")).CallbackAnswer);
        Assert.Equal(Ru.TeacherNotFound, (await _h.PressAsync("a", "dd:0:tn:0")).CallbackAnswer);
        _h.Directory.Verify(r => r.SetAssociationAsync(It.IsAny<PersonId>(), It.IsAny<long?>(), Any), Times.Never);
        Assert.Equal(2, _h.AuditEntries.Count(e => e.Action == "teacher-profile-changed" && e.Subject == _teacher.Id));
    }

    [Fact]
    public async Task ChooseAssociation_SetsIt_OrClearsIt()
    {
        var choose = await _h.PressAsync("a", $"dd:0:ta:{_teacher.Id}");
        await _h.PressAsync("a", EngineHarness.Button(choose, "МО математики"));
        _h.Directory.Verify(r => r.SetAssociationAsync(_teacher.Id, 5, Any), Times.Once);
        await _h.PressAsync("a", EngineHarness.Button(choose, Ru.WithoutAssociationButton));
        _h.Directory.Verify(r => r.SetAssociationAsync(_teacher.Id, null, Any), Times.Once);
    }

    [Fact]
    public async Task AddContact_ChecksEachField_AndSkipLeavesHowToReachEmpty()
    {
        var list = await _h.PressAsync("a", "dd:0:c");
        await _h.PressAsync("a", EngineHarness.Button(list, Ru.AddGroup));
        Assert.Equal(Ru.ContactFieldInvalid(100), EngineHarness.Text(await _h.TextAsync("a", new string('д', 101))));
        Assert.Equal(Ru.AskContactName(100), EngineHarness.Text(await _h.TextAsync("a", "Ответственный за консультации")));
        Assert.Equal(Ru.ContactFieldInvalid(100), EngineHarness.Text(await _h.TextAsync("a", new string('и', 101))));
        var reach = await _h.TextAsync("a", "Заместитель директора Кузнецова Ольга Николаевна");
        Assert.Equal(Ru.AskContactReach(300), EngineHarness.Text(reach));
        Assert.Equal(Ru.ContactFieldInvalid(300), EngineHarness.Text(await _h.TextAsync("a", new string('к', 301))));
        _h.Directory.Verify(r => r.AddContactAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string?>(), Any), Times.Never);

        var done = await _h.PressAsync("a", EngineHarness.Button(reach, Ru.Skip));

        _h.Directory.Verify(r => r.AddContactAsync("Ответственный за консультации", "Заместитель директора Кузнецова Ольга Николаевна", null, Any), Times.Once);
        Assert.StartsWith(Ru.ContactAdded("Ответственный за консультации"), EngineHarness.Text(done), StringComparison.Ordinal);
        Assert.Equal("dd:0:cx:1", EngineHarness.Button(done, Ru.RemoveButton(1)));
        Assert.Equal(Ru.ContactNotFound, (await _h.PressAsync("a", "dd:0:cx:42")).CallbackAnswer);
        _h.Directory.Verify(r => r.RemoveContactAsync(It.IsAny<long>(), Any), Times.Never);
    }
}
