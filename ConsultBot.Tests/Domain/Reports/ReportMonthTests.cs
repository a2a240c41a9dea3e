using ConsultBot.Domain.Reports;

namespace ConsultBot.Tests.Domain.Reports;

public sealed class ReportMonthTests
{
    [Theory]
    [InlineData("11.2026", 2026, 11)]
    [InlineData("1/2027", 2027, 1)]
    [InlineData("2026-11", 2026, 11)]
    [InlineData("2026.09", 2026, 9)]
    [InlineData("ноябрь 2026", 2026, 11)]
    [InlineData("Ноября 2026", 2026, 11)]
    [InlineData("май 2026", 2026, 5)]
    [InlineData("март 2026", 2026, 3)]
    [InlineData("November 2026", 2026, 11)]
    [InlineData("  сен 2026 ", 2026, 9)]
    public void TryParse_ReadsAMonth_AsPeopleTypeIt(string text, int year, int month)
    {
        Assert.True(ReportMonth.TryParse(text, out var parsed));
        Assert.Equal(new ReportMonth(year, month), parsed);
    }

    [Theory]
    [InlineData("13/2026")]
    [InlineData("0.2026")]
    [InlineData("2026-13")]
    [InlineData("13-2026x")]
    [InlineData("abc")]
    [InlineData("мама 2026")]
    [InlineData("11.26")]
    [InlineData("11.2026.5")]
    [InlineData("")]
    [InlineData("11.1999")]
    public void TryParse_RefusesWhatIsNoMonth(string text) => Assert.False(ReportMonth.TryParse(text, out _));

    [Theory]
    [InlineData("2026-11", true)]
    [InlineData("2026-13", false)]
    [InlineData("13-2026", false)]
    [InlineData("2026-1", false)]
    [InlineData("abc", false)]
    [InlineData("2026-00", false)]
    public void TryParseKey_TakesOnlyYearDashMonth(string text, bool valid) => Assert.Equal(valid, ReportMonth.TryParseKey(text, out _));

    [Fact]
    public void Bounds_AreTheSchoolsLocalMidnights()
    {
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

        var (from, to) = new ReportMonth(2026, 11).Bounds(moscow);

        Assert.Equal(new DateTimeOffset(2026, 10, 31, 21, 0, 0, TimeSpan.Zero), from);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 21, 0, 0, TimeSpan.Zero), to);
    }

    [Fact]
    public void Of_TakesTheSchoolsLocalDate_NotUtcs()
    {
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

        Assert.Equal(new ReportMonth(2026, 12), ReportMonth.Of(new DateTimeOffset(2026, 11, 30, 21, 30, 0, TimeSpan.Zero), moscow));
        Assert.Equal(new ReportMonth(2026, 12), new ReportMonth(2027, 1).Previous);
    }
}
