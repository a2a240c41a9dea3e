using ConsultBot.Domain.Timetable;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    public string MenuTimetable => "🗓 Timetable";

    public string TimetableHelp(int maxKilobytes) =>
        "To load the timetable, send me a CSV file (Excel: Save As → CSV).\n"
        + "Columns (the first line is the header): class;day;start;end;subject;teacher;room;link, optionally from;to.\n"
        + "• day — a weekday (Mon…Sun or 1–7): a lesson every week of the term (or between the from and to dates), except holidays; "
        + "or a date 15.09.2026 for a one-off lesson.\n"
        + "• start and end — 8:30 or 08:30.\n"
        + "• room and link (http/https) are optional.\n"
        + $"The whole file is checked first: if a row is wrong nothing is loaded and I list the bad rows. Up to {maxKilobytes} KB. "
        + "Loading the same file again changes nothing; lessons changed by hand stay as they are.\n\n"
        + "Example:\n" + TimetableExample;

    public string TimetableExample =>
        "class;day;start;end;subject;teacher;room;link\n"
        + "5A;Mon;8:30;9:15;Maths;Anna Ivanova;12;\n"
        + "5A;Mon;9:25;10:10;English;Peter Petrov;;https://meet.example.org/5a\n"
        + "5A;15.09.2026;14:00;14:45;Museum trip;;museum;";

    public string TimetableError(TimetableError e)
    {
        var at = e.Line > 0 ? $"Line {e.Line}: " : string.Empty;
        return at + e.Kind switch
        {
            TimetableErrorKind.Empty => "the file is empty.",
            TimetableErrorKind.TooLarge => $"the file is too large: at most {e.Detail} KB.",
            TimetableErrorKind.NotCsv => "this does not look like CSV: a text file with columns separated by ';' or ',' is needed.",
            TimetableErrorKind.UnknownColumn => $"unknown column '{e.Detail}'.",
            TimetableErrorKind.MissingColumn => $"column '{e.Detail}' is missing.",
            TimetableErrorKind.DuplicateColumn => $"column '{e.Detail}' appears twice.",
            TimetableErrorKind.HeaderOnly => "the file has only the header, no lessons.",
            TimetableErrorKind.FieldCount => $"wrong number of columns ({e.Detail?.Split('/')[0]} needed, {e.Detail?.Split('/')[^1]} here).",
            TimetableErrorKind.ClassMissing => "no class.",
            TimetableErrorKind.ClassTooLong => $"class name too long (at most {TimetableCsv.MaxNameLength}).",
            TimetableErrorKind.SubjectMissing => "no subject.",
            TimetableErrorKind.SubjectTooLong => $"subject name too long (at most {TimetableCsv.MaxNameLength}).",
            TimetableErrorKind.TeacherTooLong => $"teacher name too long (at most {TimetableCsv.MaxNameLength}).",
            TimetableErrorKind.RoomTooLong => $"room too long (at most {TimetableCsv.MaxRoomLength}).",
            TimetableErrorKind.DayInvalid => $"cannot read the day '{e.Detail}': a weekday (Mon…Sun, 1–7) or a date DD.MM.YYYY is needed.",
            TimetableErrorKind.TimeInvalid => $"cannot read the time '{e.Detail}': HH:MM is needed, like 8:30 or 14:05.",
            TimetableErrorKind.EndBeforeStart => "the lesson ends before it starts.",
            TimetableErrorKind.LinkInvalid => "the link must start with http:// or https:// and be at most 2048 characters.",
            TimetableErrorKind.DateRangeInvalid => "from and to must be dates DD.MM.YYYY, to not before from.",
            TimetableErrorKind.DateRangeOnDatedRow => "from and to apply to weekday rows only, this row has a date.",
            TimetableErrorKind.NoDaysInRange => "these dates contain no such day.",
            TimetableErrorKind.DuplicateRow => $"repeats line {e.Detail}.",
            TimetableErrorKind.Overlap =>
                $"overlaps the lesson on line {RussianTexts.DetailPart(e.Detail, 0)} ({RussianTexts.DetailPart(e.Detail, 1)}).",
            TimetableErrorKind.UnknownClass => $"there is no class '{e.Detail}' (classes are in the 'Classes and groups' menu).",
            TimetableErrorKind.UnknownTeacher => $"there is no teacher '{e.Detail}' (the full name as in the teacher's profile is needed).",
            TimetableErrorKind.AmbiguousTeacher => $"several teachers are named '{e.Detail}' — make the names distinct in their profiles.",
            TimetableErrorKind.OverlapsExisting => "the lesson overlaps one already in the timetable (added or moved by hand)"
                + (e.Detail is null ? "." : $": {e.Detail}."),
            _ => "error.",
        };
    }

    public string TimetableRejected(IReadOnlyList<string> lines, int more) =>
        "The timetable was not loaded — fix the file and send it again:\n" + string.Join('\n', lines)
        + (more > 0 ? $"\n…and {more} more." : string.Empty);

    public string TimetableImported(ImportCounts c) =>
        $"Timetable loaded. Lessons added: {c.Added}, changed: {c.Changed}, removed: {c.Removed}, unchanged: {c.Unchanged}.";

    public string TimetableTooLarge(int maxKilobytes) => $"The file is too large: a timetable may be at most {maxKilobytes} KB.";

    public string TimetableCannotRead(int maxKilobytes) =>
        $"I could not read the file. Please send the timetable as a CSV file of at most {maxKilobytes} KB in Telegram.";

    public string Holidays => "Holidays";

    public string HolidayList(IReadOnlyList<Holiday> holidays) => holidays.Count == 0
        ? "No holidays ahead."
        : "Holidays:\n" + string.Join('\n', RussianTexts.Ranges(holidays).Select(r => $"• {RussianTexts.RangeText(r.From, r.To)} {r.Name}".TrimEnd()));

    public string AddHoliday => "➕ Add";
    public string RemoveHoliday => "Remove";
    public string AskHoliday => "Write a day or a range and a name, e.g.: 30.12.2026-08.01.2027 Winter holidays";
    public string AskHolidayToRemove => "Write the day or range that is no longer a holiday, e.g.: 04.11.2026 or 30.12.2026-08.01.2027";
    public string HolidayInvalid => "I could not read the dates. DD.MM.YYYY or DD.MM.YYYY-DD.MM.YYYY (at most a year), then the name.";

    public string HolidayAdded(DateOnly from, DateOnly to, int cancelledLessons) =>
        $"Added: {RussianTexts.RangeText(from, to)}. Lessons cancelled on those days: {cancelledLessons}.";

    public string HolidaysRemoved(int days) => days == 0 ? "There were no holidays on those days." : $"Holiday days removed: {days}. Their lessons return with the next timetable import.";
}
