using System.Diagnostics;
using Hangfire.Common;
using Hangfire.Server;

namespace ConsultBot.Host.Operations;

/// <summary>
/// A Hangfire server filter: times every job run into <c>consultbot_job_duration_seconds</c> and gives the run a
/// correlation id (<c>job:{job type}:{job id}</c>) that the outbox rows it plans carry and its log lines are scoped with.
/// </summary>
public sealed class JobMetricsFilter(BotMetrics metrics, ILogger<JobMetricsFilter> logger) : IServerFilter
{
    private const string StartedKey = "consultbot:started";
    private const string ScopeKey = "consultbot:scope";
    private const string PreviousKey = "consultbot:previous-correlation";

    public void OnPerforming(PerformingContext context)
    {
        var id = Correlation.ForJob(JobName(context.BackgroundJob.Job), context.BackgroundJob.Id);
        context.Items[PreviousKey] = Correlation.Current;
        Correlation.Current = id;
        context.Items[ScopeKey] = Correlation.BeginScope(logger, id);
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.TryGetValue(StartedKey, out var started) && started is long timestamp)
        {
            metrics.JobFinished(JobName(context.BackgroundJob.Job), context.Exception is null, Stopwatch.GetElapsedTime(timestamp));
        }
        if (context.Items.TryGetValue(ScopeKey, out var scope))
        {
            (scope as IDisposable)?.Dispose();
        }
        Correlation.Current = context.Items.TryGetValue(PreviousKey, out var previous) ? previous as string : null;
    }

    /// <summary>The job's class (<c>DailyRemindersJob</c>): a handful of names, never arguments.</summary>
    internal static string JobName(Job? job) => job?.Type.Name ?? "unknown";
}

/// <summary>Hangfire's filters plus this host's <see cref="JobMetricsFilter"/>, for this host's server only (not process-wide).</summary>
internal sealed class HostJobFilterProvider(JobMetricsFilter filter) : IJobFilterProvider
{
    private readonly JobFilter _filter = new(filter, JobFilterScope.Global, null);

    public IEnumerable<JobFilter> GetFilters(Job job) => JobFilterProviders.Providers.GetFilters(job).Append(_filter);
}
