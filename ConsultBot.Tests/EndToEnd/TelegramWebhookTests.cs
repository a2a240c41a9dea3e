using System.Net;
using System.Text;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>The Telegram channel in webhook mode: the test posts updates to /telegram/webhook as Telegram would.</summary>
public sealed class TelegramWebhookTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Startup_RegistersWebhookWithSecretAndNeverPolls_WhenWebhookUrlIsSet()
    {
        await StartWebhookAsync();

        var hook = Assert.Single(Telegram.WebhookRegistrations);
        Assert.Equal(WebhookUrl, hook.Url);
        Assert.Equal(WebhookSecret, hook.SecretToken);
        Assert.Equal(["message", "edited_message", "callback_query", "my_chat_member"], hook.AllowedUpdates);
        Assert.Equal(0, Telegram.CallCount("getUpdates"));
        Assert.Equal(0, Telegram.CallCount("deleteWebhook"));
    }

    [Fact]
    public async Task Webhook_Returns200AndBotReplies_WhenSecretMatches()
    {
        await StartWebhookAsync();
        var user = new TelegramUser(2001);

        using var response = await PostWebhookAsync(TelegramUpdates.Text(user.Id, "/start").WithUpdateId(1).ToJsonString(), WebhookSecret);
        var consent = await NextMessageAsync(user);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates"));
    }

    [Fact]
    public async Task Webhook_AnswersCallbackAndContinuesDialog_WhenButtonIsPressed()
    {
        await StartWebhookAsync();
        var user = new TelegramUser(2002);
        await SendAsync(TelegramUpdates.Text(user.Id, "/start"));
        var consent = await NextMessageAsync(user);

        var accept = await PressAsync(user, consent, Ru.ConsentAccept);
        var roles = await NextMessageAsync(user);

        Assert.Equal(Ru.Done, (await AnswerToAsync(accept)).Text);
        Assert.Equal(Ru.ChooseRole, roles.Text);
        Assert.Equal("registering", (await PersonAsync(user))!.Status);
    }

    [Fact]
    public async Task Webhook_AnswersButtonInItsResponse_WithoutARequestOfItsOwn()
    {
        await StartWebhookAsync();
        var user = new TelegramUser(2003);
        await SendAsync(TelegramUpdates.Text(user.Id, "/start"));
        var consent = await NextMessageAsync(user);
        var press = TelegramUpdates.Callback(user.Id, consent.Button(Ru.ConsentAccept).CallbackData).WithUpdateId(990_001);

        using var response = await PostWebhookAsync(press.ToJsonString(), WebhookSecret);
        var reply = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("answerCallbackQuery", reply["method"]!.GetValue<string>());
        Assert.Equal(TelegramUpdates.CallbackId(press), reply["callback_query_id"]!.GetValue<string>());
        Assert.Equal(Ru.Done, reply["text"]!.GetValue<string>());
        await NextMessageAsync(user);
        Assert.Equal(0, Telegram.CallCount("answerCallbackQuery"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-secret")]
    [InlineData(WebhookSecret + "x")]
    [InlineData("e2e_webhook-secret-42")]
    public async Task Webhook_Returns403AndStoresNothing_WhenSecretIsMissingOrWrong(string? secret)
    {
        await StartWebhookAsync();

        using var response = await PostWebhookAsync(TelegramUpdates.Text(2003, "/start").WithUpdateId(1).ToJsonString(), secret);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM processed_updates"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"update_id":"seven"}""")]
    public async Task Webhook_Returns400AndStoresNothing_WhenBodyIsNotAnUpdate(string body)
    {
        await StartWebhookAsync();

        using var response = await PostWebhookAsync(body, WebhookSecret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM processed_updates"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Webhook_Returns413AndStoresNothing_WhenBodyExceedsMaxWebhookBodyBytes(bool chunked)
    {
        await StartWebhookAsync(new Dictionary<string, string?> { ["Telegram:MaxWebhookBodyBytes"] = "2048" });
        var user = new TelegramUser(2004);
        var body = Encoding.UTF8.GetBytes(TelegramUpdates.Text(user.Id, new string('x', 3000)).WithUpdateId(1).ToJsonString());
        HttpContent content = chunked ? new StreamContent(new NonSeekableStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await PostWebhookAsync(content, WebhookSecret);
        await SendAsync(TelegramUpdates.Text(user.Id, "/start")); // a normal update right after still works
        var consent = await NextMessageAsync(user);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates"));
    }

    [Fact]
    public async Task Webhook_RepliesOnce_WhenTelegramDeliversSameUpdateAgain()
    {
        await StartWebhookAsync();
        var user = new TelegramUser(2005);
        var body = TelegramUpdates.Text(user.Id, "/start").WithUpdateId(42).ToJsonString();

        using var first = await PostWebhookAsync(body, WebhookSecret);
        using var second = await PostWebhookAsync(body, WebhookSecret);
        await NextMessageAsync(user);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode); // Telegram must stop resending
        Assert.Single(await OutboxAsync(user.Id));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates"));
        Assert.Single(Telegram.MessagesTo(user.Id));
    }

    [Fact]
    public async Task Webhook_RepliesOnce_WhenSameUpdateArrivesConcurrently()
    {
        await StartWebhookAsync();
        var user = new TelegramUser(2006);
        var body = TelegramUpdates.Text(user.Id, "/start").WithUpdateId(43).ToJsonString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostWebhookAsync(body, WebhookSecret)));
        await NextMessageAsync(user);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(await OutboxAsync(user.Id));
        Assert.Single(Telegram.MessagesTo(user.Id));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ChannelPost_GetsNoReplyAndStoresOnlyDedupeMark_WhenPostedToWebhook()
    {
        await StartWebhookAsync();

        var id = await SendAsync(TelegramUpdates.ChannelPost(-1009876543210, "Завтра уроков нет"));

        await WaitForProcessedAsync(id);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM persons"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM accounts"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chat_notices"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM audit_log"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM processed_updates"));
    }

    /// <summary>Makes HttpClient send the body chunked, without a Content-Length.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
