using ConsultBot.Host.Scheduling;

namespace ConsultBot.Host.Questions;

public static class QuestionsExtensions
{
    /// <summary>Limits of questions to teachers and the daily reminder of unanswered ones.</summary>
    public static IHostApplicationBuilder AddQuestions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QuestionsOptions>().BindConfiguration(QuestionsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<QuestionRemindersJob>();
        builder.Services.AddRecurringJob<QuestionRemindersJob, QuestionsOptions>("question-reminders", job => job.RunAsync(CancellationToken.None),
            o => o.ReminderCron);
        return builder;
    }
}
