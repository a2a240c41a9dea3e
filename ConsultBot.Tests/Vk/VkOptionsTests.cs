using ConsultBot.Host.Vk;

namespace ConsultBot.Tests.Vk;

public sealed class VkOptionsTests
{
    private static IEnumerable<string> Errors(VkOptions o) => new VkOptionsValidator().Validate(null, o).Failures ?? [];

    [Fact]
    public void Validate_Succeeds_WhenVkIsOff() => Assert.Empty(Errors(new VkOptions()));

    [Fact]
    public void Validate_Succeeds_ForLongPollAndForCallback()
    {
        Assert.Empty(Errors(new VkOptions { GroupId = "227000001", AccessToken = "vk1.a.0123456789abcdef" }));
        Assert.Empty(Errors(new VkOptions
        {
            GroupId = "227000001", AccessToken = "vk1.a.0123456789abcdef", CallbackConfirmation = "a1b2c3", CallbackSecret = "s3cret",
        }));
    }

    [Theory]
    [InlineData("-227", "vk1.a.0123456789abcdef", "Vk__GroupId")]
    [InlineData("227", "", "Vk__AccessToken")]
    [InlineData("", "vk1.a.0123456789abcdef", "Vk__GroupId")]
    [InlineData("227", "short", "Vk__AccessToken")]
    public void Validate_NamesTheKey_WhenGroupOrTokenIsWrong(string group, string token, string key) =>
        Assert.Contains(Errors(new VkOptions { GroupId = group, AccessToken = token }), e => e.Contains(key, StringComparison.Ordinal));

    [Fact]
    public void Validate_RequiresTheSecret_WithTheCallbackApi() =>
        Assert.Contains(Errors(new VkOptions { GroupId = "227", AccessToken = "vk1.a.0123456789abcdef", CallbackConfirmation = "abc" }),
            e => e.Contains("Vk__CallbackSecret", StringComparison.Ordinal));

    [Fact]
    public void Validate_NamesTheKey_ForBadNumbersAndUrls()
    {
        var errors = Errors(new VkOptions { ApiBaseUrl = "ftp://x", ApiVersion = "latest", RequestsPerSecond = 0, LongPollWaitSeconds = 0 }).ToList();

        Assert.Contains(errors, e => e.Contains("Vk__ApiBaseUrl", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Vk__ApiVersion", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Vk__RequestsPerSecond", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Vk__LongPollWaitSeconds", StringComparison.Ordinal));
    }
}
