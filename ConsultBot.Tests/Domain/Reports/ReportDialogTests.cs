using ConsultBot.Domain.Conversations;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Reports;
using ConsultBot.Domain.Texts;
using ConsultBot.Tests.Reports;
using Moq;

namespace ConsultBot.Tests.Domain.Reports;

/// <summary>/report in the chat: who may ask, which months, and the CSV document in the reply.</summary>
public sealed class ReportDialogTests
{
    private static readonly ITexts Ru = TextCatalog.For(Language.Ru);
    private readonly EngineHarness _h = new(); // the school clock: 25.11.2026 09:00 UTC
    private readonly List<ReportMonth> _built = [];

    public ReportDialogTests()
    {
        _h.AddPerson("1", Role.Admin, "Директор Школы");
        _h.AddPerson("2", Role.Teacher, "Петрова Анна");
        _h.AddPerson("3", Role.Student, "Белова Анна", _h.AddGroup("7Б"));
        _h.Reports.Setup(r => r.BuildAsync(It.IsAny<ReportMonth>(), It.IsAny<TimeZoneInfo>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((ReportMonth month, TimeZoneInfo _, DateTimeOffset _, CancellationToken _) =>
            {
                _built.Add(month);
                return
                [
                    new ActivityRow(ReportRole.Student, "Белова Анна", "7Б", 2, 5, 1, 1, 1.5, 1, null, 1, 0, null),
                    new ActivityRow(ReportRole.Teacher, "Петрова Анна", null, 4, 9, 1, 1, 1.5, 1, 1, 1, 0, 2),
                ];
            });
    }

    [Fact]
    public async Task Report_OffersThisMonthSoFarAndTheSixBefore_WhenTypedWithoutAMonth()
    {
        var result = await _h.TextAsync("1", "/report");

        var message = Assert.Single(result.Messages);
        Assert.Equal(Ru.ReportChooseMonth, message.Text);
        var labels = message.Keyboard!.Rows.SelectMany(r => r).Select(b => b.Label).ToList();
        Assert.Equal(["Ноябрь 2026 (пока)", "Октябрь 2026", "Сентябрь 2026", "Август 2026", "Июль 2026", "Июнь 2026", "Май 2026"], labels);
        Assert.Empty(_built);
    }

    [Fact]
    public async Task ReportButton_RepliesWithTheCsvDocument_OfThatMonth()
    {
        var menu = await _h.TextAsync("1", "/report");
        var october = menu.Messages[0].Keyboard!.Rows.SelectMany(r => r).Single(b => b.Label == "Октябрь 2026");

        var result = await _h.PressAsync("1", october.Payload);

        Assert.Equal([new ReportMonth(2026, 10)], _built);
        var reply = Assert.Single(result.Messages);
        Assert.NotNull(reply.Document);
        Assert.Equal("activity-2026-10.csv", reply.Document.FileName);
        Assert.Equal(Ru.ReportCaption(new ReportMonth(2026, 10), 1, 1, soFar: false), reply.Text);
        var rows = CsvRows.Parse(reply.Document.Content);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["ученик", "Белова Анна", "7Б", "2", "5", "1", "1", "1,5", "1", "", "1", "0", ""], rows[1]);
    }

    [Theory]
    [InlineData("/report 11.2026", 2026, 11)]
    [InlineData("/report 2026-10", 2026, 10)]
    [InlineData("/report сентябрь 2026", 2026, 9)]
    [InlineData("/report 03.2019", 2019, 3)]
    public async Task Report_SendsTheTypedMonth_WhenItHasBegun(string text, int year, int month)
    {
        var result = await _h.TextAsync("1", text);

        Assert.Equal([new ReportMonth(year, month)], _built);
        Assert.Equal(ActivityCsv.FileName(new ReportMonth(year, month)), Assert.Single(result.Messages).Document?.FileName);
    }

    [Fact]
    public async Task Report_SaysTheCurrentMonthIsNotOver_InTheCaption()
    {
        var result = await _h.TextAsync("1", "/report 11.2026");

        Assert.Equal(Ru.ReportCaption(new ReportMonth(2026, 11), 1, 1, soFar: true), result.Messages[0].Text);
    }

    [Theory]
    [InlineData("/report 12.2026")]
    [InlineData("/report 2027-01")]
    public async Task Report_ExplainsAndSendsNothing_ForAFutureMonth(string text)
    {
        var result = await _h.TextAsync("1", text);

        var reply = Assert.Single(result.Messages);
        Assert.Null(reply.Document);
        Assert.Equal(Ru.ReportMonthInFuture(ReportMonth.TryParse(text[8..], out var m) ? m : default), reply.Text);
        Assert.Empty(_built);
    }

    [Theory]
    [InlineData("13/2026")]
    [InlineData("2026-13")]
    [InlineData("вчера")]
    public async Task Report_ExplainsAndSendsNothing_ForSomethingThatIsNoMonth(string typed)
    {
        var result = await _h.TextAsync("1", "/report " + typed);

        var reply = Assert.Single(result.Messages);
        Assert.Null(reply.Document);
        Assert.Equal(Ru.ReportMonthInvalid(typed), reply.Text);
        Assert.Empty(_built);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("3")]
    public async Task Report_IsNotAllowed_ForSomeoneWhoIsNoAdministrator(string user)
    {
        var result = await _h.TextAsync(user, "/report 10.2026");

        Assert.Equal(Ru.NotAllowed, Assert.Single(result.Messages).Text);
        Assert.Empty(_built);
    }

    [Fact]
    public async Task ReportButton_IsNotAllowed_ForAStudentWithAForgedButton()
    {
        var result = await _h.PressAsync("3", "rp:0:2026-10");

        Assert.Equal(Ru.NotAllowed, result.CallbackAnswer);
        Assert.Empty(result.Messages);
        Assert.Empty(_built);
    }

    [Theory]
    [InlineData("rp:0:2026-13")]
    [InlineData("rp:0:2027-05")]
    public async Task ReportButton_SendsNothing_ForAForgedMonth(string payload)
    {
        var result = await _h.PressAsync("1", payload);

        Assert.DoesNotContain(result.Messages, m => m.Document is not null);
        Assert.Empty(_built);
    }

    [Fact]
    public async Task AdminMenu_HasTheReportButton()
    {
        var result = await _h.TextAsync("1", "/menu");

        var button = result.Messages.SelectMany(m => m.Keyboard?.Rows ?? []).SelectMany(r => r).Single(b => b.Label == "📊 Отчёт");
        var picker = await _h.PressAsync("1", button.Payload);
        Assert.Equal(Ru.ReportChooseMonth, picker.Messages[0].Text);
    }
}
