using ConsultBot.Domain.People;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Reports;

/// <summary>
/// Counts the messages registered people send, per school-local day, for the monthly report's "days active" and
/// "messages" (<c>person_activity</c>). Counted in memory after an update commits and written in one set-based upsert
/// every <see cref="ReportsOptions.ActivityFlushSeconds"/> and when the host stops, instead of one upsert in every
/// update's transaction: that hot-row update was a fifth of the inbound path's PostgreSQL time. A host killed outright
/// loses at most the counts of its last interval (statistics, never a person's data); see docs/decisions/008.
/// </summary>
public sealed partial class ActivityCounter(NpgsqlDataSource dataSource, ILogger<ActivityCounter> logger)
{
    private readonly Lock _lock = new();
    private Dictionary<(long Person, DateOnly Day), int> _pending = [];

    /// <summary>One more message of <paramref name="person"/> on <paramref name="day"/> (school-local).</summary>
    public void Count(PersonId person, DateOnly day) => Add((person.Value, day), 1);

    private void Add((long Person, DateOnly Day) key, int messages)
    {
        lock (_lock)
        {
            _pending[key] = _pending.GetValueOrDefault(key) + messages;
        }
    }

    /// <summary>
    /// Writes what was counted since the last flush. Counts of people erased meanwhile are dropped; when PostgreSQL cannot
    /// take them they are kept for the next flush. Returns the number of (person, day) rows written.
    /// </summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken)
    {
        KeyValuePair<(long Person, DateOnly Day), int>[] rows;
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                return 0;
            }
            rows = [.. _pending];
            _pending = [];
        }
        try
        {
            await using var command = dataSource.CreateCommand(
                """
                INSERT INTO person_activity (person_id, day, messages)
                SELECT c.person, c.day, c.messages
                FROM unnest(@persons, @days, @messages) AS c (person, day, messages)
                JOIN persons p ON p.id = c.person AND p.status <> 'forgotten'
                ORDER BY c.person, c.day
                ON CONFLICT (person_id, day) DO UPDATE SET messages = person_activity.messages + excluded.messages
                """);
            command.Parameters.AddWithValue("persons", rows.Select(r => r.Key.Person).ToArray());
            command.Parameters.AddWithValue("days", rows.Select(r => r.Key.Day).ToArray());
            command.Parameters.AddWithValue("messages", rows.Select(r => r.Value).ToArray());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            foreach (var (key, messages) in rows)
            {
                Add(key, messages);
            }
            LogFlushFailed(logger, e, rows.Length);
            if (e is OperationCanceledException)
            {
                throw;
            }
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the activity counts of {Rows} person-days; kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int rows);
}

/// <summary>Flushes <see cref="ActivityCounter"/> on its interval, and a last time when the host stops.</summary>
public sealed class ActivityFlusher(ActivityCounter counter, IOptions<ReportsOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ActivityFlushSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Not the stopping token: a flush under way finishes (one short statement) rather than leave its
                // statement running on the server while the host stops; the stop then flushes what is left.
                await counter.FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: the last flush runs in StopAsync
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await counter.FlushAsync(CancellationToken.None);
    }
}
