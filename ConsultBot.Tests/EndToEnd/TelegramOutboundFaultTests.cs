using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// What Telegram answers when a send goes wrong, and what the outbox makes of it: pause on 429, give up on a blocked
/// user, retry 5xx, timeouts and garbled answers, and stop after Outbox:MaxAttempts.
/// </summary>
public sealed class TelegramOutboundFaultTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly TelegramUser _user = new(5001);

    [Fact]
    public async Task Send_ArrivesAfterPause_WhenTelegramAnswers429WithRetryAfter()
    {
        await StartPollingAsync();
        Telegram.FailNextForChat(_user.Id, FakeFault.TooManyRequests(retryAfterSeconds: 1));

        await SendAsync(TelegramUpdates.Text(_user.Id, "/start"));
        var consent = await NextMessageAsync(_user);
        var row = await SingleRowAsync("sent");

        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(1, Telegram.TooManyRequestsCount);
        Assert.Equal(2, Telegram.CallCount("sendMessage"));
        Assert.Single(Telegram.MessagesTo(_user.Id));
        Assert.Equal(1, row.Attempts); // a 429 is a pause, not a failed attempt
    }

    [Fact]
    public async Task Send_MarksRowUndeliverableAndAccountUnreachable_WithoutRetry_WhenUserBlockedBot()
    {
        await StartPollingAsync();
        await SendAsync(TelegramUpdates.Text(_user.Id, "/start"));
        var consent = await NextMessageAsync(_user);
        Telegram.FailNextForChat(_user.Id, FakeFault.BlockedByUser(), count: 100);

        await PressAsync(_user, consent, Ru.ConsentAccept);
        var rows = await EventuallyAsync(() => OutboxAsync(_user.Id), r => r.Count == 2 && r[1].Status != "pending" && r[1].Status != "sending",
            "the role question to be tried");
        var bystander = new TelegramUser(5002); // the dispatcher goes on with other chats meanwhile
        await SendAsync(TelegramUpdates.Text(bystander.Id, "/start"));
        await NextMessageAsync(bystander);

        Assert.Equal("undeliverable", rows[1].Status);
        Assert.Contains("blocked by the user", rows[1].LastError, StringComparison.Ordinal);
        Assert.False((await PersonAsync(_user))!.Reachable);
        var after = await OutboxAsync(_user.Id);
        Assert.Equal(("undeliverable", 1), (after[1].Status, after[1].Attempts));
        Assert.Equal(1, Telegram.FaultCount("sendMessage"));
        Assert.Single(Telegram.MessagesTo(_user.Id));
    }

    [Theory]
    [InlineData("500")]
    [InlineData("502")]
    [InlineData("timeout")]
    [InlineData("malformed-json")]
    public async Task Send_IsRetriedAndDeliveredOnce_WhenTelegramFailsTransientlyOnce(string fault)
    {
        await StartPollingAsync(new Dictionary<string, string?> { ["Telegram:RequestTimeoutSeconds"] = "1" });
        Telegram.FailNextForChat(_user.Id, fault switch
        {
            "timeout" => FakeFault.Timeout(),
            "malformed-json" => FakeFault.MalformedJson(),
            _ => FakeFault.ServerError(int.Parse(fault, System.Globalization.CultureInfo.InvariantCulture)),
        });

        await SendAsync(TelegramUpdates.Text(_user.Id, "/start"));
        var consent = await NextMessageAsync(_user);
        var row = await SingleRowAsync("sent");

        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(2, row.Attempts);
        Assert.Equal(1, Telegram.FaultCount("sendMessage"));
        Assert.Single(Telegram.MessagesTo(_user.Id));
    }

    [Fact]
    public async Task Send_IsRetriedAndDelivered_WhenTelegramClosesConnection()
    {
        await StartPollingAsync();
        Telegram.FailNextForChat(_user.Id, FakeFault.CloseConnection(), count: 3);

        await SendAsync(TelegramUpdates.Text(_user.Id, "/start"));
        var consent = await NextMessageAsync(_user);
        await SingleRowAsync("sent");

        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        Assert.Equal(3, Telegram.FaultCount("sendMessage"));
        Assert.Single(Telegram.MessagesTo(_user.Id));
    }

    [Theory]
    [InlineData("500")]
    [InlineData("timeout")]
    public async Task Sends_KeepChatOrder_WhenFirstOfTwoRepliesFailsTransiently(string fault)
    {
        await AddGroupAsync("7Б");
        await StartPollingAsync(new Dictionary<string, string?> { ["Telegram:RequestTimeoutSeconds"] = "1" });
        await ReachNameStepAsync(_user);
        await SendAsync(TelegramUpdates.Text(_user.Id, "Иван Петров"));
        await PressAsync(_user, await NextMessageAsync(_user), "7Б");
        var age = await NextMessageAsync(_user);
        Telegram.FailNextForChat(_user.Id, fault == "500" ? FakeFault.ServerError() : FakeFault.Timeout());

        await PressAsync(_user, age, Ru.Age14OrOlder); // answered with two messages: registered, then the menu
        var done = await NextMessagesAsync(_user, 2);

        Assert.Equal([Ru.StudentRegistered("Иван Петров", "7Б"), Ru.Menu("Иван Петров")], done.Select(m => m.Text));
    }

    [Fact]
    public async Task Send_EndsFailedWithLastError_AfterMaxAttempts_WhenTelegramAnswers500Always()
    {
        await StartPollingAsync(new Dictionary<string, string?>
        {
            ["Outbox:MaxAttempts"] = "2",
            ["Outbox:RetryBaseDelayMs"] = "50",
        });
        Telegram.FailAlways("sendMessage", FakeFault.ServerError());

        await SendAsync(TelegramUpdates.Text(_user.Id, "/start"));
        var row = await SingleRowAsync("failed");

        Assert.Equal(2, row.Attempts);
        Assert.Contains("500", row.LastError, StringComparison.Ordinal);
        Assert.Equal(2, Telegram.CallCount("sendMessage"));
        Assert.Empty(Telegram.SentMessages);
    }

    [Fact]
    public async Task Send_EndsFailedWithoutRetry_WhenTelegramRejectsMessageWith400()
    {
        await StartPollingAsync();
        Telegram.FailNextForChat(_user.Id, FakeFault.BadRequest("Bad Request: chat not found"));

        await SendAsync(TelegramUpdates.Text(_user.Id, "/start"));
        var row = await SingleRowAsync("failed");

        Assert.Equal(1, row.Attempts);
        Assert.Contains("chat not found", row.LastError, StringComparison.Ordinal);
        Assert.Equal(1, Telegram.CallCount("sendMessage"));
    }

    [Fact]
    public async Task Sends_GetNo429_WhenTelegramEnforcesItsFloodLimits()
    {
        // Telegram's per-chat limit (a burst of 3, then 1/s) enforced by the fake; the host is configured a little
        // below it, as a deployment would be, so that clock granularity cannot make its bucket overtake the fake's.
        await ReplaceFakeAsync(new FakeTelegramApiOptions { RateLimits = new FakeRateLimits(GlobalPerSecond: 30, PerChatPerSecond: 1, PerChatBurst: 3) });
        await StartPollingAsync(new Dictionary<string, string?>
        {
            ["Telegram:MessagesPerSecond"] = "30",
            ["Telegram:PerChatPerSecond"] = "0.8",
            ["Telegram:PerChatBurst"] = "3",
        });
        var warmUp = new TelegramUser(5003); // the first send of a process is slow; it must not skew the buckets below
        await SendAsync(TelegramUpdates.Text(warmUp.Id, "/start"));
        await NextMessageAsync(warmUp);

        for (var i = 0; i < 5; i++)
        {
            await SendAsync(TelegramUpdates.Text(_user.Id, "привет " + i));
        }
        var consents = await NextMessagesAsync(_user, 5);

        Assert.All(consents, m => Assert.Equal(Ru.Consent(SchoolName), m.Text));
        Assert.Equal(0, Telegram.TooManyRequestsCount);
        var rows = await EventuallyAsync(() => OutboxAsync(_user.Id), r => r.All(x => x.Status == "sent"), "every row to be marked sent");
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));
    }

    private async Task<OutboxRowState> SingleRowAsync(string status)
    {
        var rows = await EventuallyAsync(() => OutboxAsync(_user.Id), r => r.Count == 1 && r[0].Status == status,
            $"the outbox row to be {status}");
        return rows[0];
    }
}
