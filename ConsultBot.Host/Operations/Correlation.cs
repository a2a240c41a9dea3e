using ConsultBot.Domain.Messaging;

namespace ConsultBot.Host.Operations;

/// <summary>
/// The id that ties an update (or a job run) to the outbox rows it wrote and to their sends in the log:
/// <c>telegram:123456</c>, <c>vk:…</c>, <c>web:…</c>, or <c>job:DailyRemindersJob:42</c>. It is in a logging scope
/// (<c>CorrelationId</c>) while the work runs, and in <c>outbox.correlation_id</c>.
/// </summary>
public static class Correlation
{
    public const string ScopeKey = "CorrelationId";

    /// <summary>The PostgreSQL setting the pipeline's transaction sets; <c>outbox.correlation_id</c> defaults to it.</summary>
    public const string Setting = "consultbot.correlation_id";

    private static readonly AsyncLocal<string?> CurrentId = new();

    /// <summary>The id of the work running on this flow, or null.</summary>
    public static string? Current
    {
        get => CurrentId.Value;
        internal set => CurrentId.Value = value;
    }

    public static string ForUpdate(Channel channel, string updateId) => Truncate(channel.ToKey() + ":" + updateId);

    public static string ForJob(string job, string runId) => Truncate("job:" + job + ":" + runId);

    /// <summary>A logging scope with the id (structured: <c>CorrelationId</c>).</summary>
    public static IDisposable? BeginScope(ILogger logger, string id) =>
        logger.BeginScope(new[] { new KeyValuePair<string, object>(ScopeKey, id) });

    private static string Truncate(string id) => id.Length > 200 ? id[..200] : id;
}
