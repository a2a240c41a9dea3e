using System.Globalization;
using ConsultBot.Domain.Consultations;

namespace ConsultBot.Domain.Reports;

/// <summary>A calendar month of the school (its boundaries are local midnights in the school's time zone).</summary>
public readonly record struct ReportMonth : IComparable<ReportMonth>
{
    public const int MinYear = 2000;
    public const int MaxYear = 2100;

    private static readonly string[] RussianPrefixes = ["янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"];
    private static readonly string[] EnglishPrefixes = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public ReportMonth(int year, int month)
    {
        if (!IsValid(year, month))
        {
            throw new ArgumentOutOfRangeException(nameof(month), $"{year}-{month} is not a month between {MinYear} and {MaxYear}");
        }
        Year = year;
        Month = month;
    }

    public int Year { get; }
    public int Month { get; }

    public DateOnly FirstDay => new(Year, Month, 1);

    /// <summary>The first day of the next month: the end of this one, exclusive.</summary>
    public DateOnly EndDay => FirstDay.AddMonths(1);

    public ReportMonth Previous => FromDate(FirstDay.AddMonths(-1));

    /// <summary>"2026-11": the form of file names, URLs and button arguments.</summary>
    public string Key => Year.ToString("D4", CultureInfo.InvariantCulture) + "-" + Month.ToString("D2", CultureInfo.InvariantCulture);

    public static bool IsValid(int year, int month) => year is >= MinYear and <= MaxYear && month is >= 1 and <= 12;

    public static ReportMonth FromDate(DateOnly day) => new(day.Year, day.Month);

    /// <summary>The school-local month holding an instant.</summary>
    public static ReportMonth Of(DateTimeOffset instant, TimeZoneInfo zone) => FromDate(SchoolTime.Today(instant, zone));

    /// <summary>The month's start and end (exclusive) as instants: local midnights of its first day and of the next month's.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Bounds(TimeZoneInfo zone) =>
        (SchoolTime.StartOfDay(FirstDay, zone).ToUniversalTime(), SchoolTime.StartOfDay(EndDay, zone).ToUniversalTime());

    public int CompareTo(ReportMonth other) => (Year * 12 + Month).CompareTo(other.Year * 12 + other.Month);

    public static bool operator <(ReportMonth a, ReportMonth b) => a.CompareTo(b) < 0;
    public static bool operator >(ReportMonth a, ReportMonth b) => a.CompareTo(b) > 0;
    public static bool operator <=(ReportMonth a, ReportMonth b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ReportMonth a, ReportMonth b) => a.CompareTo(b) >= 0;

    public override string ToString() => Key;

    /// <summary>Exactly "yyyy-MM" (URLs, buttons); anything else, "2026-13" included, is false.</summary>
    public static bool TryParseKey(string? text, out ReportMonth month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || !IsValid(year, m))
        {
            return false;
        }
        month = new ReportMonth(year, m);
        return true;
    }

    /// <summary>
    /// A month as people type it: "11.2026", "11/2026", "11-2026", "2026-11", "2026.11", "ноябрь 2026", "ноя 2026", "November 2026".
    /// "13/2026", "2026-00" or words that are no month are false.
    /// </summary>
    public static bool TryParse(string? input, out ReportMonth month)
    {
        month = default;
        var text = (input ?? string.Empty).Trim().ToLowerInvariant().Replace('ё', 'е');
        if (text.Length is 0 or > 40)
        {
            return false;
        }
        var parts = text.Split([' ', '.', '/', '-', ','], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            return false;
        }
        int year, m;
        if (IsNumber(parts[0], 1, 2, out m) && IsNumber(parts[1], 4, 4, out year))
        {
            // 11.2026
        }
        else if (IsNumber(parts[0], 4, 4, out year) && IsNumber(parts[1], 1, 2, out m))
        {
            // 2026-11
        }
        else if (IsNumber(parts[1], 4, 4, out year) && MonthByName(parts[0]) is { } byName)
        {
            m = byName;
        }
        else
        {
            return false;
        }
        if (!IsValid(year, m))
        {
            return false;
        }
        month = new ReportMonth(year, m);
        return true;
    }

    private static bool IsNumber(string text, int minDigits, int maxDigits, out int value)
    {
        value = 0;
        return text.Length >= minDigits && text.Length <= maxDigits && text.All(char.IsAsciiDigit)
               && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static int? MonthByName(string word)
    {
        if (word.Length < 3 || !word.All(char.IsLetter))
        {
            return null;
        }
        for (var i = 0; i < 12; i++)
        {
            // "май", "мая", "мае" but not "март" (checked first) or "мама".
            var ru = RussianPrefixes[i];
            if (i == 4 ? word is "май" or "мая" or "мае" : word.StartsWith(ru, StringComparison.Ordinal))
            {
                return i + 1;
            }
            if (word.StartsWith(EnglishPrefixes[i], StringComparison.Ordinal))
            {
                return i + 1;
            }
        }
        return null;
    }
}
