using ConsultBot.Domain.Conversations;

namespace ConsultBot.Tests.Domain.Timetable;

public sealed class TimetableImportFeatureTests
{
    [Fact]
    public void ParseHoliday_ReadsRangeAndName() =>
        Assert.Equal((new DateOnly(2026, 12, 30), new DateOnly(2027, 1, 8), "Зимние каникулы"),
            TimetableImportFeature.ParseHoliday("30.12.2026-08.01.2027 Зимние каникулы"));

    [Fact]
    public void ParseHoliday_ReadsOneDayWithoutName() =>
        Assert.Equal((new DateOnly(2026, 11, 4), new DateOnly(2026, 11, 4), ""), TimetableImportFeature.ParseHoliday("04.11.2026"));

    [Theory]
    [InlineData("завтра")]
    [InlineData("08.01.2027-30.12.2026 наоборот")]
    [InlineData("01.01.2026-01.01.2028 слишком долго")]
    public void ParseHoliday_RefusesBadInput(string text) => Assert.Null(TimetableImportFeature.ParseHoliday(text));
}
