using ConsultBot.Host.Admin;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.School;
using ConsultBot.Host.Timetable;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Scheduling;

public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>Runs a Hangfire server in this host (jobs are stored in PostgreSQL either way).</summary>
    public bool ServerEnabled { get; set; } = true;

    public int WorkerCount { get; set; } = 2;

    /// <summary>Cron (school time zone) of the nightly maintenance job.</summary>
    public string MaintenanceCron { get; set; } = "30 3 * * *";

    /// <summary>Days an under-14 student may wait for a parent's confirmation before their data is erased.</summary>
    public int UnconfirmedChildDays { get; set; } = 30;
}

public static class SchedulingExtensions
{
    public const string HangfireSchema = "hangfire";

    /// <summary>Hangfire on PostgreSQL (schema "hangfire"), its server, and the recurring jobs in the school's time zone.</summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.SectionName)
            .Validate(o => o.WorkerCount is >= 1 and <= 64, "Scheduling:WorkerCount must be between 1 and 64")
            .Validate(o => IsCron(o.MaintenanceCron), "Scheduling:MaintenanceCron must be a 5-field cron expression")
            .Validate(o => o.UnconfirmedChildDays is >= 1 and <= 365, "Scheduling:UnconfirmedChildDays must be between 1 and 365")
            .ValidateOnStart();
        // This host's server runs Hangfire's filters plus the job metrics and correlation filter (Hangfire's server takes the
        // registered provider; the global filter list would be shared by every host in a process).
        builder.Services.AddSingleton<Hangfire.Common.IJobFilterProvider>(sp => new Operations.HostJobFilterProvider(sp.GetRequiredService<Operations.JobMetricsFilter>()));
        builder.Services.AddHangfire((sp, config) => config
            .UseLogProvider(new HostSafeLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                o => o.UseConnectionFactory(new DataSourceConnectionFactory(sp.GetRequiredService<NpgsqlDataSource>())),
                new PostgreSqlStorageOptions { SchemaName = HangfireSchema, PrepareSchemaIfNecessary = true }));
        builder.Services.AddSingleton<MaintenanceJob>();
        builder.Services.AddHostedService<RecurringJobsRegistration>();
        if (builder.Configuration.GetValue($"{SchedulingOptions.SectionName}:ServerEnabled", true))
        {
            builder.Services.AddHangfireServer((sp, o) => o.WorkerCount = sp.GetRequiredService<IOptions<SchedulingOptions>>().Value.WorkerCount);
        }
        return builder;
    }

    /// <summary>The dashboard at /hangfire, behind the administrator's credentials; not mapped at all without them.</summary>
    public static WebApplication MapSchedulingDashboard(this WebApplication app)
    {
        var admin = app.Services.GetRequiredService<IOptions<AdminOptions>>().Value;
        if (admin.DashboardEnabled)
        {
            app.UseHangfireDashboard("/hangfire", new DashboardOptions
            {
                Authorization = [new BasicAuthDashboardFilter(admin.DashboardUser!, admin.DashboardPassword!)],
                DisplayStorageConnectionString = false,
            });
        }
        return app;
    }

    internal static bool IsCron(string? cron) => cron is not null && cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5;

    private sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }
}

/// <summary>
/// Hangfire keeps one log provider for the whole process, set by the host that configured it last. When that host
/// stops, its logger factory is disposed while other hosts in the same process (end-to-end tests, benchmarks) still
/// create Hangfire loggers through it; this provider then stops logging instead of throwing from Hangfire's constructors.
/// </summary>
internal sealed class HostSafeLogProvider(ILoggerFactory loggerFactory) : Hangfire.Logging.ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider _inner = new(loggerFactory);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return SilentLog.Instance;
        }
    }

    private sealed class SilentLog : Hangfire.Logging.ILog
    {
        public static readonly SilentLog Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}

/// <summary>HTTP Basic authentication for the dashboard, compared in constant time.</summary>
internal sealed class BasicAuthDashboardFilter(string user, string password) : IDashboardAuthorizationFilter
{
    private readonly AdminCredentials _credentials = new(user, password);

    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (_credentials.Matches(http.Request.Headers.Authorization.ToString()))
        {
            return true;
        }
        http.Response.Headers.WWWAuthenticate = AdminCredentials.Challenge;
        return false;
    }
}

/// <summary>Registers the recurring jobs at start, with the school's time zone.</summary>
internal sealed class RecurringJobsRegistration(IRecurringJobManager jobs, IOptions<SchoolOptions> school,
    IOptions<SchedulingOptions> options, IOptions<ConsultationsOptions> consultations, IOptions<TimetableOptions> timetable) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var inSchoolZone = new RecurringJobOptions { TimeZone = school.Value.TimeZoneInfo };
        jobs.AddOrUpdate<MaintenanceJob>("maintenance", job => job.RunAsync(CancellationToken.None), options.Value.MaintenanceCron, inSchoolZone);
        jobs.AddOrUpdate<ConsultationRemindersJob>("consultation-reminders", job => job.RunAsync(CancellationToken.None),
            consultations.Value.ReminderCron, inSchoolZone);
        jobs.AddOrUpdate<TeacherDigestJob>("teacher-digest", job => job.RunAsync(CancellationToken.None), consultations.Value.DigestCron(), inSchoolZone);
        jobs.AddOrUpdate<OfficeHoursJob>("office-hours", job => job.RunAsync(CancellationToken.None), consultations.Value.OfficeHoursCron, inSchoolZone);
        jobs.AddOrUpdate<DailyRemindersJob>("daily-reminders", job => job.RunAsync(CancellationToken.None), timetable.Value.ReminderCron, inSchoolZone);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Nightly clean-up: delivered outbox rows, old dedupe marks, used or expired codes, old playground messages, and the
/// personal data of under-14 students no parent confirmed in time (152-FZ: no consent, no data).
/// </summary>
public sealed partial class MaintenanceJob(NpgsqlDataSource dataSource, IOptions<Outbox.OutboxOptions> outbox,
    IOptions<SchedulingOptions> scheduling, ILogger<MaintenanceJob> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            DELETE FROM outbox WHERE status IN ('sent', 'failed', 'undeliverable') AND created_at < now() - make_interval(days => @days);
            DELETE FROM processed_updates WHERE processed_at < now() - interval '7 days';
            DELETE FROM one_time_codes WHERE expires_at < now() - interval '1 day';
            DELETE FROM web_messages WHERE created_at < now() - make_interval(days => @days);
            WITH unconfirmed AS (
                SELECT id FROM persons
                WHERE role = 'student' AND status = 'active' AND under14 AND NOT confirmed_by_parent
                  AND created_at < now() - make_interval(days => @childDays)
            ), erased AS (
                SELECT id, forget_person(id) FROM unconfirmed
            )
            INSERT INTO audit_log (action, subject_id) SELECT 'unconfirmed-child-erased', id FROM erased;
            """);
        command.Parameters.AddWithValue("days", outbox.Value.RetentionDays);
        command.Parameters.AddWithValue("childDays", scheduling.Value.UnconfirmedChildDays);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        LogDone(logger, deleted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Maintenance removed {Rows} old rows")]
    private static partial void LogDone(ILogger logger, int rows);
}
