using System.Globalization;
using System.Text;
using ConsultBot.Domain.Consultations;

namespace ConsultBot.Domain.Timetable;

/// <summary>Why a timetable file, or one of its rows, cannot be imported.</summary>
public enum TimetableErrorKind
{
    Empty,
    TooLarge,
    NotCsv,
    UnknownColumn,
    MissingColumn,
    DuplicateColumn,
    HeaderOnly,
    FieldCount,
    ClassMissing,
    ClassTooLong,
    SubjectMissing,
    SubjectTooLong,
    TeacherTooLong,
    RoomTooLong,
    DayInvalid,
    TimeInvalid,
    EndBeforeStart,
    LinkInvalid,
    DateRangeInvalid,
    DateRangeOnDatedRow,
    NoDaysInRange,
    DuplicateRow,
    Overlap,
    UnknownClass,
    UnknownTeacher,
    AmbiguousTeacher,
    OverlapsExisting,
}

/// <summary>One problem; <paramref name="Line"/> is the file's line (1 = header), 0 for the file as a whole.</summary>
public sealed record TimetableError(int Line, TimetableErrorKind Kind, string? Detail = null);

/// <summary>A row of the file as typed: a weekly lesson (<see cref="Weekday"/>) or a one-off lesson (<see cref="Date"/>).</summary>
public sealed record TimetableRow
{
    public required int Line { get; init; }
    public required string Class { get; init; }
    public DayOfWeek? Weekday { get; init; }
    public DateOnly? Date { get; init; }
    public required TimeOnly Start { get; init; }
    public required TimeOnly End { get; init; }
    public required string Subject { get; init; }
    public string? Teacher { get; init; }
    public string? Room { get; init; }
    public string? Link { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
}

/// <summary>What reading a file gave: its rows, or every problem found in it.</summary>
public sealed record TimetableParse(IReadOnlyList<TimetableRow> Rows, IReadOnlyList<TimetableError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Reads a timetable CSV (see README, "Timetable"): UTF-8 with or without BOM or Windows-1251, <c>;</c> or <c>,</c>
/// (taken from the header), quoted fields per RFC 4180. Every row is checked; the caller imports only a file without errors.
/// </summary>
public static class TimetableCsv
{
    public const int MaxNameLength = 100;
    public const int MaxRoomLength = 50;

    private static readonly Dictionary<string, string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["class"] = "class", ["класс"] = "class", ["group"] = "class", ["группа"] = "class",
        ["day"] = "day", ["день"] = "day", ["date"] = "day", ["дата"] = "day",
        ["start"] = "start", ["начало"] = "start",
        ["end"] = "end", ["конец"] = "end", ["окончание"] = "end",
        ["subject"] = "subject", ["предмет"] = "subject",
        ["teacher"] = "teacher", ["учитель"] = "teacher",
        ["room"] = "room", ["кабинет"] = "room",
        ["link"] = "link", ["ссылка"] = "link",
        ["from"] = "from", ["с"] = "from",
        ["to"] = "to", ["по"] = "to",
    };

    private static readonly string[] Required = ["class", "day", "start", "end", "subject"];

    private static readonly Dictionary<string, DayOfWeek> Weekdays = BuildWeekdays();

    /// <summary>The file's text: UTF-8 when its bytes are valid UTF-8 (a BOM is dropped), Windows-1251 otherwise.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetString(bytes);
        }
    }

    public static TimetableParse Parse(ReadOnlySpan<byte> bytes, int maxBytes)
    {
        if (bytes.Length > maxBytes)
        {
            return Fail(0, TimetableErrorKind.TooLarge, (maxBytes / 1024).ToString(CultureInfo.InvariantCulture));
        }
        if (bytes.IsEmpty)
        {
            return Fail(0, TimetableErrorKind.Empty);
        }
        if (bytes.Contains((byte)0))
        {
            return Fail(0, TimetableErrorKind.NotCsv);
        }
        return Parse(Decode(bytes));
    }

    public static TimetableParse Parse(string text)
    {
        if (text.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')))
        {
            return Fail(0, TimetableErrorKind.NotCsv);
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail(0, TimetableErrorKind.Empty);
        }
        var firstLine = text.Split('\n', 2)[0];
        var separator = firstLine.Contains(';', StringComparison.Ordinal) ? ';' : firstLine.Contains(',', StringComparison.Ordinal) ? ',' : '\0';
        if (separator == '\0')
        {
            return Fail(0, TimetableErrorKind.NotCsv);
        }
        var records = Records(text, separator).Where(r => r.Fields.Any(f => f.Trim().Length > 0)).ToList();
        if (records.Count == 0)
        {
            return Fail(0, TimetableErrorKind.Empty);
        }
        var errors = new List<TimetableError>();
        var header = records[0];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (!Columns.TryGetValue(name, out var column))
            {
                errors.Add(new TimetableError(header.Line, TimetableErrorKind.UnknownColumn, name));
            }
            else if (!index.TryAdd(column, i))
            {
                errors.Add(new TimetableError(header.Line, TimetableErrorKind.DuplicateColumn, name));
            }
        }
        errors.AddRange(Required.Where(c => !index.ContainsKey(c)).Select(c => new TimetableError(header.Line, TimetableErrorKind.MissingColumn, c)));
        if (errors.Count > 0)
        {
            return new TimetableParse([], errors);
        }
        if (records.Count == 1)
        {
            return Fail(header.Line, TimetableErrorKind.HeaderOnly);
        }
        var rows = new List<TimetableRow>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Fields.Count)
            {
                errors.Add(new TimetableError(record.Line, TimetableErrorKind.FieldCount,
                    $"{header.Fields.Count}/{record.Fields.Count}"));
                continue;
            }
            var row = ParseRow(record, index, errors);
            if (row is not null)
            {
                rows.Add(row);
            }
        }
        CheckDuplicates(rows, errors);
        return new TimetableParse(errors.Count == 0 ? rows : [], [.. errors.OrderBy(e => e.Line)]);
    }

    /// <summary>Dates a weekly row fills, inside its own from/to or the term.</summary>
    public static IEnumerable<DateOnly> Days(TimetableRow row, TimetableSettings settings)
    {
        if (row.Date is { } date)
        {
            yield return date;
            yield break;
        }
        var from = row.From ?? settings.TermStart;
        var to = row.To ?? settings.TermEnd;
        var first = from.AddDays(((int)row.Weekday!.Value - (int)from.DayOfWeek + 7) % 7);
        for (var day = first; day <= to; day = day.AddDays(7))
        {
            yield return day;
        }
    }

    /// <summary>Lessons of one class that overlap in the file, after weekly rows are laid over the term.</summary>
    public static IReadOnlyList<TimetableError> Overlaps(IReadOnlyList<TimetableRow> rows, TimetableSettings settings)
    {
        var errors = new List<TimetableError>();
        var seen = new HashSet<(int, int)>();
        var byClassDay = rows
            .SelectMany(r => Days(r, settings).Select(d => (Key: (Class: r.Class.ToUpperInvariant(), Day: d), Row: r)))
            .GroupBy(x => x.Key);
        foreach (var day in byClassDay)
        {
            var lessons = day.Select(x => x.Row).OrderBy(r => r.Start).ThenBy(r => r.Line).ToList();
            for (var i = 0; i < lessons.Count; i++)
            {
                for (var j = i + 1; j < lessons.Count && lessons[j].Start < lessons[i].End; j++)
                {
                    var (a, b) = lessons[i].Line < lessons[j].Line ? (lessons[i], lessons[j]) : (lessons[j], lessons[i]);
                    if (seen.Add((a.Line, b.Line)))
                    {
                        errors.Add(new TimetableError(b.Line, TimetableErrorKind.Overlap,
                            a.Line.ToString(CultureInfo.InvariantCulture) + " " + day.Key.Day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)));
                    }
                }
            }
        }
        return [.. errors.OrderBy(e => e.Line)];
    }

    private static TimetableRow? ParseRow(Record record, Dictionary<string, int> index, List<TimetableError> errors)
    {
        var line = record.Line;
        string Get(string column) => index.TryGetValue(column, out var i) ? record.Fields[i].Trim() : string.Empty;
        var count = errors.Count;

        var @class = Get("class");
        if (@class.Length == 0)
        {
            errors.Add(new(line, TimetableErrorKind.ClassMissing));
        }
        else if (@class.Length > MaxNameLength)
        {
            errors.Add(new(line, TimetableErrorKind.ClassTooLong));
        }
        var subject = Get("subject");
        if (subject.Length == 0)
        {
            errors.Add(new(line, TimetableErrorKind.SubjectMissing));
        }
        else if (subject.Length > MaxNameLength)
        {
            errors.Add(new(line, TimetableErrorKind.SubjectTooLong));
        }
        var teacher = Get("teacher");
        if (teacher.Length > MaxNameLength)
        {
            errors.Add(new(line, TimetableErrorKind.TeacherTooLong));
        }
        var room = Get("room");
        if (room.Length > MaxRoomLength)
        {
            errors.Add(new(line, TimetableErrorKind.RoomTooLong));
        }
        var link = Get("link");
        if (link.Length > 0 && SafeLink.TryCreate(link) is null)
        {
            errors.Add(new(line, TimetableErrorKind.LinkInvalid));
        }

        var dayText = Get("day");
        DayOfWeek? weekday = null;
        DateOnly? date = null;
        if (Weekdays.TryGetValue(dayText.TrimEnd('.'), out var w))
        {
            weekday = w;
        }
        else if (ParseDate(dayText) is { } d)
        {
            date = d;
        }
        else
        {
            errors.Add(new(line, TimetableErrorKind.DayInvalid, dayText));
        }

        var start = ParseTime(Get("start"));
        var end = ParseTime(Get("end"));
        if (start is null)
        {
            errors.Add(new(line, TimetableErrorKind.TimeInvalid, Get("start")));
        }
        if (end is null)
        {
            errors.Add(new(line, TimetableErrorKind.TimeInvalid, Get("end")));
        }
        if (start is { } s && end is { } e && e <= s)
        {
            errors.Add(new(line, TimetableErrorKind.EndBeforeStart));
        }

        DateOnly? from = null, to = null;
        var fromText = Get("from");
        var toText = Get("to");
        if (fromText.Length > 0 || toText.Length > 0)
        {
            from = fromText.Length > 0 ? ParseDate(fromText) : null;
            to = toText.Length > 0 ? ParseDate(toText) : null;
            if (date is not null)
            {
                errors.Add(new(line, TimetableErrorKind.DateRangeOnDatedRow));
            }
            else if ((fromText.Length > 0 && from is null) || (toText.Length > 0 && to is null) || (from is { } f && to is { } t && t < f))
            {
                errors.Add(new(line, TimetableErrorKind.DateRangeInvalid));
            }
        }

        return errors.Count > count ? null : new TimetableRow
        {
            Line = line,
            Class = @class,
            Weekday = weekday,
            Date = date,
            Start = start!.Value,
            End = end!.Value,
            Subject = subject,
            Teacher = teacher.Length > 0 ? teacher : null,
            Room = room.Length > 0 ? room : null,
            Link = link.Length > 0 ? Consultations.SafeLink.Normalize(link) : null,
            From = from,
            To = to,
        };
    }

    private static void CheckDuplicates(List<TimetableRow> rows, List<TimetableError> errors)
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new HashSet<int>();
        foreach (var row in rows)
        {
            var key = string.Join('\u001f', row.Class.ToUpperInvariant(), row.Weekday, row.Date, row.Start, row.End,
                row.Subject.ToUpperInvariant(), row.Teacher?.ToUpperInvariant(), row.Room, row.Link, row.From, row.To);
            if (!first.TryAdd(key, row.Line))
            {
                errors.Add(new(row.Line, TimetableErrorKind.DuplicateRow, first[key].ToString(CultureInfo.InvariantCulture)));
                duplicates.Add(row.Line);
            }
        }
        rows.RemoveAll(r => duplicates.Contains(r.Line));
    }

    /// <summary>H:mm or HH:mm, 24-hour.</summary>
    internal static TimeOnly? ParseTime(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon is < 1 or > 2 || text.Length != colon + 3 || !text.All(c => c == ':' || char.IsAsciiDigit(c)))
        {
            return null;
        }
        var hour = int.Parse(text.AsSpan(0, colon), CultureInfo.InvariantCulture);
        var minute = int.Parse(text.AsSpan(colon + 1), CultureInfo.InvariantCulture);
        return hour < 24 && minute < 60 ? new TimeOnly(hour, minute) : null;
    }

    internal static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text, ["dd.MM.yyyy", "d.M.yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private static TimetableParse Fail(int line, TimetableErrorKind kind, string? detail = null) => new([], [new TimetableError(line, kind, detail)]);

    private sealed record Record(int Line, List<string> Fields);

    /// <summary>RFC 4180 records; a quoted field may hold separators, doubled quotes and line breaks.</summary>
    private static IEnumerable<Record> Records(string text, char separator)
    {
        var line = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var recordLine = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.ToString().Trim().Length == 0:
                    field.Clear();
                    quoted = true;
                    break;
                case var _ when c == separator:
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return new Record(recordLine, fields);
                    fields = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (fields.Count > 0 || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new Record(recordLine, fields);
        }
    }

    private static Dictionary<string, DayOfWeek> BuildWeekdays()
    {
        var map = new Dictionary<string, DayOfWeek>(StringComparer.OrdinalIgnoreCase);
        string[][] names =
        [
            ["вс", "воскресенье", "sun", "sunday", "7"],
            ["пн", "понедельник", "mon", "monday", "1"],
            ["вт", "вторник", "tue", "tuesday", "2"],
            ["ср", "среда", "wed", "wednesday", "3"],
            ["чт", "четверг", "thu", "thursday", "4"],
            ["пт", "пятница", "fri", "friday", "5"],
            ["сб", "суббота", "sat", "saturday", "6"],
        ];
        for (var d = 0; d < 7; d++)
        {
            foreach (var name in names[d])
            {
                map[name] = (DayOfWeek)d;
            }
        }
        return map;
    }
}
