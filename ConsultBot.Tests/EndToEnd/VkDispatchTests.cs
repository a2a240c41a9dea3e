using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>VK and Telegram in one host: a backlog of one channel does not hold up the other's replies.</summary>
public sealed class VkDispatchTests(PostgresFixture db) : VkEndToEndTest(db), IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task VkReply_IsDelivered_WhileATelegramBacklogWaitsForItsRate()
    {
        await using var telegram = await FakeTelegramApi.StartAsync();
        await Db.ExecuteAsync(
            """
            INSERT INTO outbox (channel, chat_id, body)
            SELECT 'telegram', (700000 + g)::text, '{"text":"Объявление","keyboard":null}'::jsonb FROM generate_series(1, 300) g
            """);
        await StartLongPollAsync(new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = telegram.Token,
            ["Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Telegram:PollingTimeoutSeconds"] = "1",
            ["Telegram:MessagesPerSecond"] = "2",
        });
        var user = new VkTestUser(190701);

        await SendAsync(VkUpdates.Text(user.Id, "/start"));

        Assert.Equal(Ru.Consent(SchoolName), (await NextMessageAsync(user)).Text);
        Assert.True(await CountAsync("SELECT count(*) FROM outbox WHERE channel = 'telegram' AND status = 'pending'") > 200);
    }
}
