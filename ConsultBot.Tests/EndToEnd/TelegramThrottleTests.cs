using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// The per-person rate limit through the fake Bot API: one user floods the bot with a hundred messages, gets answers
/// to the allowed ones and exactly one "please slow down"; another user at the same time is answered normally. The limit
/// refills one message a minute here, so nothing refills while the flood is sent.
/// </summary>
public sealed class TelegramThrottleTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private const int Allowance = 10; // MessagesPerMinute 1 + Burst 9
    private readonly TelegramUser _flooder = new(8101);
    private readonly TelegramUser _calm = new(8102);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await StartWebhookAsync(new Dictionary<string, string?> { ["Abuse:MessagesPerMinute"] = "1", ["Abuse:Burst"] = "9" });
    }

    [Fact]
    public async Task Flood_GetsTheAllowedAnswersAndOneSlowDown_WhileAnotherUserIsAnswered()
    {
        for (var i = 0; i < 100; i++)
        {
            await SendAsync(TelegramUpdates.Text(_flooder.Id, "/help"));
        }
        await SendAsync(TelegramUpdates.Text(_calm.Id, "/help"));

        Assert.StartsWith("Я бот консультаций школы.", (await NextMessageAsync(_calm)).Text, StringComparison.Ordinal);
        var answers = await NextMessagesAsync(_flooder, Allowance + 1);
        Assert.All(answers.Take(Allowance), m => Assert.StartsWith("Я бот консультаций школы.", m.Text, StringComparison.Ordinal));
        Assert.Equal(Ru.SlowDown, answers[Allowance].Text);
        Assert.Equal(101, await CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'telegram'"));
        await EventuallyAsync(() => CountAsync("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"), n => n == 0, "the outbox to drain");
        Assert.Equal(Allowance + 1, Telegram.MessagesTo(_flooder.Id).Count);
        Assert.Single(Telegram.MessagesTo(_calm.Id));
    }
}
