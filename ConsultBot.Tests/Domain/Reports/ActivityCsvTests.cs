using System.Text;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Reports;
using ConsultBot.Tests.Reports;

namespace ConsultBot.Tests.Domain.Reports;

public sealed class ActivityCsvTests
{
    private static ActivityRow Student(string? name = "Белова Анна", string? group = "7Б", double? median = null) =>
        new(ReportRole.Student, name, group, 3, 12, 2, 1, median, 2, null, 1, 1, null);

    private static ActivityRow Teacher(string name = "Петрова Анна Сергеевна", double? median = 26.25) =>
        new(ReportRole.Teacher, name, "МО естественных наук", 20, 1234, 5, 4, median, 7, 3, 5, 2, 6);

    [Fact]
    public void Render_StartsWithTheUtf8ByteOrderMark_AndEndsEveryLineWithCrLf()
    {
        var bytes = ActivityCsv.Render([Student(), Teacher()], Language.Ru);

        Assert.True(CsvRows.HasBom(bytes));
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.EndsWith("\r\n", text);
        Assert.Equal(3, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain('\n', text.Replace("\r\n", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_WritesTheHeaderInRussian_ByDefaultLanguage()
    {
        var rows = CsvRows.Parse(ActivityCsv.Render([], Language.Ru));

        Assert.Single(rows);
        Assert.Equal(["Роль", "ФИО", "Класс / объединение", "Дней активности", "Сообщений", "Вопросов задано", "Вопросов отвечено",
            "Медиана ответа, ч", "Консультаций: записей", "Консультаций: проведено", "Консультаций: посещено", "Консультаций: пропущено",
            "Материалов опубликовано"], rows[0]);
    }

    [Fact]
    public void Render_WritesTheHeaderAndRolesInEnglish_WhenTheReaderIsEnglish()
    {
        var rows = CsvRows.Parse(ActivityCsv.Render([Student(), Teacher()], Language.En));

        Assert.Equal("Role", rows[0][0]);
        Assert.Equal("Median answer time, h", rows[0][7]);
        Assert.Equal("Materials posted", rows[0][12]);
        Assert.Equal("student", rows[1][0]);
        Assert.Equal("teacher", rows[2][0]);
    }

    [Fact]
    public void Render_WritesHoursWithADecimalComma_InRussian_AndADot_InEnglish()
    {
        var ru = CsvRows.Parse(ActivityCsv.Render([Teacher(median: 26.25)], Language.Ru));
        var en = CsvRows.Parse(ActivityCsv.Render([Teacher(median: 26.25)], Language.En));

        Assert.Equal("26,3", ru[1][7]);
        Assert.Equal("26.3", en[1][7]);
    }

    [Fact]
    public void Render_WritesWholeNumbersWithoutThousandsSeparators()
    {
        var row = CsvRows.Parse(ActivityCsv.Render([Teacher()], Language.Ru))[1];

        Assert.Equal(["учитель", "Петрова Анна Сергеевна", "МО естественных наук", "20", "1234", "5", "4", "26,3", "7", "3", "5", "2", "6"], row);
    }

    [Fact]
    public void Render_LeavesCellsEmpty_ThatDoNotApplyToAStudent_OrWhenNoQuestionWasAnswered()
    {
        var row = CsvRows.Parse(ActivityCsv.Render([Student(median: null)], Language.Ru))[1];

        Assert.Equal(["ученик", "Белова Анна", "7Б", "3", "12", "2", "1", "", "2", "", "1", "1", ""], row);
    }

    [Fact]
    public void Render_NamesAForgottenPerson_DataErased_AndKeepsTheirCounts()
    {
        var row = CsvRows.Parse(ActivityCsv.Render([Student(name: null, group: null)], Language.Ru))[1];

        Assert.Equal("(данные удалены)", row[1]);
        Assert.Equal("", row[2]);
        Assert.Equal("12", row[4]);
    }

    [Theory]
    [InlineData("Иванов; Пётр", "\"Иванов; Пётр\"")]
    [InlineData("Пётр \"Петя\" Иванов", "\"Пётр \"\"Петя\"\" Иванов\"")]
    [InlineData("две\nстроки", "\"две\nстроки\"")]
    [InlineData("возврат\rкаретки", "\"возврат\rкаретки\"")]
    [InlineData("Обычное имя", "Обычное имя")]
    public void Field_QuotesAsRfc4180Says_WhenTheValueHoldsASeparatorQuoteOrLineBreak(string value, string expected) =>
        Assert.Equal(expected, ActivityCsv.Field(value));

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+7 999")]
    [InlineData("@SUM(A1)")]
    [InlineData("-1+2")]
    public void Field_DefusesAFormula_ThatExcelWouldRun(string value) =>
        Assert.StartsWith("'", ActivityCsv.Field(value).TrimStart('"'));

    [Fact]
    public void Render_RoundTripsNamesWithSeparatorsAndQuotes()
    {
        var rows = CsvRows.Parse(ActivityCsv.Render([Student(name: "Иванов; \"Пётр\"\r\nмладший", group: "10 \"А\"")], Language.Ru));

        Assert.Equal("Иванов; \"Пётр\"\r\nмладший", rows[1][1]);
        Assert.Equal("10 \"А\"", rows[1][2]);
        Assert.Equal(13, rows[1].Length);
    }

    [Fact]
    public void FileName_IsActivityAndTheMonth() => Assert.Equal("activity-2026-11.csv", ActivityCsv.FileName(new ReportMonth(2026, 11)));
}
