using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Consultations;

/// <summary>
/// A teacher's weekly office hours ("Tuesdays 15:00–16:00, 20-minute individual slots"): a template the bot turns into
/// individual slots a configured number of weeks ahead.
/// </summary>
public sealed record OfficeHours
{
    public long Id { get; init; }
    public required PersonId TeacherId { get; init; }
    public long? SubjectId { get; init; }
    public string? SubjectName { get; init; }
    public required DayOfWeek Day { get; init; }
    public required TimeOnly From { get; init; }
    public required TimeOnly To { get; init; }
    public required int SlotMinutes { get; init; }
    public string? Link { get; init; }
    public string? Room { get; init; }

    public int SlotsPerDay => SlotMinutes <= 0 ? 0 : (int)((To - From).TotalMinutes / SlotMinutes);

    /// <summary>Local slot starts on the template's weekday from <paramref name="firstDay"/> for <paramref name="weeks"/> weeks,
    /// as instants in the school's zone; a local time skipped by a clock change is left out.</summary>
    public IReadOnlyList<DateTimeOffset> Starts(DateOnly firstDay, int weeks, TimeZoneInfo zone)
    {
        var starts = new List<DateTimeOffset>();
        var day = firstDay.AddDays(((int)Day - (int)firstDay.DayOfWeek + 7) % 7);
        for (var w = 0; w < weeks; w++, day = day.AddDays(7))
        {
            for (var i = 0; i < SlotsPerDay; i++)
            {
                var local = day.ToDateTime(From.AddMinutes(i * SlotMinutes), DateTimeKind.Unspecified);
                if (SchoolTime.ToInstant(local, zone) is { } instant)
                {
                    starts.Add(instant);
                }
            }
        }
        return starts;
    }
}

/// <summary>Why office hours cannot be saved as typed.</summary>
public enum OfficeHoursError
{
    None,
    Unrecognised,
    EndBeforeStart,
    SlotTooShort,
    SlotTooLong,
    /// <summary>The range holds no whole slot.</summary>
    NoWholeSlot,
    OverWorkload,
}

/// <summary>Local calendar helpers in the school's time zone.</summary>
public static class SchoolTime
{
    /// <summary>The instant of a local wall-clock time; null when the clocks skip it. Ambiguous times take the earlier instant.</summary>
    public static DateTimeOffset? ToInstant(DateTime local, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(local))
        {
            return null;
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    public static DateTimeOffset Local(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);

    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) => DateOnly.FromDateTime(Local(now, zone).DateTime);

    /// <summary>Start of a local day as an instant (midnight, or the first valid time after a skipped midnight).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }
        return ToInstant(local, zone)!.Value;
    }

    /// <summary>The school week (Monday to Monday, local) holding an instant.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) WeekOf(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var day = Today(instant, zone);
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        return (StartOfDay(monday, zone), StartOfDay(monday.AddDays(7), zone));
    }
}

/// <summary>Turns office hours into slots a few weeks ahead, idempotently and within the teacher's weekly cap.</summary>
public static class OfficeHoursGenerator
{
    /// <summary>Inserts the template's missing slots from now for <paramref name="weeks"/> weeks; returns how many were added.</summary>
    public static async Task<int> GenerateAsync(IConsultationRepository repository, OfficeHours template, DateTimeOffset now,
        TimeZoneInfo zone, int weeks, ConsultationPolicy policy, CancellationToken cancellationToken)
    {
        var cap = (await repository.WeeklyCapAsync(template.TeacherId, cancellationToken).ConfigureAwait(false)) ?? policy.WeeklyWorkloadHours;
        var added = 0;
        var starts = template.Starts(SchoolTime.Today(now, zone), weeks, zone).Where(s => s > now + policy.MinimumNotice).ToList();
        foreach (var week in starts.GroupBy(s => SchoolTime.WeekOf(s, zone)))
        {
            var existing = await repository.TemplateStartsAsync(template.Id, week.Key.From, week.Key.To, cancellationToken).ConfigureAwait(false);
            var minutes = await repository.ScheduledMinutesAsync(template.TeacherId, week.Key.From, week.Key.To, cancellationToken)
                .ConfigureAwait(false);
            var fresh = new List<DateTimeOffset>();
            foreach (var start in week.Where(s => !existing.Contains(s)))
            {
                if (minutes + template.SlotMinutes > cap * 60)
                {
                    break;
                }
                minutes += template.SlotMinutes;
                fresh.Add(start);
            }
            if (fresh.Count > 0)
            {
                added += await repository.InsertTemplateSlotsAsync(template, fresh, cancellationToken).ConfigureAwait(false);
            }
        }
        return added;
    }
}
