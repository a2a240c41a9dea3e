using System.Net;
using System.Text.Json.Nodes;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>The Callback API endpoint: confirmation, the secret on every request, VK's retries, bad bodies.</summary>
public sealed class VkCallbackApiTests(PostgresFixture db) : VkEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly VkTestUser _user = new(190101);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await StartCallbackAsync();
    }

    private JsonObject Stamped(JsonObject update, string? secret)
    {
        Vk.Stamp(update);
        if (secret is not null)
        {
            update["secret"] = secret;
        }
        return update;
    }

    [Fact]
    public async Task Confirmation_AnswersTheConfiguredCode()
    {
        using var response = await PostCallbackAsync(new JsonObject { ["type"] = "confirmation", ["group_id"] = Vk.GroupId, ["secret"] = CallbackSecret }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Confirmation, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret")]
    [InlineData("")]
    public async Task Event_Is403AndNothingIsStored_WhenTheSecretIsMissingOrWrong(string? secret)
    {
        using var response = await PostCallbackAsync(Stamped(VkUpdates.Text(_user.Id, "/start"), secret).ToJsonString());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM processed_updates"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task Event_Is403_WhenItIsForAnotherCommunity()
    {
        var update = Stamped(VkUpdates.Text(_user.Id, "/start"), CallbackSecret);
        update["group_id"] = Vk.GroupId + 1;

        using var response = await PostCallbackAsync(update.ToJsonString());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM processed_updates"));
    }

    [Fact]
    public async Task SameEventTwice_IsProcessedOnce_WhenVkRetries()
    {
        var body = Stamped(VkUpdates.Text(_user.Id, "/start"), CallbackSecret).ToJsonString();

        using var first = await PostCallbackAsync(body);
        using var retry = await PostCallbackAsync(body, retry: 1);

        Assert.Equal("ok", await first.Content.ReadAsStringAsync());
        Assert.Equal("ok", await retry.Content.ReadAsStringAsync());
        await Vk.WaitForMessagesAsync(_user.Id, 1, Patience);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'vk'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM outbox WHERE channel = 'vk'"));
        Assert.Single(Vk.SentTo(_user.Id));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"object\":{}}")]
    public async Task MalformedBody_Is400(string body)
    {
        using var response = await PostCallbackAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM processed_updates"));
    }

    [Fact]
    public async Task UnknownEventType_IsOkAndIgnored()
    {
        var update = Stamped(new JsonObject { ["type"] = "wall_post_new", ["object"] = new JsonObject { ["id"] = 1 } }, CallbackSecret);

        using var response = await PostCallbackAsync(update.ToJsonString());

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'vk'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task TooLargeBody_Is413()
    {
        var update = Stamped(VkUpdates.Text(_user.Id, new string('a', 1_100_000)), CallbackSecret);

        using var response = await PostCallbackAsync(update.ToJsonString());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
