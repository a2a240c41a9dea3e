using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Conversations;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Conversations;

/// <summary>
/// The per-person rate limit: its decisions on their own, driven by a fake clock (refill, redeliveries, eviction of idle
/// buckets), and in the pipeline against the real database, where an update over the limit is only marked processed and
/// the first one of the minute is answered "please slow down".
/// </summary>
public sealed class SenderThrottleTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    /// <summary>One a minute plus a burst of two: three updates back to back, then the limit.</summary>
    private static readonly IOptions<AbuseOptions> Tight = Options.Create(new AbuseOptions { MessagesPerMinute = 1, Burst = 2 });

    /// <summary>Six a minute and no burst: a bucket of six, one token back every 10 seconds.</summary>
    private static readonly IOptions<AbuseOptions> SixAMinute = Options.Create(new AbuseOptions { MessagesPerMinute = 6, Burst = 0 });

    private int _nextId;

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Check_AllowsTheAllowance_ThenWarnsOnce_ThenDrops_PerSender()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new SenderThrottle(Tight, clock);

        var decisions = Enumerable.Range(0, 6).Select(i => throttle.Check(Text("a" + i, "u1"))).ToList();

        Assert.Equal([ThrottleDecision.Allowed, ThrottleDecision.Allowed, ThrottleDecision.Allowed, ThrottleDecision.Warn, ThrottleDecision.Drop,
            ThrottleDecision.Drop], decisions);
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("b1", "u2")));
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("c1", "u1") with { Channel = Channel.Telegram }));
        // Blocking or unblocking the bot is not a message the person sends.
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("a9", "u1") with { Kind = EventKind.Blocked }));

        // A minute later one token is back, and the next refusal is the first of a new minute.
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("a10", "u1")));
        Assert.Equal(ThrottleDecision.Warn, throttle.Check(Text("a11", "u1")));
        Assert.Equal(ThrottleDecision.Drop, throttle.Check(Text("a12", "u1")));
    }

    [Fact]
    public void Check_RefillsOneTokenPerPeriodOfTheInjectedClock_AndNeverAboveTheBucket()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new SenderThrottle(SixAMinute, clock);
        Assert.All(Next(throttle, 6), d => Assert.Equal(ThrottleDecision.Allowed, d));
        Assert.Equal([ThrottleDecision.Warn, ThrottleDecision.Drop], Next(throttle, 2));

        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal(ThrottleDecision.Drop, Next(throttle));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal([ThrottleDecision.Allowed, ThrottleDecision.Drop], Next(throttle, 2));

        // 25 s: two tokens, and the 5 s left over count towards the next one.
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal([ThrottleDecision.Allowed, ThrottleDecision.Allowed, ThrottleDecision.Drop], Next(throttle, 3));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([ThrottleDecision.Allowed, ThrottleDecision.Drop], Next(throttle, 2));

        // Ten idle minutes fill the bucket, not more: six, then the first refusal of this minute.
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.All(Next(throttle, 6), d => Assert.Equal(ThrottleDecision.Allowed, d));
        Assert.Equal([ThrottleDecision.Warn, ThrottleDecision.Drop], Next(throttle, 2));
    }

    [Fact]
    public void Check_GivesARedeliveryItsFirstDecisionWithoutAToken_ForTheLastUpdatesOfTheAccount()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new SenderThrottle(Tight, clock);

        // The messenger retries the first update four times (say the webhook answered 503): it still costs one token.
        Assert.All(Enumerable.Range(0, 5).Select(_ => throttle.Check(Text("r1", "u1"))), d => Assert.Equal(ThrottleDecision.Allowed, d));
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("r2", "u1")));
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("r3", "u1")));
        Assert.Equal(ThrottleDecision.Warn, throttle.Check(Text("r4", "u1")));
        Assert.Equal(ThrottleDecision.Drop, throttle.Check(Text("r5", "u1")));

        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("r1", "u1")));
        // The refused one again gets the same decision: the pipeline writes its "slow down" only with a new dedupe mark.
        Assert.Equal(ThrottleDecision.Warn, throttle.Check(Text("r4", "u1")));
        Assert.Equal(ThrottleDecision.Drop, throttle.Check(Text("r5", "u1")));
        // Ids are remembered per account: the same id from someone else is their own update.
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("r5", "u2")));

        // Memory per account is bounded: after that many newer updates the first one is forgotten and costs a token
        // (none is left, so it is refused like any new update).
        Next(throttle, SenderThrottle.RecentUpdates, "u1");
        Assert.Equal(ThrottleDecision.Drop, throttle.Check(Text("r1", "u1")));
    }

    [Fact]
    public void Check_EvictsBucketsThatHaveRefilled_AndKeepsOnesStillCounting()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new SenderThrottle(Tight, clock);
        for (var i = 0; i < 1000; i++)
        {
            throttle.Check(Text("once" + i, "visitor" + i));
        }
        Assert.Equal([ThrottleDecision.Allowed, ThrottleDecision.Allowed, ThrottleDecision.Allowed, ThrottleDecision.Warn],
            Next(throttle, 4, "flooder"));
        Assert.Equal(1001, throttle.TrackedAccounts);

        // A minute on, the visitors' buckets are full again; the flooder's has one token of three back.
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("hello", "newcomer")));
        Assert.Equal(2, throttle.TrackedAccounts);
        Assert.Equal([ThrottleDecision.Allowed, ThrottleDecision.Warn], Next(throttle, 2, "flooder"));

        // Three more minutes: everyone is full and no "slow down" is pending; only the account checking now remains.
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(ThrottleDecision.Allowed, throttle.Check(Text("late", "latecomer")));
        Assert.Equal(1, throttle.TrackedAccounts);
        // An evicted account starts over with the whole allowance, as it would have anyway.
        Assert.Equal([ThrottleDecision.Allowed, ThrottleDecision.Allowed, ThrottleDecision.Allowed, ThrottleDecision.Warn],
            Next(throttle, 4, "flooder"));
    }

    [Fact]
    public async Task ProcessAsync_MarksThrottledUpdatesProcessed_AndSaysSlowDownOnce_InTheMessengersLanguage()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var pipeline = Pipeline(new SenderThrottle(Tight, clock));

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

        // An answered update delivered again reaches the dedupe (it is a duplicate), not the limit.
        Assert.Equal(UpdateOutcome.Duplicate, (await pipeline.ProcessAsync(Text("f0", "flood"), CancellationToken.None)).Outcome);
        // A throttled update delivered again is a duplicate of nothing new: still no second "slow down".
        Assert.Equal(UpdateOutcome.Throttled, (await pipeline.ProcessAsync(Text("f3", "flood"), CancellationToken.None)).Outcome);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE body->>'text' IN (@en, @ru)",
            ("en", En.SlowDown), ("ru", TextCatalog.For(Language.Ru).SlowDown)));

        // A minute of the throttle's clock later the flooder is answered again.
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(UpdateOutcome.Processed, (await pipeline.ProcessAsync(Text("f8", "flood"), CancellationToken.None)).Outcome);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE chat_id = 'flood' AND body->>'text' <> @slow",
            ("slow", En.SlowDown)));
    }

    private static readonly ITexts En = TextCatalog.For(Language.En);

    private UpdatePipeline Pipeline(SenderThrottle throttle) => TestPipelines.Create(db.DataSource, throttle: throttle);

    /// <summary>The decision on one new update of the sender.</summary>
    private ThrottleDecision Next(SenderThrottle throttle, string user = "u1") => throttle.Check(Text("n" + _nextId++, user));

    /// <summary>The decisions on <paramref name="count"/> new updates of the sender, in order.</summary>
    private List<ThrottleDecision> Next(SenderThrottle throttle, int count, string user = "u1") =>
        Enumerable.Range(0, count).Select(_ => Next(throttle, user)).ToList();

    private static IncomingEvent Text(string id, string user) => new()
    {
        Channel = Channel.Web, UpdateId = id, Kind = EventKind.Text, SenderId = user, ChatId = user, Text = "/help",
    };
}
