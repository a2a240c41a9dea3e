using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
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
/// <see cref="AbuseOptions.MessagesPerMinute"/> a minute. In memory, per instance: with several instances each counts
/// the updates it receives. Idle buckets are dropped by the partitioned limiter, so a flood costs a dictionary entry.
/// </summary>
public sealed class SenderThrottle : IDisposable
{
    private static readonly long WarnEvery = TimeSpan.FromMinutes(1).Ticks;
    private readonly PartitionedRateLimiter<(Channel, string)> _limiter;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(Channel, string), long> _warned = new();

    public SenderThrottle(IOptions<AbuseOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _time = time;
        var refill = TimeSpan.FromTicks(Math.Max(1, TimeSpan.FromMinutes(1).Ticks / o.MessagesPerMinute));
        _limiter = PartitionedRateLimiter.Create<(Channel, string), (Channel, string)>(key => RateLimitPartition.GetTokenBucketLimiter(key,
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.MessagesPerMinute + o.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = refill,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Whether the update may go on; when not, whether it is the first refused one this minute (the one to answer).</summary>
    public ThrottleDecision Check(IncomingEvent incoming)
    {
        if (incoming.Kind is EventKind.Ignored or EventKind.Blocked or EventKind.Unblocked or EventKind.GroupMessage)
        {
            return ThrottleDecision.Allowed;
        }
        var key = (incoming.Channel, incoming.SenderId);
        using var lease = _limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return ThrottleDecision.Allowed;
        }
        var now = _time.GetUtcNow().UtcTicks;
        var warn = false;
        _warned.AddOrUpdate(key, _ => { warn = true; return now; }, (_, last) =>
        {
            warn = now - last >= WarnEvery;
            return warn ? now : last;
        });
        if (warn && _warned.Count > 10_000)
        {
            foreach (var (k, at) in _warned)
            {
                if (now - at >= WarnEvery)
                {
                    _warned.TryRemove(k, out _);
                }
            }
        }
        return warn ? ThrottleDecision.Warn : ThrottleDecision.Drop;
    }

    public void Dispose() => _limiter.Dispose();
}

public enum ThrottleDecision
{
    Allowed,
    /// <summary>Over the limit, and the first such update this minute: answer "please slow down" once.</summary>
    Warn,
    /// <summary>Over the limit: mark it processed and do nothing else.</summary>
    Drop,
}
