using ConsultBot.Host.Scheduling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Reports;

public sealed class ReportsOptions
{
    public const string SectionName = "Reports";

    /// <summary>Cron (school time zone) of the monthly report job; it reports the month before the one it runs in.</summary>
    public string Cron { get; set; } = "0 8 1 * *";
}

public static class ReportsExtensions
{
    /// <summary>The monthly activity report: the Hangfire job that sends it to administrators, and the HTTP endpoint.</summary>
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.SectionName)
            .Validate(o => SchedulingExtensions.IsCron(o.Cron), "Reports:Cron (Reports__Cron) must be a 5-field cron expression")
            .ValidateOnStart();
        builder.Services.AddSingleton<MonthlyReportJob>();
        builder.Services.AddHostedService<ReportJobRegistration>();
        return builder;
    }
}

/// <summary>Registers the monthly report job at start, in the school's time zone.</summary>
internal sealed class ReportJobRegistration(IRecurringJobManager jobs, IOptions<School.SchoolOptions> school, IOptions<ReportsOptions> options)
    : IHostedService
{
    public const string JobId = "monthly-report";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<MonthlyReportJob>(JobId, job => job.RunAsync(CancellationToken.None), options.Value.Cron,
            new RecurringJobOptions { TimeZone = school.Value.TimeZoneInfo });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
