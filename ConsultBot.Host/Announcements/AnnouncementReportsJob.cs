using ConsultBot.Domain.Announcements;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.School;
using Hangfire;
using Npgsql;

namespace ConsultBot.Host.Announcements;

/// <summary>
/// Tells each author how their announcement went once it is done: no outbox row of it is pending or sending any more.
/// One statement picks the finished, unreported announcements (<c>FOR UPDATE SKIP LOCKED</c>, so two instances never
/// take the same one), counts their rows by status and marks them reported with the counts; the summaries go into the
/// outbox in the same transaction with a key per announcement. A run that repeats reports nothing twice.
/// </summary>
/// <remarks>
/// Unreachable = rows the dispatcher marked undeliverable (the person blocked the bot) + people of the audience who had
/// no reachable account when it was sent. Failed = rows given up after <c>Outbox__MaxAttempts</c> transient errors.
/// </remarks>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)] // the next run, a minute later, catches up
public sealed partial class AnnouncementReportsJob(NpgsqlDataSource dataSource, OutboxSignal signal, SchoolClock clock,
    ILogger<AnnouncementReportsJob> logger)
{
    private const int BatchSize = 500;

    private const string ReportSql =
        """
        WITH finished AS (
            SELECT a.id FROM announcements a
            WHERE a.reported_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.announcement_id = a.id AND o.status IN ('pending', 'sending'))
            ORDER BY a.id
            LIMIT @batch
            FOR UPDATE SKIP LOCKED
        ), counted AS (
            SELECT f.id,
                   count(o.id) FILTER (WHERE o.status = 'sent')::int AS delivered,
                   count(o.id) FILTER (WHERE o.status = 'undeliverable')::int AS undeliverable,
                   count(o.id) FILTER (WHERE o.status = 'failed')::int AS failed
            FROM finished f
            LEFT JOIN outbox o ON o.announcement_id = f.id
            GROUP BY f.id
        ), marked AS (
            UPDATE announcements a
            SET reported_at = @now, delivered = c.delivered, undeliverable = c.undeliverable, failed = c.failed
            FROM counted c
            WHERE a.id = c.id AND a.reported_at IS NULL
            RETURNING a.id, a.author_id, a.audience, a.group_id, a.text, a.delivered, a.undeliverable + a.unreachable_at_send AS unreachable, a.failed
        )
        SELECT m.id, m.author_id, m.audience, g.name, m.text, m.delivered, m.unreachable, m.failed, p.language, acc.channel, acc.chat_id
        FROM marked m
        JOIN persons p ON p.id = m.author_id
        LEFT JOIN school_groups g ON g.id = m.group_id
        LEFT JOIN LATERAL (
            SELECT ac.channel, ac.chat_id FROM accounts ac
            WHERE ac.person_id = m.author_id AND ac.reachable AND p.status = 'active'
            ORDER BY ac.preferred DESC, ac.created_at
            LIMIT 1
        ) acc ON true
        """;

    /// <summary>Reports every finished announcement; returns how many were marked reported.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var summaries = new List<PlannedMessage>();
        var reported = 0;
        await using (var command = new NpgsqlCommand(ReportSql, connection, transaction))
        {
            command.Parameters.AddWithValue("batch", BatchSize);
            command.Parameters.AddWithValue("now", clock.Now.ToUniversalTime());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                reported++;
                if (reader.IsDBNull(9))
                {
                    continue; // the author has no reachable messenger now: marked reported, nobody to tell
                }
                var t = TextCatalog.For(LanguageCodes.Parse(reader.GetString(8)));
                var audience = AnnouncementAudiences.TryParse(reader.GetString(2)) ?? AnnouncementAudience.Everyone;
                var text = t.AnnouncementReport(t.AudienceName(audience, reader.IsDBNull(3) ? null : reader.GetString(3)),
                    AnnouncementFormat.Excerpt(reader.GetString(4)), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7));
                summaries.Add(new PlannedMessage($"announce-report:{reader.GetInt64(0)}", reader.GetString(9), reader.GetString(10),
                    reader.GetInt64(1), text));
            }
        }
        var planned = await PlannedMessages.InsertAsync(connection, summaries, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (planned > 0)
        {
            signal.Committed();
        }
        if (reported > 0)
        {
            LogReported(logger, reported, planned);
        }
        return reported;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Announcements reported: {Reported}, summaries queued: {Planned}")]
    private static partial void LogReported(ILogger logger, int reported, int planned);
}
