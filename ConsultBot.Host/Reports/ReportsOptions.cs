using ConsultBot.Host.Scheduling;

namespace ConsultBot.Host.Reports;

public sealed class ReportsOptions
{
    public const string SectionName = "Reports";

    /// <summary>Cron (school time zone) of the monthly report job; it reports the month before the one it runs in.</summary>
    public string Cron { get; set; } = "0 8 1 * *";

    /// <summary>How often the messages counted for the report (<c>person_activity</c>) are written, in seconds.</summary>
    public int ActivityFlushSeconds { get; set; } = 5;
}

public static class ReportsExtensions
{
    public const string MonthlyReportJobId = "monthly-report";

    /// <summary>The monthly activity report: the Hangfire job that sends it to administrators, and the HTTP endpoint.</summary>
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.SectionName)
            .Validate(o => SchedulingExtensions.IsCron(o.Cron), "Reports:Cron (Reports__Cron) must be a 5-field cron expression")
            .Validate(o => o.ActivityFlushSeconds is >= 1 and <= 300,
                "Reports:ActivityFlushSeconds (Reports__ActivityFlushSeconds) must be between 1 and 300")
            .ValidateOnStart();
        builder.Services.AddSingleton<MonthlyReportJob>();
        builder.Services.AddRecurringJob<MonthlyReportJob, ReportsOptions>(MonthlyReportJobId, job => job.RunAsync(CancellationToken.None), o => o.Cron);
        return builder;
    }
}
