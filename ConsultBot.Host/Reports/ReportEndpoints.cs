using ConsultBot.Domain.People;
using ConsultBot.Domain.Reports;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Admin;
using ConsultBot.Host.School;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Reports;

public static class ReportEndpoints
{
    public const string Pattern = "/reports/activity/{month}.csv";

    /// <summary>
    /// <c>GET /reports/activity/{yyyy-MM}.csv[?lang=en]</c> with the administrator's HTTP Basic credentials (those of the
    /// Hangfire dashboard); not served at all while they are not configured.
    /// </summary>
    public static WebApplication MapReports(this WebApplication app)
    {
        app.MapGet(Pattern, GetAsync);
        return app;
    }

    private static async Task<IResult> GetAsync(string month, string? lang, HttpContext http, IOptions<AdminOptions> admin,
        NpgsqlDataSource dataSource, IOptions<SchoolOptions> school, SchoolClock clock, ActivityCounter activity,
        CancellationToken cancellationToken)
    {
        // Personal data: no browser or proxy keeps a copy.
        http.Response.Headers.CacheControl = "no-store";
        var options = admin.Value;
        if (!options.DashboardEnabled)
        {
            return Results.NotFound();
        }
        if (!new AdminCredentials(options.DashboardUser!, options.DashboardPassword!).Matches(http.Request.Headers.Authorization.ToString()))
        {
            http.Response.Headers.WWWAuthenticate = AdminCredentials.Challenge;
            return Results.Unauthorized();
        }
        var language = lang is not null && lang.Equals("en", StringComparison.OrdinalIgnoreCase) ? Language.En : Language.Ru;
        var t = TextCatalog.For(language);
        if (!ReportMonth.TryParseKey(month, out var reportMonth))
        {
            return Results.Text(t.ReportBadMonthKey(month), "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        var zone = school.Value.TimeZoneInfo;
        var now = clock.Now;
        if (reportMonth > ReportMonth.Of(now, zone))
        {
            return Results.Text(t.ReportMonthNotBegun(reportMonth), "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await new PgActivityReport(connection, counted: activity).BuildAsync(reportMonth, zone, now, cancellationToken);
        return Results.File(ActivityCsv.Render(rows, language), "text/csv; charset=utf-8", ActivityCsv.FileName(reportMonth));
    }
}
