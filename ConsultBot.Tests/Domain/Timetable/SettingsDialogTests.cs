using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Domain.Timetable;
using Moq;

namespace ConsultBot.Tests.Domain.Timetable;

/// <summary>/settings: daily reminders on and off, the hour, the evening before, and the children a parent follows.</summary>
public sealed class SettingsDialogTests
{
    private readonly EngineHarness _h = new();
    private readonly Dictionary<PersonId, ReminderChoice> _choices = [];
    private readonly Dictionary<(PersonId, PersonId), bool> _follows = [];

    public SettingsDialogTests()
    {
        var repo = _h.ReminderSettings;
        repo.Setup(r => r.GetAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId p, CancellationToken _) => _choices.GetValueOrDefault(p, ReminderChoice.Default));
        repo.Setup(r => r.SaveAsync(It.IsAny<PersonId>(), It.IsAny<ReminderChoice>(), It.IsAny<CancellationToken>()))
            .Callback((PersonId p, ReminderChoice c, CancellationToken _) => _choices[p] = c).Returns(Task.CompletedTask);
        repo.Setup(r => r.ChildrenAsync(It.IsAny<PersonId>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId parent, CancellationToken _) => (IReadOnlyList<FollowedChild>)_follows
                .Where(f => f.Key.Item1 == parent).Select(f => new FollowedChild(f.Key.Item2, _h.Persons[f.Key.Item2].FullName!, f.Value)).ToList());
        repo.Setup(r => r.SetFollowsAsync(It.IsAny<PersonId>(), It.IsAny<PersonId>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((PersonId parent, PersonId child, bool follows, CancellationToken _) =>
            {
                if (!_follows.ContainsKey((parent, child)))
                {
                    return false;
                }
                _follows[(parent, child)] = follows;
                return true;
            });
    }

    [Fact]
    public async Task Settings_ShowsTheSchoolDefault_AndTheLinkHint()
    {
        _h.AddPerson("1", Role.Student, "Иванов Иван");

        var r = await _h.TextAsync("1", "/settings");

        var text = EngineHarness.Text(r);
        Assert.StartsWith("⚙️ Ежедневные напоминания об уроках: включены, в 07:30 в день уроков (время школы).", text, StringComparison.Ordinal);
        Assert.Contains("/link", text, StringComparison.Ordinal);
        foreach (var label in new[] { "06:30", "07:00", "07:30 (школа)", "08:00", "09:00", "Накануне в 19:00", "Выключить" })
        {
            EngineHarness.Button(r, label);
        }
    }

    [Fact]
    public async Task MenuButton_OpensSettings_ForEveryRole()
    {
        foreach (var (user, role) in new[] { ("1", Role.Student), ("2", Role.Parent), ("3", Role.Teacher), ("4", Role.Admin) })
        {
            _h.AddPerson(user, role, "Имя Фамилия");
            var menu = await _h.TextAsync(user, "/menu");
            var r = await _h.PressAsync(user, EngineHarness.Button(menu, "Настройки"));
            Assert.StartsWith("⚙️ Ежедневные напоминания", EngineHarness.Text(r), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Buttons_TurnOffAndOn_ChooseTheHour_AndTheEveningBefore()
    {
        var ivan = _h.AddPerson("1", Role.Student, "Иванов Иван");
        var r = await _h.TextAsync("1", "/settings");

        r = await _h.PressAsync("1", EngineHarness.Button(r, "Выключить"));
        Assert.Equal(new ReminderChoice(false, null, false), _choices[ivan.Id]);
        Assert.Equal("Готово", r.CallbackAnswer);
        Assert.StartsWith("⚙️ Ежедневные напоминания об уроках: выключены.", EngineHarness.Text(r), StringComparison.Ordinal);

        r = await _h.PressAsync("1", EngineHarness.Button(r, "Включить"));
        Assert.Equal(ReminderChoice.Default, _choices[ivan.Id]);

        r = await _h.PressAsync("1", EngineHarness.Button(r, "08:00"));
        Assert.Equal(new ReminderChoice(true, new TimeOnly(8, 0), false), _choices[ivan.Id]);
        Assert.Contains("включены, в 08:00 в день уроков.", EngineHarness.Text(r), StringComparison.Ordinal);

        r = await _h.PressAsync("1", EngineHarness.Button(r, "Накануне"));
        Assert.Equal(new ReminderChoice(true, null, true), _choices[ivan.Id]);
        Assert.Contains("включены, накануне в 19:00.", EngineHarness.Text(r), StringComparison.Ordinal);

        // The school's own hour is stored as "the school's", so it follows the school if the school changes it.
        await _h.PressAsync("1", EngineHarness.Button(r, "07:30"));
        Assert.Equal(ReminderChoice.Default, _choices[ivan.Id]);
    }

    [Fact]
    public async Task Buttons_RefuseAnHourNotOffered_AndForgedChildren()
    {
        var ivan = _h.AddPerson("1", Role.Student, "Иванов Иван");
        var other = _h.AddPerson("2", Role.Student, "Орлова Ольга");
        var parent = _h.AddPerson("3", Role.Parent, "Иванова Елена");
        _follows[(parent.Id, ivan.Id)] = true;

        var notAllowed = TextCatalog.For(Language.Ru).NotAllowed;
        var r = await _h.PressAsync("1", "st:0:t:0315");
        Assert.Equal(notAllowed, r.CallbackAnswer);
        Assert.Empty(_choices);
        r = await _h.PressAsync("1", $"st:0:c:{ivan.Id}:0");
        Assert.Equal(notAllowed, r.CallbackAnswer);
        r = await _h.PressAsync("3", $"st:0:c:{other.Id}:0");
        Assert.Equal(notAllowed, r.CallbackAnswer);
        Assert.True(_follows[(parent.Id, ivan.Id)]);
        Assert.Empty(r.Messages);
    }

    [Fact]
    public async Task Parent_TogglesEachLinkedChild()
    {
        var ivan = _h.AddPerson("1", Role.Student, "Иванов Иван");
        var maria = _h.AddPerson("2", Role.Student, "Иванова Мария");
        var parent = _h.AddPerson("3", Role.Parent, "Иванова Елена");
        _follows[(parent.Id, ivan.Id)] = true;
        _follows[(parent.Id, maria.Id)] = true;

        var r = await _h.TextAsync("3", "/settings");
        Assert.Contains("Напоминания по детям:\n✅ Иванов Иван — получаете\n✅ Иванова Мария — получаете", EngineHarness.Text(r), StringComparison.Ordinal);

        r = await _h.PressAsync("3", EngineHarness.Button(r, "Иванова Мария"));

        Assert.Equal("Готово", r.CallbackAnswer);
        Assert.False(_follows[(parent.Id, maria.Id)]);
        Assert.True(_follows[(parent.Id, ivan.Id)]);
        Assert.Contains("⬜ Иванова Мария — не получаете", EngineHarness.Text(r), StringComparison.Ordinal);

        r = await _h.PressAsync("3", EngineHarness.Button(r, "⬜ Иванова Мария"));
        Assert.True(_follows[(parent.Id, maria.Id)]);
        Assert.Contains("✅ Иванова Мария", EngineHarness.Text(r), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_SpeaksEnglish()
    {
        _h.AddPerson("1", Role.Teacher, "Smith John", language: Language.En);

        var r = await _h.TextAsync("1", "/settings");

        Assert.StartsWith("⚙️ Daily lesson reminders: on, at 07:30 on the day (the school's time).", EngineHarness.Text(r), StringComparison.Ordinal);
        EngineHarness.Button(r, "Evening before, 19:00");
    }
}
