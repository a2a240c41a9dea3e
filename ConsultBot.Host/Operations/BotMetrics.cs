using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Conversations;
using ConsultBot.Host.Outbox;
using Prometheus;

namespace ConsultBot.Host.Operations;

/// <summary>
/// The host's Prometheus metrics, in a registry of its own (one per host, so hosts in one test process never mix their
/// counts). Every label has a fixed, small set of values: channels, outcomes, reasons, job names. Never a chat id,
/// a person or a text.
/// </summary>
public sealed class BotMetrics
{
    private readonly Counter _updates;
    private readonly Counter _sent;
    private readonly Counter _failures;
    private readonly Counter _rateLimited;
    private readonly Histogram _jobs;

    public BotMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        _updates = factory.CreateCounter("consultbot_updates_received_total",
            "Inbound updates by channel and outcome (processed, duplicate, failed, throttled).", "channel", "outcome");
        _sent = factory.CreateCounter("consultbot_messages_sent_total",
            "Outbox rows delivered to the messenger, by channel (replies, reminders, announcements).", "channel");
        _failures = factory.CreateCounter("consultbot_send_failures_total",
            "Sends the messenger did not accept, by channel and reason (rate_limited, unreachable, transient, rejected).", "channel", "reason");
        _rateLimited = factory.CreateCounter("consultbot_rate_limited_total",
            "429 Too Many Requests (VK: error 6) answers, by channel.", "channel");
        OutboxPending = factory.CreateGauge("consultbot_outbox_pending_rows",
            "Outbox rows not delivered yet (pending or being sent), read from the database at scrape time.");
        OutboxOldestAge = factory.CreateGauge("consultbot_outbox_oldest_pending_age_seconds",
            "Age of the oldest outbox row not delivered yet (0 when there is none), read at scrape time.");
        DatabaseUp = factory.CreateGauge("consultbot_database_up",
            "1 when the last scrape could read the outbox from PostgreSQL, 0 when it could not.");
        _jobs = factory.CreateHistogram("consultbot_job_duration_seconds", "Hangfire job run time by job and result (succeeded, failed).",
            new HistogramConfiguration
            {
                LabelNames = ["job", "result"],
                Buckets = Histogram.ExponentialBuckets(0.01, 4, 9), // 10 ms … 11 min
            });
        foreach (var channel in Enum.GetValues<Channel>())
        {
            var key = channel.ToKey();
            foreach (var outcome in Enum.GetValues<UpdateOutcome>())
            {
                _updates.WithLabels(key, OutcomeLabel(outcome));
            }
            _sent.WithLabels(key);
            _rateLimited.WithLabels(key);
            foreach (var reason in (string[])["rate_limited", "unreachable", "transient", "rejected"])
            {
                _failures.WithLabels(key, reason);
            }
        }
    }

    public CollectorRegistry Registry { get; }

    public Gauge OutboxPending { get; }

    public Gauge OutboxOldestAge { get; }

    public Gauge DatabaseUp { get; }

    public void UpdateReceived(Channel channel, UpdateOutcome outcome) => _updates.WithLabels(channel.ToKey(), OutcomeLabel(outcome)).Inc();

    /// <summary>Counts a send's outcome; a deferred row (waiting for its chat's rate) was not tried and counts nothing.</summary>
    public void SendFinished(Channel channel, SendOutcome outcome)
    {
        var key = channel.ToKey();
        switch (outcome)
        {
            case SendOutcome.Sent:
                _sent.WithLabels(key).Inc();
                break;
            case SendOutcome.RateLimited:
                _rateLimited.WithLabels(key).Inc();
                _failures.WithLabels(key, "rate_limited").Inc();
                break;
            case SendOutcome.Unreachable:
                _failures.WithLabels(key, "unreachable").Inc();
                break;
            case SendOutcome.Transient:
                _failures.WithLabels(key, "transient").Inc();
                break;
            case SendOutcome.Rejected:
                _failures.WithLabels(key, "rejected").Inc();
                break;
            case SendOutcome.Deferred:
                break;
        }
    }

    public void JobFinished(string job, bool succeeded, TimeSpan duration) =>
        _jobs.WithLabels(job, succeeded ? "succeeded" : "failed").Observe(duration.TotalSeconds);

    private static string OutcomeLabel(UpdateOutcome outcome) => outcome switch
    {
        UpdateOutcome.Processed => "processed",
        UpdateOutcome.Duplicate => "duplicate",
        UpdateOutcome.Failed => "failed",
        UpdateOutcome.Throttled => "throttled",
        _ => "other",
    };
}
