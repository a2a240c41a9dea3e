using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Admin;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.Conversations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.School;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Conversations;

/// <summary>
/// The per-person rate limit: its decisions on their own, and in the pipeline against the real database, where an update
/// over the limit is only marked processed and the first one of the minute is answered "please slow down".
/// </summary>
public sealed class SenderThrottleTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    /// <summary>One a minute plus a burst of two: three updates back to back, then the limit.</summary>
    private static readonly IOptions<AbuseOptions> Tight = Options.Create(new AbuseOptions { MessagesPerMinute = 1, Burst = 2 });

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Check_AllowsTheAllowance_ThenWarnsOnce_ThenDrops_PerSender()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var throttle = new SenderThrottle(Tight, clock);

        var decisions = Enumerable.Range(0, 6).Select(i => throttle.Check(Text("a" + i, "u1"))).ToList();

        Assert.Equal([ThrottleDecision.Allowed, ThrottleDecision.Allowed, ThrottleDecision.Allowed, ThrottleDecision.Warn, ThrottleDecision.Drop,
            ThrottleDecision.Drop], decisions);
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("b1", "u2")));
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("c1", "u1") with { Channel = Channel.Telegram }));
        // Blocking or unblocking the bot is not a message the person sends.
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("a9", "u1") with { Kind = EventKind.Blocked }));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ThrottleDecision.Warn, throttle.Check(Text("a10", "u1")));
    }

    [Fact]
    public async Task ProcessAsync_MarksThrottledUpdatesProcessed_AndSaysSlowDownOnce_InTheMessengersLanguage()
    {
        var pipeline = Pipeline(new SenderThrottle(Tight, TimeProvider.System));

        var results = new List<UpdateOutcome>();
        for (var i = 0; i < 8; i++)
        {
            results.Add((await pipeline.ProcessAsync(Text("f" + i, "flood") with { LanguageCode = "en" }, CancellationToken.None)).Outcome);
        }
        var other = await pipeline.ProcessAsync(Text("o1", "calm"), CancellationToken.None);

        Assert.Equal([.. Enumerable.Repeat(UpdateOutcome.Processed, 3), .. Enumerable.Repeat(UpdateOutcome.Throttled, 5)], results);
        Assert.Equal(UpdateOutcome.Processed, other.Outcome);
        Assert.Equal(9L, await db.ScalarAsync<long>("SELECT count(*) FROM processed_updates"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE chat_id = 'flood' AND body->>'text' <> @slow",
            ("slow", En.SlowDown)));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE chat_id = 'flood' AND body->>'text' = @slow", ("slow", En.SlowDown)));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE chat_id = 'calm'"));

        // A throttled update delivered again is a duplicate of nothing new: still no second "slow down".
        Assert.Equal(UpdateOutcome.Throttled, (await pipeline.ProcessAsync(Text("f3", "flood"), CancellationToken.None)).Outcome);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE body->>'text' IN (@en, @ru)",
            ("en", En.SlowDown), ("ru", TextCatalog.For(Language.Ru).SlowDown)));
    }

    private static readonly ITexts En = TextCatalog.For(Language.En);

    private UpdatePipeline Pipeline(SenderThrottle throttle) => TestPipelines.Create(db.DataSource, throttle: throttle);

    private static IncomingEvent Text(string id, string user) => new()
    {
        Channel = Channel.Web, UpdateId = id, Kind = EventKind.Text, SenderId = user, ChatId = user, Text = "/help",
    };
}
