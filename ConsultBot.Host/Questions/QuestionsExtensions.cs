using ConsultBot.Host.School;
using Hangfire;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Questions;

public static class QuestionsExtensions
{
    /// <summary>Limits of questions to teachers and the daily reminder of unanswered ones.</summary>
    public static IHostApplicationBuilder AddQuestions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QuestionsOptions>().BindConfiguration(QuestionsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<QuestionRemindersJob>();
        builder.Services.AddHostedService<QuestionJobsRegistration>();
        return builder;
    }
}

/// <summary>Registers the questions' recurring job at start, in the school's time zone.</summary>
internal sealed class QuestionJobsRegistration(IRecurringJobManager jobs, IOptions<SchoolOptions> school, IOptions<QuestionsOptions> options)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<QuestionRemindersJob>("question-reminders", job => job.RunAsync(CancellationToken.None), options.Value.ReminderCron,
            new RecurringJobOptions { TimeZone = school.Value.TimeZoneInfo });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
