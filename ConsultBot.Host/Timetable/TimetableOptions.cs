using System.Globalization;
using ConsultBot.Domain.Timetable;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Timetable;

public sealed class TimetableOptions
{
    public const string SectionName = "Timetable";

    /// <summary>First day of the term (yyyy-MM-dd) weekly timetable rows apply to, unless a row gives its own dates.</summary>
    public string TermStart { get; set; } = "2026-09-01";

    /// <summary>Last day of the term (yyyy-MM-dd).</summary>
    public string TermEnd { get; set; } = "2027-05-31";

    /// <summary>Largest timetable file accepted, kilobytes.</summary>
    public int MaxImportKilobytes { get; set; } = 2048;

    /// <summary>Local time (HH:mm) of the daily lesson reminder unless a person chose another.</summary>
    public string ReminderTime { get; set; } = "07:30";

    /// <summary>Local time (HH:mm) of the reminder for people who want it the evening before.</summary>
    public string EveningBeforeTime { get; set; } = "19:00";

    /// <summary>Cron (school time zone) of the daily-reminder planner; each run plans what is due and not yet planned.</summary>
    public string ReminderCron { get; set; } = "*/5 * * * *";

    public TimetableSettings ToSettings() => new()
    {
        TermStart = DateOnly.ParseExact(TermStart, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        TermEnd = DateOnly.ParseExact(TermEnd, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        MaxImportBytes = MaxImportKilobytes * 1024,
        ReminderTime = TimeOnly.ParseExact(ReminderTime, "HH:mm", CultureInfo.InvariantCulture),
        EveningBeforeTime = TimeOnly.ParseExact(EveningBeforeTime, "HH:mm", CultureInfo.InvariantCulture),
    };
}

public sealed class TimetableOptionsValidator : IValidateOptions<TimetableOptions>
{
    public ValidateOptionsResult Validate(string? name, TimetableOptions o)
    {
        var errors = new List<string>();
        var start = Date(o.TermStart, "TermStart", errors);
        var end = Date(o.TermEnd, "TermEnd", errors);
        if (start is { } s && end is { } e && e < s)
        {
            errors.Add("Timetable:TermEnd (Timetable__TermEnd) must not be before Timetable:TermStart");
        }
        if (o.MaxImportKilobytes is < 1 or > 10 * 1024)
        {
            errors.Add("Timetable:MaxImportKilobytes (Timetable__MaxImportKilobytes) must be between 1 and 10240");
        }
        Time(o.ReminderTime, "ReminderTime", errors);
        Time(o.EveningBeforeTime, "EveningBeforeTime", errors);
        if (o.ReminderCron is null || o.ReminderCron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5)
        {
            errors.Add("Timetable:ReminderCron (Timetable__ReminderCron) must be a 5-field cron expression");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static DateOnly? Date(string? value, string key, List<string> errors)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors.Add($"Timetable:{key} (Timetable__{key}) must be a date like 2026-09-01");
        return null;
    }

    private static void Time(string? value, string key, List<string> errors)
    {
        if (!TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add($"Timetable:{key} (Timetable__{key}) must be a local time like 07:30");
        }
    }
}

public static class TimetableExtensions
{
    /// <summary>The timetable settings, and (as they arrive) the import, the daily-reminder job and materials.</summary>
    public static IHostApplicationBuilder AddTimetable(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TimetableOptions>().BindConfiguration(TimetableOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TimetableOptions>, TimetableOptionsValidator>();
        builder.Services.AddSingleton<DailyRemindersJob>();
        return builder;
    }
}
