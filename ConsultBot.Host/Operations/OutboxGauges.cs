using Npgsql;

namespace ConsultBot.Host.Operations;

/// <summary>
/// Fills the outbox gauges when Prometheus scrapes: one query over the open rows' partial index, whatever the traffic
/// (nothing is counted per update). A database that does not answer within a few seconds sets <c>consultbot_database_up</c>
/// to 0 and leaves the last values.
/// </summary>
internal static partial class OutboxGauges
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task CollectAsync(BotMetrics metrics, NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand(
                """
                SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
                FROM outbox WHERE status IN ('pending', 'sending')
                """);
            await using var reader = await command.ExecuteReaderAsync(deadline.Token);
            await reader.ReadAsync(deadline.Token);
            metrics.OutboxPending.Set(reader.GetInt64(0));
            metrics.OutboxOldestAge.Set(Math.Max(0, reader.GetDouble(1)));
            metrics.DatabaseUp.Set(1);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            metrics.DatabaseUp.Set(0);
            LogUnavailable(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metrics could not read the outbox ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string error);
}
