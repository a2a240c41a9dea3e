using ConsultBot.Domain.Consultations;
using ConsultBot.Host.Outbox;

namespace ConsultBot.Tests.Outbox;

public sealed class MessageTextTests
{
    [Fact]
    public void Fit_KeepsAShortText() => Assert.Equal("Привет", MessageText.Fit("Привет"));

    [Fact]
    public void Fit_ShortensALongTextToTheMessengersLimit_WithAnEllipsis()
    {
        var fitted = MessageText.Fit(new string('я', 5000));

        Assert.Equal(MessageText.MaxLength, fitted.Length);
        Assert.EndsWith("я…", fitted, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NeverSplitsASurrogatePair()
    {
        var text = new string('a', 4094) + "😀😀";

        var fitted = MessageText.Fit(text);

        Assert.Equal(new string('a', 4094) + "…", fitted);
    }

    [Fact]
    public void SafeLink_RefusesALinkWhoseEscapedFormIsTooLong()
    {
        var cyrillic = "https://edu.example.org/" + new string('ж', 700); // 724 typed, over 4,000 escaped

        Assert.Null(SafeLink.TryCreate(cyrillic));
        Assert.NotNull(SafeLink.TryCreate("https://edu.example.org/" + new string('ж', 300)));
    }

    [Theory]
    [InlineData("Https://meet.example.org/5A", "https://meet.example.org/5A")]
    [InlineData("HTTP://x.example", "http://x.example")]
    [InlineData("https://x.example/Path", "https://x.example/Path")]
    public void SafeLink_Normalize_LowersTheSchemeOnly(string typed, string stored) => Assert.Equal(stored, SafeLink.Normalize(typed));
}
