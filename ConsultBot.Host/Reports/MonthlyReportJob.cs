using System.Globalization;
using System.Text.Json;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Reports;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.School;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Reports;

/// <summary>
/// On the 1st (by default) the previous month's activity report goes to every active administrator as a CSV document,
/// through their preferred reachable messenger, in their language. Idempotent: the month's <c>monthly_reports</c> row and
/// the outbox rows (keyed <c>report:{yyyy-MM}:{person}</c>) are written in one transaction, so a second run — here or on
/// another instance, even at the same moment — finds the marker and sends nothing. When no administrator is reachable
/// the transaction is rolled back (no marker), a warning is logged and the next run tries again.
/// </summary>
public sealed partial class MonthlyReportJob(NpgsqlDataSource dataSource, IOptions<SchoolOptions> school, OutboxSignal signal,
    SchoolClock clock, ILogger<MonthlyReportJob> logger, ActivityCounter activity)
{
    /// <summary>Reports the school-local month before the current one; returns the outbox rows added (0 when it was done before).</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        RunForAsync(ReportMonth.Of(clock.Now, school.Value.TimeZoneInfo).Previous, cancellationToken);

    /// <summary>Produces and plans the report of <paramref name="month"/> unless it was already; returns the outbox rows added.</summary>
    public async Task<int> RunForAsync(ReportMonth month, CancellationToken cancellationToken)
    {
        var zone = school.Value.TimeZoneInfo;
        var now = clock.Now;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var marker = new NpgsqlCommand(
            "INSERT INTO monthly_reports (month, created_at) VALUES (@month, @now) ON CONFLICT (month) DO NOTHING", connection, transaction))
        {
            marker.Parameters.AddWithValue("month", month.FirstDay);
            marker.Parameters.AddWithValue("now", now);
            // A concurrent run waits here for the other's commit, then inserts nothing.
            if (await marker.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                LogAlreadyDone(logger, month.Key);
                return 0;
            }
        }
        var rows = await new PgActivityReport(connection, transaction, activity).BuildAsync(month, zone, now, cancellationToken);
        var students = rows.Count(r => r.Role == ReportRole.Student);
        int added;
        await using (var plan = new NpgsqlCommand(
            """
            INSERT INTO outbox (channel, chat_id, person_id, body, dedupe_key, correlation_id)
            SELECT a.channel, a.chat_id, p.id, CASE WHEN p.language = 'en' THEN @en::jsonb ELSE @ru::jsonb END,
                   'report:' || @key || ':' || p.id, @correlation::text
            FROM persons p
            JOIN LATERAL (
                SELECT ac.channel, ac.chat_id FROM accounts ac
                WHERE ac.person_id = p.id AND ac.reachable
                ORDER BY ac.preferred DESC, ac.created_at
                LIMIT 1
            ) a ON true
            WHERE p.role = 'admin' AND p.status = 'active'
            ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
            """, connection, transaction))
        {
            plan.Parameters.AddWithValue("key", month.Key);
            plan.Parameters.Add(new NpgsqlParameter("correlation", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)Operations.Correlation.Current ?? DBNull.Value });
            plan.Parameters.AddWithValue("ru", Body(rows, month, students, Language.Ru));
            plan.Parameters.AddWithValue("en", Body(rows, month, students, Language.En));
            added = await plan.ExecuteNonQueryAsync(cancellationToken);
        }
        if (added == 0)
        {
            // Nobody to send it to (no active administrator with a reachable account): the month is not marked done,
            // so the next run tries again.
            await transaction.RollbackAsync(cancellationToken);
            LogNoRecipients(logger, month.Key);
            return 0;
        }
        await using (var count = new NpgsqlCommand("UPDATE monthly_reports SET recipients = @n WHERE month = @month", connection, transaction))
        {
            count.Parameters.AddWithValue("n", added);
            count.Parameters.AddWithValue("month", month.FirstDay);
            await count.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (added > 0)
        {
            signal.Committed();
        }
        LogPlanned(logger, month.Key, rows.Count, added);
        return added;
    }

    private static string Body(IReadOnlyList<ActivityRow> rows, ReportMonth month, int students, Language language)
    {
        var t = TextCatalog.For(language);
        return JsonSerializer.Serialize(new MessageBody(t.MonthlyReportCaption(month, students, rows.Count - students), null,
            new MessageDocument(ActivityCsv.FileName(month), ActivityCsv.Render(rows, language))), HostJsonAccess.Options);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Monthly report {Month}: {Rows} rows, sent to {Recipients} administrators")]
    private static partial void LogPlanned(ILogger logger, string month, int rows, int recipients);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monthly report {Month}: no active administrator is reachable; not marked done, the next run retries")]
    private static partial void LogNoRecipients(ILogger logger, string month);

    [LoggerMessage(Level = LogLevel.Information, Message = "Monthly report {Month} was already produced; nothing to do")]
    private static partial void LogAlreadyDone(ILogger logger, string month);
}
