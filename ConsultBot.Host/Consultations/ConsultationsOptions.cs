using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Scheduling;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Consultations;

public sealed class ConsultationsOptions
{
    public const string SectionName = "Consultations";

    /// <summary>The longest reminder offset: a week.</summary>
    public const int MaxReminderMinutes = 7 * 24 * 60;

    /// <summary>Bookings close this many minutes before the start.</summary>
    [Range(0, 10080, ErrorMessage = "Consultations:MinimumNoticeMinutes must be between 0 and 10080")]
    public int MinimumNoticeMinutes { get; set; } = 120;

    /// <summary>A booking cannot be cancelled later than this many minutes before the start.</summary>
    [Range(0, 10080, ErrorMessage = "Consultations:CancellationCutoffMinutes must be between 0 and 10080")]
    public int CancellationCutoffMinutes { get; set; } = 180;

    /// <summary>Active and waiting bookings one student may hold at once.</summary>
    [Range(1, 100, ErrorMessage = "Consultations:MaxActiveBookings must be between 1 and 100")]
    public int MaxActiveBookings { get; set; } = 3;

    /// <summary>A teacher's weekly consultation load, hours, unless an administrator set another.</summary>
    [Range(0.5, 60.0, ErrorMessage = "Consultations:WeeklyWorkloadHours must be between 0.5 and 60")]
    public double WeeklyWorkloadHours { get; set; } = 6;

    /// <summary>Attestation preparation is group-only by the usual school order; some organisations allow individual.</summary>
    public bool IndividualAttestationPrepAllowed { get; set; }

    [Range(5, 1440, ErrorMessage = "Consultations:MinDurationMinutes must be between 5 and 1440")]
    public int MinDurationMinutes { get; set; } = 10;

    [Range(5, 1440, ErrorMessage = "Consultations:MaxDurationMinutes must be between 5 and 1440")]
    public int MaxDurationMinutes { get; set; } = 240;

    /// <summary>Seats of a group consultation at most (the database allows 1000).</summary>
    [Range(2, 1000, ErrorMessage = "Consultations:MaxGroupCapacity must be between 2 and 1000")]
    public int MaxGroupCapacity { get; set; } = 100;

    /// <summary>Comma-separated minutes before the start at which participants and the teacher are reminded.</summary>
    public string ReminderMinutesBefore { get; set; } = "1440,60";

    /// <summary>Local time (HH:mm, school time zone) of the teacher's evening digest of tomorrow's consultations.</summary>
    public string DigestTime { get; set; } = "18:00";

    /// <summary>How many weeks ahead office hours are turned into slots.</summary>
    [Range(1, 26, ErrorMessage = "Consultations:OfficeHoursWeeksAhead must be between 1 and 26")]
    public int OfficeHoursWeeksAhead { get; set; } = 4;

    /// <summary>Cron (school time zone) of the reminder planner.</summary>
    public string ReminderCron { get; set; } = "* * * * *";

    /// <summary>Cron (school time zone) of the job that turns office hours into slots.</summary>
    public string OfficeHoursCron { get; set; } = "15 2 * * *";

    // Methods, not properties: data-annotation validation reads every property, before the values are known to parse.

    /// <summary>The reminder offsets in minutes, largest first; empty when reminders are off.</summary>
    public IReadOnlyList<int> ReminderOffsets() => ParseOffsets(ReminderMinutesBefore) ?? [];

    /// <summary>The digest's daily cron in the school's time zone: "m h * * *".</summary>
    public string DigestCron()
    {
        var time = TimeOnly.ParseExact(DigestTime.Trim(), "H:mm", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{time.Minute} {time.Hour} * * *");
    }

    public ConsultationPolicy ToPolicy() => new()
    {
        MinDurationMinutes = MinDurationMinutes,
        MaxDurationMinutes = MaxDurationMinutes,
        MaxGroupCapacity = MaxGroupCapacity,
        MinimumNotice = TimeSpan.FromMinutes(MinimumNoticeMinutes),
        CancellationCutoff = TimeSpan.FromMinutes(CancellationCutoffMinutes),
        MaxActiveBookingsPerStudent = MaxActiveBookings,
        WeeklyWorkloadHours = WeeklyWorkloadHours,
        IndividualAttestationPrepAllowed = IndividualAttestationPrepAllowed,
    };

    /// <summary>Distinct positive minutes up to a week, largest first; null when the list is malformed.</summary>
    internal static IReadOnlyList<int>? ParseOffsets(string? text)
    {
        var offsets = new SortedSet<int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes is < 1 or > MaxReminderMinutes)
            {
                return null;
            }
            offsets.Add(minutes);
        }
        return [.. offsets];
    }
}

/// <summary>Checks what data annotations cannot: lists, times, crons, and ranges that depend on each other.</summary>
public sealed class ConsultationsOptionsValidator(IOptions<OutboxOptions> outbox) : IValidateOptions<ConsultationsOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsultationsOptions o)
    {
        var errors = new List<string>();
        if (o.MinDurationMinutes > o.MaxDurationMinutes)
        {
            errors.Add("Consultations:MinDurationMinutes (Consultations__MinDurationMinutes) must not exceed Consultations:MaxDurationMinutes");
        }
        var offsets = ConsultationsOptions.ParseOffsets(o.ReminderMinutesBefore);
        if (offsets is null)
        {
            errors.Add("Consultations:ReminderMinutesBefore (Consultations__ReminderMinutesBefore) must be comma-separated minutes "
                + $"between 1 and {ConsultationsOptions.MaxReminderMinutes}, e.g. 1440,60");
        }
        else if (offsets.Count > 0 && offsets[0] >= outbox.Value.RetentionDays * 24 * 60)
        {
            // A planned reminder is remembered by its outbox row; deleted earlier, it would be planned again.
            errors.Add("Consultations:ReminderMinutesBefore (Consultations__ReminderMinutesBefore) must stay below Outbox:RetentionDays");
        }
        if (!TimeOnly.TryParseExact((o.DigestTime ?? string.Empty).Trim(), "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add("Consultations:DigestTime (Consultations__DigestTime) must be a local time HH:mm, e.g. 18:00");
        }
        if (!SchedulingExtensions.IsCron(o.ReminderCron))
        {
            errors.Add("Consultations:ReminderCron (Consultations__ReminderCron) must be a 5-field cron expression");
        }
        if (!SchedulingExtensions.IsCron(o.OfficeHoursCron))
        {
            errors.Add("Consultations:OfficeHoursCron (Consultations__OfficeHoursCron) must be a 5-field cron expression");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
