using Npgsql;

namespace ConsultBot.Host.Outbox;

/// <summary>
/// Sends <c>NOTIFY consultbot_outbox</c> after local commits, at most once per 20 ms, so dispatchers of other
/// instances wake well within 100 ms of a commit without every business transaction taking the notify lock.
/// </summary>
public sealed partial class OutboxNotifier(NpgsqlDataSource dataSource, OutboxSignal signal, TimeProvider time,
    ILogger<OutboxNotifier> logger) : BackgroundService
{
    public const string Channel = "consultbot_outbox";
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitForCommitAsync(stoppingToken);
                await using (var command = dataSource.CreateCommand($"SELECT pg_notify('{Channel}', @instance)"))
                {
                    command.Parameters.AddWithValue("instance", signal.InstanceId);
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                await Task.Delay(Coalesce, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // Other instances still find the rows on their next poll.
                LogFailed(logger, e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox NOTIFY failed ({Error}); other instances will poll")]
    private static partial void LogFailed(ILogger logger, string error);
}
