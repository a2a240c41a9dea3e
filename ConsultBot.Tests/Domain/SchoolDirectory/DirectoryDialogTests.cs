using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain.SchoolDirectory;

/// <summary>/teachers: contacts first, teachers by association ("no association" last), booking buttons for students and parents, pages under 4,096 characters.</summary>
public sealed class DirectoryDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private readonly EngineHarness _h = new();
    private readonly List<DirectoryTeacher> _teachers = [];
    private readonly List<SchoolContact> _contacts = [];

    public DirectoryDialogTests()
    {
        _h.Directory.Setup(d => d.TeachersAsync(It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => _teachers);
        _h.Directory.Setup(d => d.ContactsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(() => _contacts);
    }

    private DirectoryTeacher Teacher(long id, string name, string? association, bool canBook = true, long? subject = 1) =>
        new(new PersonId(id), name, association, ["Математика"], [new OfficeHoursWindow(DayOfWeek.Tuesday, new TimeOnly(15, 0), new TimeOnly(16, 0))],
            "Кабинет 214", canBook, subject);

    [Fact]
    public async Task Teachers_ShowsContactsThenAssociationsWithNoAssociationLast_AndBookButtons_WhenStudentAsks()
    {
        var group = _h.AddGroup("7А");
        _h.AddPerson("s", Role.Student, "Белова Анна", group);
        _contacts.Add(new SchoolContact(1, "Ответственный за консультации", "Кузнецова Ольга Николаевна", "каб. 101", 1));
        _teachers.Add(Teacher(10, "Петрова Мария Ивановна", "МО математики"));
        _teachers.Add(Teacher(11, "Орлов Игорь Павлович", null, canBook: false));

        var result = await _h.TextAsync("s", "/teachers");

        var text = EngineHarness.Text(result);
        Assert.StartsWith(Ru.DirectoryTitle(1, 1, 2) + "\n\nОтветственные:\n• Ответственный за консультации — Кузнецова Ольга Николаевна (каб. 101)",
            text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("🏛 МО математики", StringComparison.Ordinal) < text.IndexOf("🏛 Без объединения", StringComparison.Ordinal));
        Assert.Contains("Приёмные часы: вт 15:00–16:00", text, StringComparison.Ordinal);
        Assert.Contains("Кабинет 214", text, StringComparison.Ordinal);
        Assert.Contains("Свободных консультаций сейчас нет.", text, StringComparison.Ordinal);
        Assert.Equal("cb:0:t::1:10", EngineHarness.Button(result, "Записаться: Петрова М. И."));
        Assert.DoesNotContain(result.Messages.SelectMany(m => m.Keyboard?.Rows ?? []).SelectMany(r => r), b => b.Label.Contains("Орлов", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Teachers_BooksForTheOnlyChild_OrOpensTheGeneralFlow_WhenParentAsks()
    {
        var group = _h.AddGroup("7А");
        var parent = _h.AddPerson("p", Role.Parent, "Белов Олег");
        var child = _h.AddPerson("c", Role.Student, "Белова Анна", group);
        _h.Links.Add((parent.Id, child.Id));
        _teachers.Add(Teacher(10, "Петрова Мария Ивановна", null));

        Assert.Equal($"cb:0:t:{child.Id}:1:10", EngineHarness.Button(await _h.TextAsync("p", "/teachers"), "Записаться"));

        var second = _h.AddPerson("c2", Role.Student, "Белов Пётр", group);
        _h.Links.Add((parent.Id, second.Id));
        Assert.Equal("cb:0:s", EngineHarness.Button(await _h.TextAsync("p", "/teachers"), "Записаться"));
    }

    [Fact]
    public async Task Teachers_HasNoBookButtons_WhenTeacherAsks()
    {
        _h.AddPerson("t", Role.Teacher, "Орлов Игорь");
        _teachers.Add(Teacher(10, "Петрова Мария Ивановна", null));

        var result = await _h.TextAsync("t", "/teachers");

        Assert.Contains("Петрова Мария Ивановна", EngineHarness.Text(result), StringComparison.Ordinal);
        Assert.Null(result.Messages.Single().Keyboard);
    }

    [Fact]
    public async Task Teachers_PagesEveryTeacherUnder4096Characters_WhenTheSchoolHas100()
    {
        var group = _h.AddGroup("7А");
        _h.AddPerson("s", Role.Student, "Белова Анна", group);
        for (var i = 0; i < 100; i++)
        {
            _teachers.Add(new DirectoryTeacher(new PersonId(100 + i), $"Учитель{i:000} Длиннофамильный Отчествович", i < 60 ? $"МО {i / 20}" : null,
                ["Математика", "Алгебра", "Геометрия", "Информатика"],
                [new OfficeHoursWindow(DayOfWeek.Monday, new TimeOnly(15, 0), new TimeOnly(16, 0)),
                 new OfficeHoursWindow(DayOfWeek.Thursday, new TimeOnly(14, 0), new TimeOnly(15, 30))],
                new string('з', 300), true, 1));
        }
        var seen = new HashSet<string>();
        var result = await _h.TextAsync("s", "/teachers");
        var pages = 0;
        while (true)
        {
            pages++;
            var message = Assert.Single(result.Messages);
            Assert.True(message.Text.Length <= 4096, $"page {pages}: {message.Text.Length} characters");
            foreach (var teacher in _teachers.Where(t => message.Text.Contains(t.Name, StringComparison.Ordinal)))
            {
                Assert.True(seen.Add(teacher.Name), $"{teacher.Name} is on two pages");
            }
            var next = message.Keyboard!.Rows.SelectMany(r => r).FirstOrDefault(b => b.Label == Ru.NextPage);
            if (next is null)
            {
                break;
            }
            Assert.True(message.Keyboard.Rows.SelectMany(r => r).Count(b => b.Label.StartsWith("📅", StringComparison.Ordinal)) <= DirectoryFeature.MaxTeachersPerPage);
            result = await _h.PressAsync("s", next.Payload);
        }
        Assert.Equal(100, seen.Count);
        Assert.True(pages >= 10);
    }

    [Fact]
    public async Task Teachers_ShowsTheLastPage_WhenThePageInAButtonIsPastTheEnd()
    {
        _h.AddPerson("t", Role.Teacher, "Орлов Игорь");
        _teachers.Add(Teacher(10, "Петрова Мария Ивановна", null));

        var result = await _h.PressAsync("t", "dt:0:p:999");

        Assert.Contains("Петрова Мария Ивановна", EngineHarness.Text(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Role.Student)]
    [InlineData(Role.Parent)]
    [InlineData(Role.Teacher)]
    [InlineData(Role.Admin)]
    public async Task Menu_HasTheTeachersButton_ForEveryRole(Role role)
    {
        _h.AddPerson("x", role, "Кто-то");

        var result = await _h.TextAsync("x", "/menu");

        Assert.Equal("dt:0:p:0", EngineHarness.Button(result, Ru.MenuTeachers));
    }

    [Fact]
    public async Task Menu_HasDirectoryAndPeople_ForAdministratorsOnly()
    {
        _h.AddPerson("a", Role.Admin, "Смирнова Анна");
        _h.AddPerson("t", Role.Teacher, "Петрова Мария");

        var admin = await _h.TextAsync("a", "/menu");
        var teacher = await _h.TextAsync("t", "/menu");

        Assert.Equal("dd:0:m", EngineHarness.Button(admin, Ru.MenuDirectory));
        Assert.Equal("pp:0:m", EngineHarness.Button(admin, Ru.MenuPeople));
        Assert.DoesNotContain(teacher.Messages.SelectMany(m => m.Keyboard?.Rows ?? []).SelectMany(r => r),
            b => b.Payload.StartsWith("dd:", StringComparison.Ordinal) || b.Payload.StartsWith("pp:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Teachers_SaysTheDirectoryIsEmpty_WhenThereAreNoTeachers()
    {
        _h.AddPerson("x", Role.Student, "Кто-то", _h.AddGroup("7А"));

        Assert.Equal(Ru.DirectoryEmpty, EngineHarness.Text(await _h.TextAsync("x", "/teachers")));
    }
}
