using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConsultBot.Tests.Fakes;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// The fake Bot API server spoken to by the real Telegram.Bot client: proves the fake is faithful enough for the
/// end-to-end tests and the benchmarks to mean something.
/// </summary>
public sealed class FakeTelegramApiTests : IAsyncLifetime
{
    private const long Chat = 777;
    private FakeTelegramApi _api = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeTelegramApi.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task GetMe_ReturnsConfiguredBot_WhenTokenMatches()
    {
        var me = await Client().GetMe();

        Assert.True(me.IsBot);
        Assert.Equal("consultbot_test_bot", me.Username);
        Assert.Equal(123456, me.Id);
        Assert.Equal(1, _api.CallCount("getMe"));
        Assert.Equal(1, _api.CallCount("GETME"));
    }

    [Fact]
    public async Task AnyMethod_Returns401Unauthorized_WhenTokenIsOther()
    {
        var other = Client(token: "654321:OTHER-token");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => other.GetMe());

        Assert.Equal(401, error.ErrorCode);
        Assert.Equal(0, _api.CallCount("getMe"));
    }

    [Fact]
    public async Task MethodName_IsMatchedCaseInsensitively_WhenCalledOverRawHttp()
    {
        using var response = await _http.PostAsync($"{_api.BaseUrl}/bot{_api.Token}/SENDMESSAGE",
            new StringContent("""{"chat_id":777,"text":"hi"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True((bool)body["ok"]!);
        Assert.Equal("hi", (string?)body["result"]!["text"]);
        Assert.Equal("hi", Assert.Single(_api.MessagesTo(Chat)).Text);
    }

    [Fact]
    public async Task GetUpdates_ReturnsUpToLimitAndDropsConfirmed_WhenOffsetAdvances()
    {
        var first = _api.EnqueueUpdate(TelegramUpdates.Text(Chat, "one"));
        var second = _api.EnqueueUpdate(TelegramUpdates.Text(Chat, "two"));
        var third = _api.EnqueueUpdate(TelegramUpdates.Text(Chat, "three"));
        var client = Client();

        var page1 = await client.GetUpdates(limit: 2, timeout: 0);
        var again = await client.GetUpdates(limit: 2, timeout: 0);
        var page2 = await client.GetUpdates(offset: (int)second + 1, timeout: 0);
        var empty = await client.GetUpdates(offset: (int)third + 1, timeout: 0);

        Assert.Equal([first, second], page1.Select(u => (long)u.Id));
        Assert.Equal(["one", "two"], page1.Select(u => u.Message!.Text));
        Assert.Equal([first, second], again.Select(u => (long)u.Id)); // not confirmed yet: delivered again
        Assert.Equal(third, Assert.Single(page2).Id);
        Assert.Empty(empty);
        Assert.Equal(0, _api.PendingUpdateCount);
        Assert.Equal(third + 1, _api.ConfirmedOffset);
    }

    [Fact]
    public async Task GetUpdates_ReturnsEmpty_WhenNothingArrivesWithinTimeout()
    {
        var updates = await Client().GetUpdates(timeout: 1);

        Assert.Empty(updates);
    }

    [Fact]
    public async Task GetUpdates_ReturnsUpdate_WhenItArrivesDuringLongPoll()
    {
        var poll = Client().GetUpdates(timeout: 30);
        await _api.WaitForCallsAsync("getUpdates", 1, TimeSpan.FromSeconds(10));

        var id = _api.EnqueueUpdate(TelegramUpdates.Text(Chat, "/start"));
        var updates = await poll.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(id, Assert.Single(updates).Id);
    }

    [Fact]
    public async Task GetUpdates_SkipsUpdateTypes_WhenNotInAllowedUpdates()
    {
        _api.EnqueueUpdate(TelegramUpdates.ChannelPost(-1001234567890, "news"));
        var text = _api.EnqueueUpdate(TelegramUpdates.Text(Chat, "hello"));

        var updates = await Client().GetUpdates(timeout: 0, allowedUpdates: [UpdateType.Message, UpdateType.CallbackQuery]);

        Assert.Equal(text, Assert.Single(updates).Id);
        Assert.Equal(1, _api.FilteredUpdateCount);
        Assert.Equal(["message", "callback_query"], _api.AllowedUpdates);
    }

    [Fact]
    public async Task GetUpdates_Returns409Conflict_WhenWebhookIsSet()
    {
        var client = Client();
        await client.SetWebhook("https://bot.example/telegram/webhook", secretToken: "s3cret_-X",
            allowedUpdates: [UpdateType.Message, UpdateType.CallbackQuery]);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => client.GetUpdates(timeout: 0));

        Assert.Equal(409, error.ErrorCode);
        var hook = Assert.Single(_api.WebhookRegistrations);
        Assert.Equal("https://bot.example/telegram/webhook", hook.Url);
        Assert.Equal("s3cret_-X", hook.SecretToken);
        Assert.Equal(["message", "callback_query"], hook.AllowedUpdates);

        await client.DeleteWebhook();
        Assert.Null(_api.Webhook);
        Assert.Empty(await client.GetUpdates(timeout: 0));
    }

    [Fact]
    public async Task GetUpdates_EndsOlderLongPollWithConflict_WhenSecondPollerArrives()
    {
        var older = Client().GetUpdates(timeout: 30);
        await _api.WaitForCallsAsync("getUpdates", 1, TimeSpan.FromSeconds(10));

        var newer = Client().GetUpdates(timeout: 0);

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => older.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(409, error.ErrorCode);
        Assert.Empty(await newer);
    }

    [Fact]
    public async Task SendMessage_RecordsTextAndButtonsWithIncreasingIds_WhenAccepted()
    {
        var client = Client();
        var keyboard = new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("Да", "ag:3:0")]]);

        var first = await client.SendMessage(Chat, "Привет", replyMarkup: keyboard);
        var second = await client.SendMessage(Chat, "Ещё");

        Assert.True(second.MessageId > first.MessageId);
        Assert.Equal(Chat, first.Chat.Id);
        Assert.Equal("Привет", first.Text);
        var sent = _api.MessagesTo(Chat);
        Assert.Equal(["Привет", "Ещё"], sent.Select(m => m.Text));
        Assert.Equal(2, _api.SentMessageCount);
        Assert.Equal("ag:3:0", sent[0].Button("Да").CallbackData);
        Assert.Empty(sent[1].Buttons);
    }

    [Fact]
    public async Task SendMessage_Returns400_WhenTextIsTooLongOrButtonDataOversized()
    {
        var client = Client();

        var tooLong = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendMessage(Chat, new string('я', 4097)));
        var badButton = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendMessage(Chat, "x",
            replyMarkup: new InlineKeyboardMarkup([[InlineKeyboardButton.WithCallbackData("x", new string('a', 65))]])));

        Assert.Equal(400, tooLong.ErrorCode);
        Assert.Equal(400, badButton.ErrorCode);
        Assert.Empty(_api.SentMessages);
    }

    [Fact]
    public async Task SendMessage_Returns429WithRetryAfter_WhenPerChatBurstIsExceeded()
    {
        await using var limited = await FakeTelegramApi.StartAsync(new FakeTelegramApiOptions
        {
            RateLimits = new FakeRateLimits(GlobalPerSecond: 30, PerChatPerSecond: 1, PerChatBurst: 3),
        });
        var client = Client(limited);
        for (var i = 0; i < 3; i++)
        {
            await client.SendMessage(Chat, "m" + i);
        }

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendMessage(Chat, "one too many"));
        await client.SendMessage(Chat + 1, "another chat has its own bucket");

        Assert.Equal(429, error.ErrorCode);
        Assert.True(error.Parameters?.RetryAfter >= 1, "retry_after is given");
        Assert.Equal(1, limited.TooManyRequestsCount);
        Assert.Equal(1, limited.RateLimitedCount);
        Assert.Equal(3, limited.MessagesTo(Chat).Count);
        Assert.Single(limited.MessagesTo(Chat + 1));
    }

    [Fact]
    public async Task SendMessage_Returns429_WhenGlobalBucketIsEmpty()
    {
        await using var limited = await FakeTelegramApi.StartAsync(new FakeTelegramApiOptions
        {
            // One token refilled every 5 s: a slow machine cannot refill the bucket between the two sends.
            RateLimits = new FakeRateLimits(GlobalPerSecond: 0.2, PerChatPerSecond: 10, PerChatBurst: 10),
        });
        var client = Client(limited);
        await client.SendMessage(1, "a");

        var error = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendMessage(2, "another chat, the same bot"));

        Assert.Equal(429, error.ErrorCode);
        Assert.Equal(1, limited.RateLimitedCount);
    }

    [Fact]
    public async Task FailNext_ReachesClientForNextCallsOnly_WhenApiErrorsInjected()
    {
        var client = Client();
        _api.FailNext("sendMessage", FakeFault.TooManyRequests(7));
        _api.FailNext("sendMessage", FakeFault.BlockedByUser());
        _api.FailNext("sendMessage", FakeFault.ServerError());
        _api.FailNext("sendMessage", FakeFault.BadRequest("Bad Request: chat not found"));

        var tooMany = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendMessage(Chat, "1"));
        var blocked = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendMessage(Chat, "2"));
        var server = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendMessage(Chat, "3"));
        var bad = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendMessage(Chat, "4"));
        await client.SendMessage(Chat, "5");

        Assert.Equal(429, tooMany.ErrorCode);
        Assert.Equal(7, tooMany.Parameters?.RetryAfter);
        Assert.Equal(403, blocked.ErrorCode);
        Assert.Contains("blocked by the user", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(500, server.ErrorCode);
        Assert.Equal(400, bad.ErrorCode);
        Assert.Equal("5", Assert.Single(_api.SentMessages).Text);
        Assert.Equal(5, _api.CallCount("sendMessage"));
        Assert.Equal(4, _api.FaultCount("sendMessage"));
        Assert.Equal(1, _api.TooManyRequestsCount);
    }

    [Fact]
    public async Task FailNext_FailsRequestWithoutRecordingMessage_WhenTransportFaultsInjected()
    {
        var client = Client(timeout: TimeSpan.FromSeconds(1));
        _api.FailNext("sendMessage", FakeFault.MalformedJson());
        _api.FailNext("sendMessage", FakeFault.Timeout());

        await Assert.ThrowsAsync<RequestException>(() => client.SendMessage(Chat, "garbled"));
        var timedOut = await Record.ExceptionAsync(() => client.SendMessage(Chat, "held"));
        await client.SendMessage(Chat, "fine");

        Assert.True(timedOut is RequestException or OperationCanceledException, $"timeout surfaced as {timedOut?.GetType().Name}");
        Assert.Equal("fine", Assert.Single(_api.SentMessages).Text);
    }

    [Fact]
    public async Task CloseConnectionFault_FailsTheRequest_WhenNoRetryIsLeft()
    {
        var client = Client();
        _api.FailAlways("getMe", FakeFault.CloseConnection());

        var error = await Record.ExceptionAsync(() => client.GetMe());
        _api.ClearFaults();
        var me = await client.GetMe();

        Assert.IsType<RequestException>(error);
        Assert.Equal("consultbot_test_bot", me.Username);
    }

    [Fact]
    public async Task FailNextForChat_FailsOnlyThatChat_WhenOtherChatsAreSentTo()
    {
        var client = Client();
        _api.FailNextForChat(Chat, FakeFault.BlockedByUser(), count: 2);

        await client.SendMessage(Chat + 1, "other chat");
        var error = await Assert.ThrowsAsync<ApiRequestException>(() => client.SendMessage(Chat, "blocked"));

        Assert.Equal(403, error.ErrorCode);
        Assert.Single(_api.MessagesTo(Chat + 1));
        Assert.Empty(_api.MessagesTo(Chat));
    }

    [Fact]
    public async Task AnswerCallbackQuery_RecordsFirstAndRefusesSecond_WhenQueryAnsweredTwice()
    {
        var client = Client();

        await client.AnswerCallbackQuery("q1", "Готово");
        var again = await Assert.ThrowsAsync<ApiRequestException>(() => client.AnswerCallbackQuery("q1", "Опять"));

        var answer = Assert.Single(_api.CallbackAnswers);
        Assert.Equal("q1", answer.CallbackQueryId);
        Assert.Equal("Готово", answer.Text);
        Assert.Equal(400, again.ErrorCode);
        Assert.Equal(1, _api.RejectedCallbackAnswerCount);
    }

    public static TheoryData<string, MessageType> ContentUpdates => new()
    {
        { "sticker", MessageType.Sticker },
        { "photo", MessageType.Photo },
        { "voice", MessageType.Voice },
        { "location", MessageType.Location },
        { "contact", MessageType.Contact },
    };

    [Theory]
    [MemberData(nameof(ContentUpdates))]
    public async Task UpdateBuilders_ProduceMessagesTelegramBotReads_WhenContentIsNotText(string kind, MessageType expected)
    {
        _api.EnqueueUpdate(kind switch
        {
            "sticker" => TelegramUpdates.Sticker(Chat),
            "photo" => TelegramUpdates.Photo(Chat),
            "voice" => TelegramUpdates.Voice(Chat),
            "location" => TelegramUpdates.Location(Chat),
            _ => TelegramUpdates.Contact(Chat),
        });

        var update = Assert.Single(await Client().GetUpdates(timeout: 0));

        Assert.Equal(expected, update.Message!.Type);
        Assert.Equal(ChatType.Private, update.Message.Chat.Type);
    }

    [Fact]
    public async Task UpdateBuilders_ProduceUpdatesTelegramBotReads_WhenCallbackEditGroupOrMembership()
    {
        var callback = TelegramUpdates.Callback(Chat, "ro:2:s");
        _api.EnqueueUpdate(callback);
        _api.EnqueueUpdate(TelegramUpdates.EditedText(Chat, "fixed"));
        _api.EnqueueUpdate(TelegramUpdates.GroupText(-1001234567890, Chat, "hi all"));
        _api.EnqueueUpdate(TelegramUpdates.MyChatMember(Chat, "kicked"));
        _api.EnqueueUpdate(new { message = new { message_id = 5, date = 1, chat = new { id = Chat, type = "private" }, text = "anon" } });

        var updates = await Client().GetUpdates(timeout: 0);

        Assert.Equal(5, updates.Length);
        Assert.Equal("ro:2:s", updates[0].CallbackQuery!.Data);
        Assert.Equal(TelegramUpdates.CallbackId(callback), updates[0].CallbackQuery!.Id);
        Assert.Equal(Chat, updates[0].CallbackQuery!.Message!.Chat.Id);
        Assert.Equal("fixed", updates[1].EditedMessage!.Text);
        Assert.Equal(ChatType.Supergroup, updates[2].Message!.Chat.Type);
        Assert.Equal(ChatMemberStatus.Kicked, updates[3].MyChatMember!.NewChatMember.Status);
        Assert.Equal("anon", updates[4].Message!.Text);
    }

    private TelegramBotClient Client(FakeTelegramApi? api = null, string? token = null, TimeSpan? timeout = null)
    {
        api ??= _api;
        var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        return new TelegramBotClient(new TelegramBotClientOptions(token ?? api.Token, api.BaseUrl) { RetryCount = 0 }, http);
    }
}
