using System.Globalization;
using System.Text.RegularExpressions;
using ConsultBot.Domain.Consultations;

namespace ConsultBot.Domain.Materials;

/// <summary>
/// A day as people type it: "25.11", "25.11.2026", "сегодня", "завтра", "today", "tomorrow". A day without a year is the
/// next such day from today, so "10.01" typed in November is next January.
/// </summary>
public static partial class SchoolDayInput
{
    public static DateInputError TryParse(string? input, DateOnly today, out DateOnly day)
    {
        day = default;
        var match = Pattern().Match((input ?? string.Empty).Trim().ToLowerInvariant());
        if (!match.Success)
        {
            return DateInputError.Unrecognised;
        }
        if (match.Groups["word"].Success)
        {
            day = match.Groups["word"].Value is "завтра" or "tomorrow" ? today.AddDays(1) : today;
            return DateInputError.None;
        }
        var d = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture);
        var hasYear = match.Groups["year"].Success;
        var year = hasYear ? int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture) : today.Year;
        if (year < 100)
        {
            year += 2000;
        }
        if (!IsDate(year, month, d))
        {
            return DateInputError.NoSuchDate;
        }
        day = new DateOnly(year, month, d);
        if (!hasYear && day < today)
        {
            if (!IsDate(year + 1, month, d))
            {
                return DateInputError.NoSuchDate;
            }
            day = new DateOnly(year + 1, month, d);
        }
        return DateInputError.None;
    }

    private static bool IsDate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    [GeneratedRegex(@"^(?:(?<word>сегодня|завтра|today|tomorrow)|(?<day>\d{1,2})\.(?<month>\d{1,2})(?:\.(?<year>\d{2}|\d{4}))?)$")]
    private static partial Regex Pattern();
}
