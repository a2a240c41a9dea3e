using ConsultBot.Host.School;
using ConsultBot.Host.Scheduling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Announcements;

public sealed class AnnouncementsOptions
{
    public const string SectionName = "Announcements";

    /// <summary>Cron (school time zone) of the job that tells authors how their finished announcements went.</summary>
    public string ReportCron { get; set; } = "* * * * *";
}

public static class AnnouncementsExtensions
{
    /// <summary>Announcements: the job that reports delivered / unreachable / failed to each author once their announcement is done.</summary>
    public static IHostApplicationBuilder AddAnnouncements(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AnnouncementsOptions>().BindConfiguration(AnnouncementsOptions.SectionName)
            .Validate(o => SchedulingExtensions.IsCron(o.ReportCron), "Announcements:ReportCron (Announcements__ReportCron) must be a 5-field cron expression")
            .ValidateOnStart();
        builder.Services.AddSingleton<AnnouncementReportsJob>();
        builder.Services.AddHostedService<AnnouncementJobRegistration>();
        return builder;
    }
}

/// <summary>Registers the reports job at start, in the school's time zone.</summary>
internal sealed class AnnouncementJobRegistration(IRecurringJobManager jobs, IOptions<SchoolOptions> school, IOptions<AnnouncementsOptions> options)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<AnnouncementReportsJob>("announcement-reports", job => job.RunAsync(CancellationToken.None), options.Value.ReportCron,
            new RecurringJobOptions { TimeZone = school.Value.TimeZoneInfo });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
