using System.Collections.Concurrent;
using ConsultBot.Host.Operations;
using ConsultBot.Tests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace ConsultBot.Tests.Operations;

/// <summary>The Hangfire server filter in the real host: job durations in /metrics and a correlation id per run.</summary>
public sealed class JobMetricsFilterTests(PostgresFixture db) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Job_IsTimedAndRunsUnderItsCorrelationId_WhenHangfireServerRunsIt()
    {
        await using var host = new BotHost(db.ConnectionString, new Dictionary<string, string?> { ["Scheduling:ServerEnabled"] = "true" });
        using var client = host.Start();
        var token = Guid.NewGuid().ToString("N");

        var jobId = host.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ProbeJob>(j => j.RunAsync(token, CancellationToken.None));
        var text = string.Empty;
        var deadline = DateTime.UtcNow.AddSeconds(90); // Hangfire's PostgreSQL queue is polled every 15 s
        while (DateTime.UtcNow < deadline)
        {
            text = await client.GetStringAsync(OperationsExtensions.MetricsPath);
            if (MetricsText.Value(text, "consultbot_job_duration_seconds_count", "job=\"ProbeJob\"", "result=\"succeeded\"") == 1)
            {
                break;
            }
            await Task.Delay(200);
        }

        Assert.Equal(1, MetricsText.Value(text, "consultbot_job_duration_seconds_count", "job=\"ProbeJob\"", "result=\"succeeded\""));
        Assert.True(ProbeJob.Seen.TryGetValue(token, out var correlation), "the job did not run");
        Assert.Equal("job:ProbeJob:" + jobId, correlation);
    }
}

/// <summary>A job that records the correlation id it ran under.</summary>
public sealed class ProbeJob
{
    public static ConcurrentDictionary<string, string?> Seen { get; } = new();

    public Task RunAsync(string token, CancellationToken cancellationToken)
    {
        Seen[token] = Correlation.Current;
        return Task.Delay(10, cancellationToken);
    }
}
