using System.Linq.Expressions;
using ConsultBot.Host.School;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Scheduling;

public static class RecurringJobRegistrationExtensions
{
    /// <summary>
    /// Registers one recurring Hangfire job when the host starts: <paramref name="id"/> runs <paramref name="run"/> on the
    /// cron read from <typeparamref name="TOptions"/>, in the school's time zone.
    /// </summary>
    public static IServiceCollection AddRecurringJob<TJob, TOptions>(this IServiceCollection services, string id,
        Expression<Func<TJob, Task>> run, Func<TOptions, string> cron)
        where TOptions : class =>
        services.AddSingleton<IHostedService>(provider => new RecurringJobRegistration<TJob, TOptions>(
            provider.GetRequiredService<IRecurringJobManager>(), provider.GetRequiredService<IOptions<SchoolOptions>>(),
            provider.GetRequiredService<IOptions<TOptions>>(), id, run, cron));
}

/// <summary>Registers one recurring job at start, with its cron from the options, in the school's time zone.</summary>
internal sealed class RecurringJobRegistration<TJob, TOptions>(IRecurringJobManager jobs, IOptions<SchoolOptions> school,
    IOptions<TOptions> options, string id, Expression<Func<TJob, Task>> run, Func<TOptions, string> cron) : IHostedService
    where TOptions : class
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate(id, run, cron(options.Value), new RecurringJobOptions { TimeZone = school.Value.TimeZoneInfo });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
