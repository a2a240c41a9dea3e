using ConsultBot.Domain.Consultations;

namespace ConsultBot.Tests.Domain.Consultations;

public sealed class SchoolDateInputTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    // Wednesday 25 November 2026, 12:00 in Moscow.
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("25.11 15:00", "2026-11-25T15:00:00+03:00")]
    [InlineData("  26.11.2026 9:30 ", "2026-11-26T09:30:00+03:00")]
    [InlineData("26.11.26 09:30", "2026-11-26T09:30:00+03:00")]
    [InlineData("завтра 15:30", "2026-11-26T15:30:00+03:00")]
    [InlineData("Сегодня 8:05", "2026-11-25T08:05:00+03:00")]
    [InlineData("tomorrow 15:30", "2026-11-26T15:30:00+03:00")]
    [InlineData("15.01 10:00", "2027-01-15T10:00:00+03:00")]
    public void TryParse_ReadsSchoolLocalTime(string input, string expected)
    {
        Assert.Equal(DateInputError.None, SchoolDateInput.TryParse(input, Now, Moscow, out var instant));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), instant);
    }

    [Theory]
    [InlineData("31.02 10:00", DateInputError.NoSuchDate)]
    [InlineData("29.02.2027 10:00", DateInputError.NoSuchDate)]
    [InlineData("13.13 10:00", DateInputError.NoSuchDate)]
    [InlineData("25.11 25:61", DateInputError.NoSuchTime)]
    [InlineData("25.11 24:00", DateInputError.NoSuchTime)]
    [InlineData("25.11 8.30", DateInputError.Unrecognised)]
    [InlineData("next friday", DateInputError.Unrecognised)]
    [InlineData("", DateInputError.Unrecognised)]
    [InlineData(null, DateInputError.Unrecognised)]
    public void TryParse_RefusesImpossibleOrUnreadableInput(string? input, DateInputError expected) =>
        Assert.Equal(expected, SchoolDateInput.TryParse(input, Now, Moscow, out _));

    [Fact]
    public void TryParse_RefusesTimeSkippedByClockChange()
    {
        // Berlin moves from 02:00 to 03:00 on 28 March 2027.
        Assert.Equal(DateInputError.SkippedByClockChange, SchoolDateInput.TryParse("28.03.2027 02:30", Now, Berlin, out _));
    }

    [Fact]
    public void TryParse_UsesTheOffsetOfEachSideOfAClockChange()
    {
        Assert.Equal(DateInputError.None, SchoolDateInput.TryParse("27.03.2027 10:00", Now, Berlin, out var winter));
        Assert.Equal(DateInputError.None, SchoolDateInput.TryParse("29.03.2027 10:00", Now, Berlin, out var summer));

        Assert.Equal(TimeSpan.FromHours(1), winter.Offset);
        Assert.Equal(TimeSpan.FromHours(2), summer.Offset);
        Assert.Equal(TimeSpan.FromHours(47), summer - winter);
    }

    [Fact]
    public void TryParse_TakesTheEarlierInstant_WhenClocksGoBack()
    {
        // Berlin goes from 03:00 back to 02:00 on 31 October 2027: 02:30 happens twice.
        Assert.Equal(DateInputError.None, SchoolDateInput.TryParse("31.10.2027 02:30", Now, Berlin, out var instant));

        Assert.Equal(new DateTimeOffset(2027, 10, 31, 0, 30, 0, TimeSpan.Zero), instant.ToUniversalTime());
    }
}
