using System.ComponentModel.DataAnnotations;
using ConsultBot.Domain.Questions;
using ConsultBot.Host.Questions;

namespace ConsultBot.Tests.Questions;

/// <summary>The Questions settings: defaults, what reaches the dialogs, and what is refused.</summary>
public sealed class QuestionsOptionsTests
{
    [Fact]
    public void Defaults_AreValid_AndMatchTheDomainSettings()
    {
        var options = new QuestionsOptions();

        Assert.Empty(Errors(options));
        Assert.Equal(new QuestionSettings(), options.ToSettings());
        Assert.Equal((24, "0 9 * * *"), (options.ReminderAfterHours, options.ReminderCron));
    }

    [Fact]
    public void ToSettings_CarriesTheLimits()
    {
        var settings = new QuestionsOptions { MaxPerHour = 2, MaxMessagesPerHour = 9 }.ToSettings();

        Assert.Equal((2, 9), (settings.MaxPerHour, settings.MaxMessagesPerHour));
    }

    [Theory]
    [InlineData(nameof(QuestionsOptions.MaxPerHour), 0)]
    [InlineData(nameof(QuestionsOptions.MaxMessagesPerHour), 0)]
    [InlineData(nameof(QuestionsOptions.ReminderAfterHours), 721)]
    public void Validate_NamesTheKey_WhenOutOfRange(string key, int value)
    {
        var options = new QuestionsOptions();
        typeof(QuestionsOptions).GetProperty(key)!.SetValue(options, value);

        Assert.Contains(Errors(options), e => e.Contains($"Questions:{key}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("every day")]
    [InlineData("0 9 * *")]
    [InlineData("0\t9\t*\t*\t*")]   // the shared check of every job's cron (SchedulingExtensions.IsCron) splits on spaces only
    public void Validate_RefusesACronThatIsNotFiveFields(string cron)
    {
        Assert.Contains(Errors(new QuestionsOptions { ReminderCron = cron }), e => e.Contains("Questions:ReminderCron", StringComparison.Ordinal));
    }

    private static List<string> Errors(QuestionsOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }
}
