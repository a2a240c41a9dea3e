using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using ConsultBot.Domain.Messaging;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Conversations;

public sealed class AbuseOptions
{
    public const string SectionName = "Abuse";

    /// <summary>Texts and button presses one messenger account may send per minute, on average.</summary>
    [Range(1, 100_000, ErrorMessage = "Abuse:MessagesPerMinute (Abuse__MessagesPerMinute) must be between 1 and 100000")]
    public int MessagesPerMinute { get; set; } = 30;

    /// <summary>Extra messages on top of a minute's allowance that one account may send back to back.</summary>
    [Range(0, 100_000, ErrorMessage = "Abuse:Burst (Abuse__Burst) must be between 0 and 100000")]
    public int Burst { get; set; } = 10;
}

/// <summary>
/// The per-person rate limit of the inbound path: a token bucket per (channel, sender) holding
/// <see cref="AbuseOptions.MessagesPerMinute"/> + <see cref="AbuseOptions.Burst"/> tokens, refilled evenly at
/// <see cref="AbuseOptions.MessagesPerMinute"/> a minute. The tokens are counted from the injected
/// <see cref="TimeProvider"/>'s monotonic timestamp at each check (no timer), so the limit follows the same clock as the
/// rest of the host and a test's fake clock. In memory, per instance: with several instances each counts the updates it
/// receives. A bucket that has refilled and has no "slow down" pending carries no information and is dropped by a sweep
/// at most once a minute, so memory follows the accounts active in the last minute or two, not all that ever wrote.
/// </summary>
/// <remarks>
/// The throttle runs before the pipeline's dedupe (a throttled update must stay cheap: one <c>INSERT</c>, no chat lock),
/// so it would count a messenger's redelivery of an update again. It therefore remembers the last
/// <see cref="RecentUpdates"/> update ids of each account with the decision it made: a redelivery of one of them gets
/// the same decision and costs no token (an allowed one goes on to the dedupe, which drops it or, after a failed first
/// attempt, processes it). An older id, or one redelivered after the account's bucket was dropped, costs a token like a
/// new update; that needs a redelivery more than <see cref="RecentUpdates"/> updates late, which only a flooder produces.
/// </remarks>
public sealed class SenderThrottle
{
    /// <summary>Update ids remembered per account to recognise a redelivery; a messenger retries the last few.</summary>
    internal const int RecentUpdates = 16;

    private static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(Channel, string), Bucket> _buckets = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly int _capacity;
    private readonly long _refillTicks;
    private long _nextSweepTicks;

    public SenderThrottle(IOptions<AbuseOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _time = time;
        _origin = time.GetTimestamp();
        _capacity = o.MessagesPerMinute + o.Burst;
        _refillTicks = Math.Max(1, TimeSpan.FromMinutes(1).Ticks / o.MessagesPerMinute);
        _nextSweepTicks = SweepEvery.Ticks;
    }

    /// <summary>Accounts with a bucket in memory right now (for tests of the eviction).</summary>
    internal int TrackedAccounts => _buckets.Count;

    /// <summary>Whether the update may go on; when not, whether it is the first refused one this minute (the one to answer).</summary>
    public ThrottleDecision Check(IncomingEvent incoming)
    {
        if (incoming.Kind is EventKind.Ignored or EventKind.Blocked or EventKind.Unblocked or EventKind.GroupMessage)
        {
            return ThrottleDecision.Allowed;
        }
        var now = Now();
        SweepIfDue(now);
        var key = (incoming.Channel, incoming.SenderId);
        while (true)
        {
            var bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.Capacity, state.Now), (Capacity: _capacity, Now: now));
            lock (bucket)
            {
                if (bucket.Evicted)
                {
                    continue; // swept between the lookup and the lock: a fresh bucket is what it stood for
                }
                return bucket.Decide(incoming.UpdateId, now, _capacity, _refillTicks);
            }
        }
    }

    /// <summary>Ticks (100 ns) of the injected clock since this throttle was created; monotonic.</summary>
    private long Now() => _time.GetElapsedTime(_origin).Ticks;

    private void SweepIfDue(long now)
    {
        var due = Volatile.Read(ref _nextSweepTicks);
        if (now < due || Interlocked.CompareExchange(ref _nextSweepTicks, now + SweepEvery.Ticks, due) != due)
        {
            return;
        }
        foreach (var (key, bucket) in _buckets)
        {
            lock (bucket)
            {
                if (bucket.IsIdle(now, _capacity, _refillTicks))
                {
                    bucket.Evicted = true;
                    _buckets.TryRemove(new KeyValuePair<(Channel, string), Bucket>(key, bucket));
                }
            }
        }
    }

    /// <summary>One account's tokens, its last "slow down" and its last update ids. Used under its own lock.</summary>
    private sealed class Bucket(int tokens, long now)
    {
        private readonly (string? UpdateId, ThrottleDecision Decision)[] _recent = new (string?, ThrottleDecision)[RecentUpdates];
        private int _nextRecent;
        private int _tokens = tokens;
        private long _countedTo = now;
        private long? _warnedAt;

        public bool Evicted;

        public ThrottleDecision Decide(string updateId, long now, int capacity, long refillTicks)
        {
            foreach (var (id, decision) in _recent)
            {
                if (string.Equals(id, updateId, StringComparison.Ordinal))
                {
                    return decision; // a redelivery: what the first delivery got, no token
                }
            }
            Refill(now, capacity, refillTicks);
            ThrottleDecision result;
            if (_tokens > 0)
            {
                _tokens--;
                result = ThrottleDecision.Allowed;
            }
            else if (_warnedAt is not { } warned || now - warned >= WarnEvery.Ticks)
            {
                _warnedAt = now;
                result = ThrottleDecision.Warn;
            }
            else
            {
                result = ThrottleDecision.Drop;
            }
            _recent[_nextRecent] = (updateId, result);
            _nextRecent = (_nextRecent + 1) % _recent.Length;
            return result;
        }

        /// <summary>Full again and no "slow down" within the minute: the same as a bucket never seen.</summary>
        public bool IsIdle(long now, int capacity, long refillTicks)
        {
            Refill(now, capacity, refillTicks);
            return _tokens >= capacity && (_warnedAt is not { } warned || now - warned >= WarnEvery.Ticks);
        }

        /// <summary>Whole tokens for the time since the last count; the remainder carries over, a full bucket banks nothing.</summary>
        private void Refill(long now, int capacity, long refillTicks)
        {
            var periods = Math.Max(0, now - _countedTo) / refillTicks;
            if (_tokens + periods >= capacity)
            {
                _tokens = capacity;
                _countedTo = now;
            }
            else
            {
                _tokens += (int)periods;
                _countedTo += periods * refillTicks;
            }
        }
    }
}

public enum ThrottleDecision
{
    Allowed,
    /// <summary>Over the limit, and the first such update this minute: answer "please slow down" once.</summary>
    Warn,
    /// <summary>Over the limit: mark it processed and do nothing else.</summary>
    Drop,
}
