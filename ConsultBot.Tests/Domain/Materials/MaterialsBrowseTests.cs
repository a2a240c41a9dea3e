using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.Materials;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using Moq;

namespace ConsultBot.Tests.Domain.Materials;

/// <summary>/materials: who browses what, paging, and buttons that are re-checked for the person pressing.</summary>
public sealed class MaterialsBrowseTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private readonly EngineHarness _h = new();
    private readonly Person _student;
    private readonly Person _teacher;
    private readonly List<MaterialView> _materials = [];
    private readonly List<(MaterialScope Scope, long Subject, int Offset, int Limit)> _pages = [];

    public MaterialsBrowseTests()
    {
        var group = _h.AddGroup("7Б");
        _student = _h.AddPerson("600", Role.Student, "Белова Анна", group);
        _teacher = _h.AddPerson("500", Role.Teacher, "Петрова Анна Сергеевна");
        for (var i = 1; i <= 12; i++)
        {
            _materials.Add(new MaterialView(new MaterialId(i), "Математика", "Петрова А. С.", MaterialKind.Material, $"Тема {i}",
                $"https://example.org/{i}", null, null, null, ["7Б"], _h.Clock.GetUtcNow().AddDays(-i)));
        }
        _h.Materials.Setup(m => m.SubjectsAsync(It.IsAny<MaterialScope>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Subject(1, "Математика")]);
        _h.Materials.Setup(m => m.PageAsync(It.IsAny<MaterialScope>(), It.IsAny<long>(), It.IsAny<int>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((MaterialScope scope, long subject, int offset, int limit, CancellationToken _) =>
            {
                _pages.Add((scope, subject, offset, limit));
                var all = subject == 1 ? _materials : [];
                return new MaterialPage(all.Skip(offset).Take(limit).ToList(), all.Count);
            });
    }

    [Fact]
    public async Task Student_BrowsesTheirClassesSubjects_AndPagesFiveAtATime()
    {
        var subjects = await _h.TextAsync("600", "/materials");
        Assert.Equal(Ru.ChooseMaterialsSubject(false), EngineHarness.Text(subjects));
        _h.Materials.Verify(m => m.SubjectsAsync(new MaterialScope(_student.Id, MaterialAudience.Student), It.IsAny<CancellationToken>()));

        var first = await _h.PressAsync("600", EngineHarness.Button(subjects, "Математика"));
        var text = EngineHarness.Text(first);
        Assert.StartsWith("📚 Математика: материалов 12, страница 1 из 3", text, StringComparison.Ordinal);
        Assert.Contains("«Тема 1»", text, StringComparison.Ordinal);
        Assert.Contains("«Тема 5»", text, StringComparison.Ordinal);
        Assert.DoesNotContain("«Тема 6»", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("Тема 1»", StringComparison.Ordinal) < text.IndexOf("Тема 2»", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(first, Ru.PreviousPage));

        var second = await _h.PressAsync("600", EngineHarness.Button(first, Ru.NextPage));
        Assert.Contains("страница 2 из 3", EngineHarness.Text(second), StringComparison.Ordinal);
        Assert.Contains("«Тема 6»", EngineHarness.Text(second), StringComparison.Ordinal);
        var third = await _h.PressAsync("600", EngineHarness.Button(second, Ru.NextPage));
        Assert.Contains("«Тема 12»", EngineHarness.Text(third), StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => EngineHarness.Button(third, Ru.NextPage));
        var back = await _h.PressAsync("600", EngineHarness.Button(third, Ru.PreviousPage));
        Assert.Contains("страница 2 из 3", EngineHarness.Text(back), StringComparison.Ordinal);
        Assert.All(_pages, p => Assert.Equal(new MaterialScope(_student.Id, MaterialAudience.Student), p.Scope));
        Assert.Equal([0, 5, 10, 5], _pages.Select(p => p.Offset));
    }

    [Fact]
    public async Task Teacher_SeesOwnPostsFirst_AndCanSwitchToAll()
    {
        var own = await _h.TextAsync("500", "/materials");
        Assert.Equal(Ru.ChooseMaterialsSubject(true), EngineHarness.Text(own));
        var all = await _h.PressAsync("500", EngineHarness.Button(own, Ru.ShowAllMaterials));
        await _h.PressAsync("500", EngineHarness.Button(all, "Математика"));

        _h.Materials.Verify(m => m.SubjectsAsync(new MaterialScope(_teacher.Id, MaterialAudience.OwnPosts), It.IsAny<CancellationToken>()));
        _h.Materials.Verify(m => m.SubjectsAsync(new MaterialScope(_teacher.Id, MaterialAudience.All), It.IsAny<CancellationToken>()));
        Assert.Equal(new MaterialScope(_teacher.Id, MaterialAudience.All), Assert.Single(_pages).Scope);
    }

    [Fact]
    public async Task SomeoneElsesPageButton_ShowsOnlyWhatThePresserMaySee()
    {
        // The teacher's "all materials" button, pressed by a student, is refused.
        var teacherAll = await _h.PressAsync("600", "mb:0:l:a:1:0");
        Assert.Equal(Ru.ButtonInvalid, teacherAll.CallbackAnswer);
        Assert.Empty(teacherAll.Messages);

        // A student's page button pressed by another person is worked out for that person.
        var parent = _h.AddPerson("700", Role.Parent, "Белов Иван");
        _h.Links.Add((parent.Id, _student.Id));
        await _h.PressAsync("700", "mb:0:l:-:1:1");
        Assert.Equal(new MaterialScope(parent.Id, MaterialAudience.Parent), Assert.Single(_pages).Scope);
    }

    [Theory]
    [InlineData("mb:0:l:-:x:0")]
    [InlineData("mb:0:l:-:1:-1")]
    [InlineData("mb:0:l:-:1:99999999")]
    [InlineData("mb:0:zz")]
    public async Task MalformedButtons_AreRefused(string payload)
    {
        var reply = await _h.PressAsync("600", payload);
        Assert.Equal(Ru.ButtonInvalid, reply.CallbackAnswer);
        Assert.Empty(_pages);
    }

    [Fact]
    public async Task PageBeyondTheEnd_ShowsTheLastPage()
    {
        var reply = await _h.PressAsync("600", "mb:0:l:-:1:7");
        Assert.Contains("страница 3 из 3", EngineHarness.Text(reply), StringComparison.Ordinal);
        Assert.Equal(10, _pages[^1].Offset);
    }

    [Fact]
    public async Task SubjectWithoutVisibleMaterials_SaysSoAndShowsTheSubjects()
    {
        var reply = await _h.PressAsync("600", "mb:0:l:-:2:0");
        Assert.Equal(Ru.NoMaterials, reply.CallbackAnswer);
        Assert.Equal(Ru.ChooseMaterialsSubject(false), EngineHarness.Text(reply));
    }

    [Fact]
    public async Task Parent_WithoutChildren_IsAskedToLinkOne()
    {
        _h.AddPerson("700", Role.Parent, "Белов Иван");
        var reply = await _h.TextAsync("700", "/materials");
        Assert.Equal(Ru.NoChildrenLinked, EngineHarness.Text(reply));
    }

    [Fact]
    public async Task NoMaterials_IsSaid()
    {
        _h.Materials.Setup(m => m.SubjectsAsync(It.IsAny<MaterialScope>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        var reply = await _h.TextAsync("600", "/materials");
        Assert.Equal(Ru.NoMaterials, EngineHarness.Text(reply));
    }

    [Fact]
    public async Task LongEntries_AreSplitOverMessagesUnderTheLimit_WithButtonsOnTheLast()
    {
        _materials.Clear();
        for (var i = 1; i <= 5; i++)
        {
            _materials.Add(new MaterialView(new MaterialId(i), "Математика", "Петрова А. С.", MaterialKind.Source, new string('т', 200),
                "https://example.org/" + new string('a', 2020), new string('о', 1000), null, null, ["7Б"], _h.Clock.GetUtcNow()));
        }

        var reply = await _h.PressAsync("600", "mb:0:l:-:1:0");

        Assert.True(reply.Messages.Count > 1);
        Assert.All(reply.Messages, m => Assert.True(m.Text.Length <= MaterialFormat.MaxMessageLength));
        Assert.Equal(5, reply.Messages.Sum(m => m.Text.Split("https://example.org/").Length - 1));
        Assert.All(reply.Messages.SkipLast(1), m => Assert.Null(m.Keyboard));
        Assert.NotNull(reply.Messages[^1].Keyboard);
    }
}
