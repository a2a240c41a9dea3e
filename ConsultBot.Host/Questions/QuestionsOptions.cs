using System.ComponentModel.DataAnnotations;
using ConsultBot.Domain.Questions;
using ConsultBot.Host.Scheduling;

namespace ConsultBot.Host.Questions;

public sealed class QuestionsOptions : IValidatableObject
{
    public const string SectionName = "Questions";

    /// <summary>New questions one student or parent may ask in a rolling hour.</summary>
    [Range(1, 1000, ErrorMessage = "Questions:MaxPerHour (Questions__MaxPerHour) must be between 1 and 1000")]
    public int MaxPerHour { get; set; } = 5;

    /// <summary>Messages one student or parent may write into questions in a rolling hour.</summary>
    [Range(1, 10000, ErrorMessage = "Questions:MaxMessagesPerHour (Questions__MaxMessagesPerHour) must be between 1 and 10000")]
    public int MaxMessagesPerHour { get; set; } = 30;

    /// <summary>A question unanswered this long is in the teacher's daily reminder.</summary>
    [Range(1, 720, ErrorMessage = "Questions:ReminderAfterHours (Questions__ReminderAfterHours) must be between 1 and 720")]
    public int ReminderAfterHours { get; set; } = 24;

    /// <summary>Cron (school time zone) of the reminder of unanswered questions: once a day is what teachers expect.</summary>
    public string ReminderCron { get; set; } = "0 9 * * *";

    /// <summary>The cron is checked like every other job's (<see cref="SchedulingExtensions.IsCron"/>), by ValidateDataAnnotations.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SchedulingExtensions.IsCron(ReminderCron))
        {
            yield return new ValidationResult("Questions:ReminderCron (Questions__ReminderCron) must be a 5-field cron expression", [nameof(ReminderCron)]);
        }
    }

    public QuestionSettings ToSettings() => new() { MaxPerHour = MaxPerHour, MaxMessagesPerHour = MaxMessagesPerHour };
}
