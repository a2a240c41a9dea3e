using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.RateLimiting;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Operations;
using ConsultBot.Host.Persistence;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace ConsultBot.Host.Outbox;

/// <summary>
/// Delivers outbox rows. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c> and a lease, so several instances
/// never send one row twice and a crashed instance's rows are taken over when the lease ends. Rows of one chat
/// are sent in order by one worker at a time; each channel keeps its messenger's rate limits.
/// </summary>
public sealed partial class OutboxDispatcher : BackgroundService
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly OutboxSignal _signal;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly Dictionary<Channel, ChannelLane> _lanes;
    private readonly SemaphoreSlim _slots;
    private readonly BotMetrics _metrics;

    public OutboxDispatcher(NpgsqlDataSource dataSource, IEnumerable<IChannelSender> senders, OutboxSignal signal,
        IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxDispatcher> logger, BotMetrics metrics)
    {
        _metrics = metrics;
        _dataSource = dataSource;
        _signal = signal;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _lanes = senders.Where(s => s.Enabled).ToDictionary(s => s.Channel,
            s => new ChannelLane(s, time, TimeSpan.FromSeconds(_options.LeaseSeconds)));
        _slots = new SemaphoreSlim(_options.MaxConcurrency, _options.MaxConcurrency);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_lanes.Count == 0 || !_options.DispatcherEnabled)
        {
            LogDisabled(_logger);
            return;
        }
        var listener = ListenAsync(stoppingToken);
        var running = new List<Task>();
        var lastReap = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_time.GetUtcNow() - lastReap > TimeSpan.FromSeconds(Math.Min(10, _options.LeaseSeconds)))
                {
                    await ReleaseExpiredLeasesAsync(stoppingToken);
                    lastReap = _time.GetUtcNow();
                }
                running.RemoveAll(t => t.IsCompleted);
                // Under a backlog, claim in batches rather than one row per finished send: a claim is a query.
                var free = _slots.CurrentCount;
                if (running.Count > 0 && free < Math.Max(1, _options.MaxConcurrency / 4))
                {
                    await Task.WhenAny(running);
                    continue;
                }
                // Each claimed row is the head of a different chat, so one row per free slot. A channel paused by a
                // 429 is not claimed for at all: nothing waits out a pause while holding a lease.
                // Each channel may hold at most its share of the slots: rows of a channel waiting for its messenger's
                // rate (a Telegram backlog at 30/s) must not keep another channel's rows from being claimed at all.
                var rows = new List<OutboxRow>();
                foreach (var (channel, lane) in _lanes)
                {
                    var room = Math.Min(Math.Min(_options.BatchSize, free - rows.Count), LaneShare - lane.InFlight);
                    // A lane busy at its messenger's rate claims in batches, not one row per finished send.
                    var enough = lane.InFlight == 0 ? 1 : Math.Max(1, LaneShare / 4);
                    if (room >= enough && lane.PausedFor() <= TimeSpan.Zero)
                    {
                        rows.AddRange(await ClaimAsync(channel, room, lane.CoolingChats(), stoppingToken));
                    }
                }
                if (rows.Count == 0)
                {
                    var emptyAt = _time.GetTimestamp();
                    await _signal.WaitAsync(TimeSpan.FromMilliseconds(_options.PollIntervalMs), stoppingToken);
                    // Every inbound commit wakes the dispatcher. While the channels with room have nothing due (the
                    // others wait for their messenger's rate), claiming again at each wake-up would be a query per
                    // commit that finds nothing: space empty claims out instead. A reply waits at most this long.
                    var since = _time.GetElapsedTime(emptyAt);
                    if (since < EmptyClaimGap)
                    {
                        await Task.Delay(EmptyClaimGap - since, _time, stoppingToken);
                    }
                    continue;
                }
                for (var i = 0; i < rows.Count; i++)
                {
                    try
                    {
                        await _slots.WaitAsync(stoppingToken);
                    }
                    catch (OperationCanceledException)
                    {
                        await ReleaseAsync(rows.Skip(i).ToList());
                        throw;
                    }
                    _lanes[rows[i].Channel].Started();
                    running.Add(SendRowAsync(rows[i], stoppingToken));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogDatabaseError(_logger, e);
                await Task.Delay(TimeSpan.FromSeconds(2), _time, CancellationToken.None);
            }
        }
        // Graceful stop: let in-flight chats finish the message they are sending; unsent rows go back to pending.
        await Task.WhenAll(running);
        await listener;
    }

    /// <summary>The shortest time between two claims when the previous one found nothing to send.</summary>
    private static readonly TimeSpan EmptyClaimGap = TimeSpan.FromMilliseconds(50);

    /// <summary>Slots one channel may hold; all of them when it is the only channel.</summary>
    private int LaneShare => Math.Max(1, _options.MaxConcurrency / Math.Max(1, _lanes.Count));

    public override void Dispose()
    {
        foreach (var lane in _lanes.Values)
        {
            lane.Dispose();
        }
        _slots.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Sends one claimed row. The claim takes only the oldest open row of a chat, so the chat's next row waits in the
    /// table until this one is recorded (sent, rescheduled or closed) and order is kept without more bookkeeping here.
    /// </summary>
    private async Task SendRowAsync(OutboxRow row, CancellationToken stoppingToken)
    {
        await Task.Yield();
        // The update or job that wrote the row: its send is in the log under the same id as its receipt.
        using var scope = row.CorrelationId is { } correlation ? Correlation.BeginScope(_logger, correlation) : null;
        try
        {
            if (stoppingToken.IsCancellationRequested)
            {
                await ReleaseAsync([row]);
                return;
            }
            var result = await _lanes[row.Channel].SendAsync(row, stoppingToken);
            _metrics.SendFinished(row.Channel, result.Outcome);
            await RecordAsync(row, result);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await ReleaseAsync([row]);
        }
        catch (Exception e)
        {
            LogSendLoopError(_logger, e, row.Channel.ToKey());
        }
        finally
        {
            _lanes[row.Channel].Finished();
            _slots.Release();
            _signal.Set();
        }
    }

    /// <summary>
    /// The claim of each channel. Only the oldest open row of a chat is claimable: later rows wait while an earlier one is
    /// being sent or waits for its retry, here or on another instance, so every chat gets its messages in order. The
    /// channel is a literal (one of the fixed keys), so the claim always reads that channel's partial index of pending
    /// rows (migration 0017), whatever the planner estimates.
    /// </summary>
    private static readonly Dictionary<Channel, string> ClaimSql = Enum.GetValues<Channel>().ToDictionary(c => c, c =>
        $$"""
        UPDATE outbox o
        SET status = 'sending', attempts = o.attempts + 1, lease_until = now() + make_interval(secs => @lease)
        FROM (
            SELECT c.id FROM outbox c
            WHERE c.status = 'pending' AND c.channel = '{{c.ToKey()}}' AND c.next_attempt_at <= now()
              AND c.chat_id <> ALL(@cooling)
              AND NOT EXISTS (
                  SELECT 1 FROM outbox e
                  WHERE e.channel = c.channel AND e.chat_id = c.chat_id AND e.id < c.id AND e.status IN ('pending', 'sending'))
            ORDER BY c.id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED
        ) due
        WHERE o.id = due.id
        RETURNING o.id, o.channel, o.chat_id, o.body::text, o.attempts, o.lease_until, o.correlation_id
        """);

    /// <param name="cooling">
    /// Chats this instance sent to so recently that their messenger's per-chat limit would make the row wait: they are
    /// passed over, so a backlog of chats with several messages each is not claimed head after head only to be deferred
    /// (a claim, an update and no send) while the channel's rate goes unused.
    /// </param>
    private async Task<List<OutboxRow>> ClaimAsync(Channel channel, int limit, string[] cooling, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(ClaimSql[channel]);
        command.Parameters.AddWithValue("lease", (double)_options.LeaseSeconds);
        command.Parameters.AddWithValue("cooling", cooling);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<OutboxRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var body = JsonSerializer.Deserialize<MessageBody>(reader.GetString(3), HostJsonAccess.Options)!;
            rows.Add(new OutboxRow(reader.GetInt64(0), ChannelNames.Parse(reader.GetString(1)), reader.GetString(2), body, reader.GetInt32(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return rows;
    }

    /// <summary>
    /// Records a send's outcome, only while this claim still holds the row. A delivered or undeliverable row keeps no
    /// text: the outbox is a transport, not an archive of what people were told.
    /// </summary>
    private async Task RecordAsync(OutboxRow row, SendResult result)
    {
        const string Mine = "id = @id AND status = 'sending' AND lease_until = @lease";
        var (sql, delay) = result.Outcome switch
        {
            SendOutcome.Sent => (
                $"UPDATE outbox SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL, body = '{{}}'::jsonb WHERE {Mine}",
                TimeSpan.Zero),
            SendOutcome.RateLimited or SendOutcome.Deferred => (
                $"UPDATE outbox SET status = 'pending', attempts = attempts - 1, lease_until = NULL, next_attempt_at = now() + @delay, last_error = @reason WHERE {Mine}",
                result.RetryAfter),
            SendOutcome.Unreachable => (
                $$"""
                UPDATE outbox SET status = 'undeliverable', lease_until = NULL, last_error = @reason, body = '{}'::jsonb
                WHERE ({{Mine}}) OR (channel = @channel AND chat_id = @chat AND status = 'pending');
                UPDATE accounts SET reachable = false WHERE channel = @channel AND chat_id = @chat
                """, TimeSpan.Zero),
            SendOutcome.Transient when row.Attempts < _options.MaxAttempts => (
                $"UPDATE outbox SET status = 'pending', lease_until = NULL, next_attempt_at = now() + @delay, last_error = @reason WHERE {Mine}",
                RetryDelay(row)),
            _ => ($"UPDATE outbox SET status = 'failed', lease_until = NULL, last_error = @reason WHERE {Mine}", TimeSpan.Zero),
        };
        if (result.Outcome == SendOutcome.Sent)
        {
            LogSent(_logger, row.Id, row.Channel.ToKey(), row.Attempts);
        }
        else if (result.Outcome != SendOutcome.Deferred)
        {
            LogNotSent(_logger, row.Id, row.Channel.ToKey(), result.Outcome, result.Reason);
        }
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", row.Id);
        command.Parameters.AddWithValue("lease", row.LeaseUntil);
        command.Parameters.AddWithValue("delay", delay);
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)Truncate(result.Reason) ?? DBNull.Value });
        command.Parameters.AddWithValue("channel", row.Channel.ToKey());
        command.Parameters.AddWithValue("chat", row.ChatId);
        if (await command.ExecuteNonQueryAsync(CancellationToken.None) == 0 && result.Outcome != SendOutcome.Unreachable)
        {
            LogLeaseLost(_logger, row.Id);
        }
    }

    private TimeSpan RetryDelay(OutboxRow row) =>
        TimeSpan.FromMilliseconds(Math.Min(_options.RetryMaxDelayMs, _options.RetryBaseDelayMs * Math.Pow(2, Math.Min(30, row.Attempts - 1))));

    /// <summary>Claimed rows that were not tried go back to pending (if still ours), due again after <paramref name="delay"/>.</summary>
    private async Task ReleaseAsync(IReadOnlyList<OutboxRow> rows, TimeSpan delay = default)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var command = _dataSource.CreateCommand(
            """
            UPDATE outbox o SET status = 'pending', attempts = o.attempts - 1, lease_until = NULL,
                next_attempt_at = greatest(o.next_attempt_at, now() + @delay)
            FROM unnest(@ids, @leases) AS r (id, lease)
            WHERE o.id = r.id AND o.status = 'sending' AND o.lease_until = r.lease
            """);
        command.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
        command.Parameters.AddWithValue("leases", rows.Select(r => r.LeaseUntil).ToArray());
        command.Parameters.AddWithValue("delay", delay);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Rows whose claiming instance died go back to pending.</summary>
    private async Task ReleaseExpiredLeasesAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE outbox SET status = 'pending', lease_until = NULL WHERE status = 'sending' AND lease_until < now()");
        var released = await command.ExecuteNonQueryAsync(cancellationToken);
        if (released > 0)
        {
            LogLeasesReleased(_logger, released);
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload != _signal.InstanceId)
                    {
                        _signal.Set();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {OutboxNotifier.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    // Pooled connections are not reset (NoResetOnClose): stop listening before giving it back.
                    await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                    await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.IO.IOException)
            {
                LogDatabaseError(_logger, e);
                await Task.Delay(TimeSpan.FromSeconds(2), _time, stoppingToken);
            }
        }
    }

    private static string? Truncate(string? reason) => reason is { Length: > 500 } ? reason[..500] : reason;

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher is off on this instance (no channel to deliver to, or disabled)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatcher cannot reach the database; retrying")]
    private static partial void LogDatabaseError(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error while sending to a {Channel} chat")]
    private static partial void LogSendLoopError(ILogger logger, Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox row {RowId} sent to {Channel} (attempt {Attempt})")]
    private static partial void LogSent(ILogger logger, long rowId, string channel, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox row {RowId} to {Channel} not sent: {Outcome} ({Reason})")]
    private static partial void LogNotSent(ILogger logger, long rowId, string channel, SendOutcome outcome, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {RowId}: lease lost before its result was recorded (another claim owns it now)")]
    private static partial void LogLeaseLost(ILogger logger, long rowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released {Count} outbox rows whose lease expired")]
    private static partial void LogLeasesReleased(ILogger logger, int count);

    /// <summary>One channel's sender with its rate limits and its 429 pause.</summary>
    private sealed class ChannelLane(IChannelSender sender, TimeProvider time, TimeSpan lease) : IDisposable
    {
        // Tokens are handed out every 100 ms (a timer cannot tick reliably every 1/300 s); at most a tenth of a
        // second's worth waits in the bucket, so no second ever sees more than the configured rate plus 10 %,
        // well inside the messenger's own one-second bucket.
        private readonly RateLimiter _global = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = TokensPerTick(sender.MessagesPerSecond),
            TokensPerPeriod = TokensPerTick(sender.MessagesPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(TokensPerTick(sender.MessagesPerSecond) / sender.MessagesPerSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });

        private readonly ChatPacer? _perChat = sender.PerChatPerSecond <= 0
            ? null
            : new ChatPacer(sender.PerChatPerSecond, Math.Max(1, sender.PerChatBurst), time);

        private long _pausedUntilTicks;
        private int _inFlight;

        /// <summary>Rows of this channel being sent (or waiting for its rate) right now.</summary>
        public int InFlight => Volatile.Read(ref _inFlight);

        public void Started() => Interlocked.Increment(ref _inFlight);

        public void Finished() => Interlocked.Decrement(ref _inFlight);

        private static readonly TimeSpan ShortChatWait = TimeSpan.FromMilliseconds(50);

        private static int TokensPerTick(double perSecond) => Math.Max(1, (int)Math.Floor(perSecond / 10));

        public void Dispose() => _global.Dispose();

        /// <summary>Chats whose next message would have to wait longer than a short wait for the per-chat limit.</summary>
        public string[] CoolingChats() => _perChat?.Cooling(ShortChatWait) ?? [];

        /// <summary>How long the channel stays paused by the last 429; zero or less when it is not paused.</summary>
        public TimeSpan PausedFor() => new DateTimeOffset(Interlocked.Read(ref _pausedUntilTicks), TimeSpan.Zero) - time.GetUtcNow();

        public async Task<SendResult> SendAsync(OutboxRow row, CancellationToken cancellationToken)
        {
            // A chat that must wait long gives its slot to another chat; a short wait is simply waited out.
            // Timers round to whole milliseconds, so wait a little past the computed instant and check again.
            while (_perChat?.WaitFor(row.ChatId) is { } chatWait && chatWait > TimeSpan.Zero)
            {
                if (chatWait > ShortChatWait)
                {
                    return new SendResult(SendOutcome.Deferred, "chat rate", chatWait);
                }
                await Task.Delay(chatWait + TimeSpan.FromMilliseconds(5), time, cancellationToken);
            }
            using var token = await _global.AcquireAsync(1, cancellationToken);
            // A 429 seen while this row waited for its token pauses it too; so does a lease worn down by the wait
            // (a request must never outlive the claim, or another instance could send the row again).
            if (PausedFor() is var pause && pause > TimeSpan.Zero)
            {
                return new SendResult(SendOutcome.Deferred, "channel paused", pause);
            }
            if (row.LeaseUntil - time.GetUtcNow() < lease / 2)
            {
                return new SendResult(SendOutcome.Deferred, "lease worn down", TimeSpan.Zero);
            }
            // Not the stopping token: a message already on its way is finished (bounded by the HTTP timeout).
            var result = await sender.SendAsync(row, CancellationToken.None);
            _perChat?.Sent(row.ChatId);
            if (result.Outcome == SendOutcome.RateLimited)
            {
                var until = time.GetUtcNow() + result.RetryAfter;
                Interlocked.Exchange(ref _pausedUntilTicks, Math.Max(Interlocked.Read(ref _pausedUntilTicks), until.UtcTicks));
            }
            return result;
        }
    }

    /// <summary>
    /// A messenger's per-chat flood control (a token bucket: <c>burst</c> messages, refilled at <c>perSecond</c>),
    /// counted when a send has completed, so the next message to the chat never reaches the messenger early even
    /// when the previous request was slow. A chat is sent to by one task at a time (the claim takes only its oldest
    /// open row); another instance keeps its own count, a small risk accepted for chats that move between instances.
    /// </summary>
    private sealed class ChatPacer(double perSecond, int burst, TimeProvider time)
    {
        private readonly ConcurrentDictionary<string, Bucket> _chats = new(StringComparer.Ordinal);
        private long _sends;

        public TimeSpan WaitFor(string chat)
        {
            if (!_chats.TryGetValue(chat, out var bucket))
            {
                return TimeSpan.Zero;
            }
            lock (bucket)
            {
                var tokens = bucket.TokensAt(time.GetTimestamp(), perSecond, burst, time);
                return tokens >= 1 ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - tokens) / perSecond);
            }
        }

        /// <summary>Chats that have to wait longer than <paramref name="longerThan"/> for their next message.</summary>
        public string[] Cooling(TimeSpan longerThan)
        {
            var now = time.GetTimestamp();
            var threshold = 1 - longerThan.TotalSeconds * perSecond;
            var cooling = new List<string>();
            foreach (var (chat, bucket) in _chats)
            {
                lock (bucket)
                {
                    if (bucket.TokensAt(now, perSecond, burst, time) < threshold)
                    {
                        cooling.Add(chat);
                    }
                }
            }
            return [.. cooling];
        }

        public void Sent(string chat)
        {
            var now = time.GetTimestamp();
            var bucket = _chats.GetOrAdd(chat, _ => new Bucket { Tokens = burst, Stamp = now });
            lock (bucket)
            {
                bucket.Tokens = Math.Max(0, bucket.TokensAt(now, perSecond, burst, time) - 1);
                bucket.Stamp = now;
            }
            if (Interlocked.Increment(ref _sends) % 4096 == 0)
            {
                // Chats whose bucket has refilled carry no information: forget them.
                foreach (var (key, idle) in _chats)
                {
                    lock (idle)
                    {
                        if (idle.TokensAt(now, perSecond, burst, time) >= burst)
                        {
                            _chats.TryRemove(key, out _);
                        }
                    }
                }
            }
        }

        private sealed class Bucket
        {
            public double Tokens;
            public long Stamp;

            public double TokensAt(long now, double perSecond, int burst, TimeProvider time) =>
                Math.Min(burst, Tokens + time.GetElapsedTime(Stamp, now).TotalSeconds * perSecond);
        }
    }
}
