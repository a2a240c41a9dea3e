using System.ComponentModel.DataAnnotations;

namespace ConsultBot.Host.Outbox;

public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Rows claimed per query.</summary>
    [Range(1, 1000, ErrorMessage = "Outbox:BatchSize must be between 1 and 1000")]
    public int BatchSize { get; set; } = 100;

    /// <summary>Chats sent to at the same time by one instance.</summary>
    [Range(1, 1024, ErrorMessage = "Outbox:MaxConcurrency must be between 1 and 1024")]
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>
    /// Tries for a transient failure before the row is marked failed. With the default delays (2 s doubling up to 60 s)
    /// 20 tries span about 15 minutes, so a messenger outage of that length drops nothing.
    /// </summary>
    [Range(1, 100, ErrorMessage = "Outbox:MaxAttempts must be between 1 and 100")]
    public int MaxAttempts { get; set; } = 20;

    /// <summary>First retry delay; doubles with every attempt up to <see cref="RetryMaxDelayMs"/>.</summary>
    [Range(10, 3_600_000, ErrorMessage = "Outbox:RetryBaseDelayMs must be between 10 and 3600000")]
    public int RetryBaseDelayMs { get; set; } = 2000;

    /// <summary>The longest retry delay: after an outage no row waits longer than this for its next try.</summary>
    [Range(10, 3_600_000, ErrorMessage = "Outbox:RetryMaxDelayMs must be between 10 and 3600000")]
    public int RetryMaxDelayMs { get; set; } = 60_000;

    /// <summary>How long a claimed row stays reserved for one instance before another may take it over.</summary>
    [Range(5, 3600, ErrorMessage = "Outbox:LeaseSeconds must be between 5 and 3600")]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How often the dispatcher looks for due retries when nothing wakes it.</summary>
    [Range(50, 60_000, ErrorMessage = "Outbox:PollIntervalMs must be between 50 and 60000")]
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>Days delivered or failed rows are kept before the maintenance job deletes them.</summary>
    [Range(1, 3650, ErrorMessage = "Outbox:RetentionDays must be between 1 and 3650")]
    public int RetentionDays { get; set; } = 14;

    /// <summary>When false this instance writes the outbox but does not deliver it (another instance does).</summary>
    public bool DispatcherEnabled { get; set; } = true;
}
