using System.Globalization;
using System.Text.RegularExpressions;

namespace ConsultBot.Domain.Consultations;

public enum DateInputError
{
    None,
    Unrecognised,
    NoSuchDate,
    NoSuchTime,
    /// <summary>The local time does not exist (clocks jump forward over it).</summary>
    SkippedByClockChange,
}

/// <summary>
/// Dates and times as people type them in the school's time zone: "25.11 15:00", "25.11.2026 9:30",
/// "завтра 15:30", "сегодня 8:05", "tomorrow 15:30", "today 8:05". A day without a year is the next such day
/// from today. Ambiguous local times (clocks going back) take the earlier instant.
/// </summary>
public static partial class SchoolDateInput
{
    public static DateInputError TryParse(string? input, DateTimeOffset now, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        instant = default;
        var text = (input ?? string.Empty).Trim().ToLowerInvariant();
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return DateInputError.Unrecognised;
        }
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        DateOnly date;
        if (match.Groups["word"].Success)
        {
            date = match.Groups["word"].Value is "завтра" or "tomorrow" ? today.AddDays(1) : today;
        }
        else
        {
            var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
            var month = int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture);
            var year = match.Groups["year"].Success ? int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture) : today.Year;
            if (year < 100)
            {
                year += 2000;
            }
            if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                return DateInputError.NoSuchDate;
            }
            date = new DateOnly(year, month, day);
            if (!match.Groups["year"].Success && date < today)
            {
                // "25.01" typed in November means next January.
                if (day > DateTime.DaysInMonth(year + 1, month))
                {
                    return DateInputError.NoSuchDate;
                }
                date = new DateOnly(year + 1, month, day);
            }
        }
        var hour = int.Parse(match.Groups["hour"].Value, CultureInfo.InvariantCulture);
        var minute = int.Parse(match.Groups["minute"].Value, CultureInfo.InvariantCulture);
        if (hour > 23 || minute > 59)
        {
            return DateInputError.NoSuchTime;
        }
        var local = date.ToDateTime(new TimeOnly(hour, minute), DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return DateInputError.SkippedByClockChange;
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        instant = new DateTimeOffset(local, offset);
        return DateInputError.None;
    }

    [GeneratedRegex(@"^(?:(?<word>сегодня|завтра|today|tomorrow)|(?<day>\d{1,2})\.(?<month>\d{1,2})(?:\.(?<year>\d{2}|\d{4}))?)\s+(?<hour>\d{1,2}):(?<minute>\d{2})$")]
    private static partial Regex Pattern();
}
