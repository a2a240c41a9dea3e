using ConsultBot.Host.Scheduling;

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
        builder.Services.AddRecurringJob<AnnouncementReportsJob, AnnouncementsOptions>("announcement-reports",
            job => job.RunAsync(CancellationToken.None), o => o.ReportCron);
        return builder;
    }
}
