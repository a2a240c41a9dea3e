using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Outbox;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsultBot.Tests.Outbox;

/// <summary>The dispatcher against the real database with an in-process channel sender.</summary>
public sealed class OutboxDispatcherTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwoDispatchers_SendEveryRowExactlyOnce()
    {
        await InsertRowsAsync(600, chats: 60);
        var sender = new RecordingSender(rate: 1000);
        await using (await RunAsync(sender))
        await using (await RunAsync(sender))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 600);
        }

        Assert.Equal(600, sender.Sent.Count);
        Assert.Equal(600, sender.Sent.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public async Task Dispatcher_SendsRowsOfOneChatInOrder()
    {
        await InsertRowsAsync(30, chats: 1);
        var sender = new RecordingSender(rate: 1000);
        await using (await RunAsync(sender))
        await using (await RunAsync(sender))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 30);
        }

        var ids = sender.Sent.Select(s => s.Id).ToList();
        Assert.Equal(ids.Order().ToList(), ids);
    }

    [Fact]
    public async Task Dispatcher_KeepsNewerReplyBehindRowWaitingForRetry()
    {
        await InsertRowsAsync(1, chats: 1);
        var sender = new RecordingSender(rate: 1000, behaviour: (_, call) => call == 1 ? new SendResult(SendOutcome.Transient, "502") : SendResult.Ok);
        await using (await RunAsync(sender, retryBaseDelayMs: 500))
        {
            await WaitUntilAsync(() => Task.FromResult((long)sender.Calls.Count), 1);
            await InsertRowsAsync(1, chats: 1);
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 2);
        }

        Assert.Equal([1L, 2L], sender.Sent.Select(s => s.Id).ToList());
    }

    [Fact]
    public async Task TwoDispatchers_KeepChatOrder_WhenFirstRowNeedsRetry()
    {
        await InsertRowsAsync(5, chats: 1);
        var sender = new RecordingSender(rate: 1000, behaviour: (row, _) => row.Id == 1 && row.Attempts == 1
            ? new SendResult(SendOutcome.Transient, "timeout")
            : SendResult.Ok);
        await using (await RunAsync(sender, retryBaseDelayMs: 200))
        await using (await RunAsync(sender, retryBaseDelayMs: 200))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 5);
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L], sender.Sent.Select(s => s.Id).ToList());
    }

    [Fact]
    public async Task Dispatcher_PausesChannelForRetryAfter_WhenRateLimited()
    {
        await InsertRowsAsync(3, chats: 3);
        // Sends one at a time (5/s), so the 429's answer is in before the next send starts.
        var sender = new RecordingSender(rate: 5, behaviour: (_, call) => call == 1
            ? new SendResult(SendOutcome.RateLimited, "429", TimeSpan.FromSeconds(1))
            : SendResult.Ok);
        await using (await RunAsync(sender))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 3);
        }

        var first = sender.Calls.OrderBy(c => c.At).First();
        Assert.All(sender.Sent, s => Assert.True(s.At >= first.At.AddSeconds(0.95), "a send went out during the 429 pause"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE attempts <> 1"));
    }

    [Fact]
    public async Task Dispatcher_SendsEachRowOnce_WhenRetryAfterOutlastsTheLease()
    {
        await InsertRowsAsync(3, chats: 3);
        var sender = new RecordingSender(rate: 2, behaviour: (_, call) => call == 1
            ? new SendResult(SendOutcome.RateLimited, "429", TimeSpan.FromSeconds(6))
            : SendResult.Ok);
        await using (await RunAsync(sender, leaseSeconds: 5))
        await using (await RunAsync(sender, leaseSeconds: 5))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 3);
            await Task.Delay(500);
        }

        Assert.Equal([1L, 2L, 3L], sender.Sent.Select(s => s.Id).Order().ToList());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE body <> '{}'::jsonb"));
    }

    [Fact]
    public async Task Dispatcher_MarksUndeliverableAndStops_WhenRecipientBlockedBot()
    {
        await db.ExecuteAsync("INSERT INTO persons (status) VALUES ('active')");
        await db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('web', 'c0', 'c0', 1)");
        await InsertRowsAsync(2, chats: 1);
        var sender = new RecordingSender(rate: 1000, behaviour: (_, _) => new SendResult(SendOutcome.Unreachable, "403 blocked"));
        await using (await RunAsync(sender))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'undeliverable'"), 2);
        }

        Assert.Single(sender.Calls);
        Assert.False(await db.ScalarAsync<bool>("SELECT reachable FROM accounts"));
        Assert.Equal("403 blocked", await db.ScalarAsync<string>("SELECT last_error FROM outbox LIMIT 1"));
    }

    [Fact]
    public async Task Dispatcher_RetriesTransientFailures_ThenMarksFailedWithReason()
    {
        await InsertRowsAsync(1, chats: 1);
        var sender = new RecordingSender(rate: 1000, behaviour: (_, _) => new SendResult(SendOutcome.Transient, "500 Internal Server Error"));
        await using (await RunAsync(sender, maxAttempts: 3))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'failed'"), 1);
        }

        Assert.Equal(3, sender.Calls.Count);
        Assert.Equal("500 Internal Server Error", await db.ScalarAsync<string>("SELECT last_error FROM outbox"));
    }

    [Fact]
    public async Task Dispatcher_DeliversAfterTransientFailure()
    {
        await InsertRowsAsync(1, chats: 1);
        var sender = new RecordingSender(rate: 1000, behaviour: (_, call) => call < 3 ? new SendResult(SendOutcome.Transient, "timeout") : SendResult.Ok);
        await using (await RunAsync(sender))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 1);
        }

        Assert.Equal(3, sender.Calls.Count);
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT attempts FROM outbox"));
    }

    [Fact]
    public async Task Dispatcher_TakesOverRows_WhoseLeaseExpired()
    {
        await db.ExecuteAsync(
            "INSERT INTO outbox (channel, chat_id, body, status, attempts, lease_until) VALUES ('web', 'c1', '{\"text\":\"x\"}', 'sending', 1, now() - interval '1 minute')");
        var sender = new RecordingSender(rate: 1000);
        await using (await RunAsync(sender))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 1);
        }

        Assert.Single(sender.Sent);
    }

    [Fact]
    public async Task Dispatcher_NeverSendsMoreThanTheChannelsRateAllows_HoweverLateItRuns()
    {
        const int Rows = 30;
        const double Rate = 10;
        await InsertRowsAsync(Rows, chats: Rows);
        var sender = new RecordingSender(rate: Rate);
        var start = Stopwatch.GetTimestamp(); // before the dispatcher, and so its channel's bucket, exists
        await using (await RunAsync(sender))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), Rows);
        }

        // The channel's bucket starts with a tenth of a second's worth of tokens and gains as much every 100 ms, so t
        // seconds after the start at most that tenth plus Rate × t tokens exist. A send is recorded after it got its
        // token: a slow or busy machine only makes sends later, never earlier, so this bound cannot flake. (A sliding
        // window over the recorded times could: sends delayed after their tokens bunch up behind each other.) The 10 ms
        // allow for the timer's whole-millisecond clock.
        var upFront = Math.Max(1, (int)Math.Floor(Rate / 10));
        var elapsed = sender.SentStamps.Select(t => Stopwatch.GetElapsedTime(start, t)).Order().ToList();
        Assert.Equal(Rows, elapsed.Count);
        for (var k = 0; k < elapsed.Count; k++)
        {
            var allowed = upFront + (int)Math.Floor((elapsed[k].TotalSeconds + 0.010) * Rate);
            Assert.True(k + 1 <= allowed, $"send {k + 1} came {elapsed[k].TotalMilliseconds:F0} ms after the start, when at most {allowed} " +
                $"may have gone at {Rate}/s: {string.Join(", ", elapsed.Select(e => e.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))} ms");
        }
    }

    [Fact]
    public async Task Dispatcher_KeepsEachChatWithinItsBucket_WhileOtherChatsProceed()
    {
        await InsertRowsAsync(24, chats: 3);
        var sender = new RecordingSender(rate: 1000, perChat: 4, burst: 2);
        await using (await RunAsync(sender))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 24);
        }

        // Replay every chat's sends through the same token bucket (2 tokens, 4 per second): none may find it empty.
        foreach (var chat in sender.Sent.GroupBy(s => s.Id % 3))
        {
            double tokens = 2;
            DateTime? last = null;
            foreach (var (_, at) in chat.OrderBy(s => s.At))
            {
                tokens = last is null ? tokens : Math.Min(2, tokens + (at - last.Value).TotalSeconds * 4);
                Assert.True(tokens >= 0.95, $"chat {chat.Key} got a message with {tokens:F2} tokens left");
                tokens -= 1;
                last = at;
            }
        }
    }

    [Fact]
    public async Task Dispatcher_LeavesRowsOfChannelsWithoutSender()
    {
        await db.ExecuteAsync("INSERT INTO outbox (channel, chat_id, body) VALUES ('vk', '5', '{\"text\":\"x\"}')");
        await InsertRowsAsync(1, chats: 1);
        var sender = new RecordingSender(rate: 1000);
        await using (await RunAsync(sender))
        {
            await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"), 1);
        }

        Assert.Equal("pending", await db.ScalarAsync<string>("SELECT status FROM outbox WHERE channel = 'vk'"));
    }

    [Fact]
    public async Task Stop_MarksRowInSendSentAndReleasesOtherClaimedRows_WhenDispatcherStops()
    {
        await InsertRowsAsync(10, chats: 10);
        var sender = new GatedSender(rate: 1);
        var dispatcher = await RunAsync(sender);
        await sender.FirstCallStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await WaitUntilAsync(() => db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sending'"), 10);

        var stopped = dispatcher.DisposeAsync().AsTask();
        sender.Release();
        await stopped;

        // The row on its way was finished and recorded; the rows claimed but waiting for the rate went back at once,
        // with no lease left to expire and their attempt not counted.
        Assert.Equal(sender.Sent.Count, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sent'"));
        Assert.Contains(sender.FirstRowId, sender.Sent);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'sending' OR lease_until IS NOT NULL"));
        Assert.Equal(10 - sender.Sent.Count, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts = 0"));
    }

    private Task InsertRowsAsync(int count, int chats) => db.ExecuteAsync(
        """
        INSERT INTO outbox (channel, chat_id, body)
        SELECT 'web', 'c' || (g % @chats), jsonb_build_object('text', 'message ' || g)
        FROM generate_series(1, @count) g ORDER BY g
        """, ("count", count), ("chats", chats));

    private async Task<RunningDispatcher> RunAsync(IChannelSender sender, int maxAttempts = 6, int retryBaseDelayMs = 20, int leaseSeconds = 60)
    {
        var dispatcher = new OutboxDispatcher(db.DataSource, [sender], new OutboxSignal(),
            Options.Create(new OutboxOptions
            {
                MaxAttempts = maxAttempts, RetryBaseDelayMs = retryBaseDelayMs, PollIntervalMs = 50, BatchSize = 50, LeaseSeconds = leaseSeconds,
            }),
            TimeProvider.System, NullLogger<OutboxDispatcher>.Instance, new ConsultBot.Host.Operations.BotMetrics());
        await dispatcher.StartAsync(CancellationToken.None);
        return new RunningDispatcher(dispatcher);
    }

    private static async Task WaitUntilAsync(Func<Task<long>> probe, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        long value;
        while ((value = await probe()) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }
        Assert.Equal(expected, value);
    }

    private sealed class RunningDispatcher(OutboxDispatcher dispatcher) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await dispatcher.StopAsync(CancellationToken.None);
            dispatcher.Dispose();
        }
    }

    /// <summary>Holds its first send until released; sends the rest at once. One token a second keeps the others waiting for the rate.</summary>
    private sealed class GatedSender(double rate) : IChannelSender
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public TaskCompletionSource FirstCallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long FirstRowId { get; private set; }
        public ConcurrentQueue<long> Sent { get; } = new();
        public Channel Channel => Channel.Web;
        public bool Enabled => true;
        public double MessagesPerSecond => rate;
        public double PerChatPerSecond => 0;
        public int PerChatBurst => 1;

        public void Release() => _gate.TrySetResult();

        public async Task<SendResult> SendAsync(OutboxRow row, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                FirstRowId = row.Id;
                FirstCallStarted.TrySetResult();
                await _gate.Task;
            }
            Sent.Enqueue(row.Id);
            return SendResult.Ok;
        }
    }

    private sealed class RecordingSender(double rate, Func<OutboxRow, int, SendResult>? behaviour = null, double perChat = 0, int burst = 1)
        : IChannelSender
    {
        private int _calls;

        public ConcurrentQueue<(long Id, DateTime At)> Calls { get; } = new();
        public ConcurrentQueue<(long Id, DateTime At)> Sent { get; } = new();

        /// <summary>When each accepted send happened, on the monotonic clock (<see cref="Stopwatch.GetTimestamp"/>).</summary>
        public ConcurrentQueue<long> SentStamps { get; } = new();

        public Channel Channel => Channel.Web;
        public bool Enabled => true;
        public double MessagesPerSecond => rate;
        public double PerChatPerSecond => perChat;
        public int PerChatBurst => burst;

        public Task<SendResult> SendAsync(OutboxRow row, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            var stamp = Stopwatch.GetTimestamp();
            var now = DateTime.UtcNow;
            Calls.Enqueue((row.Id, now));
            var result = behaviour?.Invoke(row, call) ?? SendResult.Ok;
            if (result.Outcome == SendOutcome.Sent)
            {
                Sent.Enqueue((row.Id, now));
                SentStamps.Enqueue(stamp);
            }
            return Task.FromResult(result);
        }
    }
}
