using ConsultBot.Domain.SchoolDirectory;

namespace ConsultBot.Tests.Domain.SchoolDirectory;

/// <summary>How typed directory values are cleaned and measured before they reach the schema's CHECKs.</summary>
public sealed class DirectoryLimitsTests
{
    [Theory]
    [InlineData("  Физика   и\tастрономия ", 2, 100, "Физика и астрономия")]
    [InlineData("Ф", 2, 100, null)]
    [InlineData("   ", 1, 100, null)]
    [InlineData("ab\u0007c", 1, 100, null)]
    public void Clean_CollapsesSpacesAndChecksLength_OnOneLine(string input, int min, int max, string? expected) =>
        Assert.Equal(expected, DirectoryLimits.Clean(input, min, max));

    [Fact]
    public void Clean_KeepsLineBreaksOfANote_AndCountsThemOnce()
    {
        Assert.Equal("Кабинет 214\nпо средам", DirectoryLimits.Clean("Кабинет 214\r\nпо средам ", 1, 300, singleLine: false));
        Assert.Equal(300, DirectoryLimits.Clean(new string('н', 300), 1, 300, singleLine: false)!.Length);
        Assert.Null(DirectoryLimits.Clean(new string('н', 301), 1, 300, singleLine: false));
    }

    [Theory]
    [InlineData("12", 12L)]
    [InlineData("0", null)]
    [InlineData("-3", null)]
    [InlineData("1e3", null)]
    [InlineData("", null)]
    [InlineData("99999999999999999999", null)]
    public void ParseId_AcceptsOnlyPositiveIntegers(string arg, long? expected) => Assert.Equal(expected, DirectoryLimits.ParseId(arg));
}
