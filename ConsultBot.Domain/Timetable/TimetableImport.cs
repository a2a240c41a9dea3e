using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Timetable;

/// <summary>One lesson a timetable file puts on a day; <see cref="Line"/> is its row.</summary>
public sealed record PlannedLesson(int Line, string Class, DateOnly Day, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Subject,
    string? Teacher, string? Room, string? Link, bool Weekly);

/// <summary>What an import stores: the file's rows (for names and lines) and their lessons from <paramref name="Today"/> on.</summary>
public sealed record TimetablePlan(IReadOnlyList<TimetableRow> Rows, IReadOnlyList<PlannedLesson> Lessons, DateOnly Today);

public sealed record ImportCounts(int Added, int Changed, int Removed, int Unchanged);

/// <summary>The counts of a stored import, or why nothing was stored.</summary>
public sealed record TimetableImportResult(ImportCounts? Counts, IReadOnlyList<TimetableError> Errors)
{
    public static TimetableImportResult Failed(IReadOnlyList<TimetableError> errors) => new(null, errors);

    public static TimetableImportResult Stored(ImportCounts counts) => new(counts, []);
}

public sealed record Holiday(DateOnly Day, string Name);

public sealed record HolidayAdded(int Days, int CancelledLessons)
{
    /// <summary>Classes that lost lessons: their students and following parents are told.</summary>
    public IReadOnlyList<People.GroupId> Groups { get; init; } = [];
}

/// <summary>Reads, checks and imports a timetable file: shared by the chat and the command line.</summary>
public static class TimetableImporter
{
    /// <summary>How many bad rows an answer lists before "and N more".</summary>
    public const int MaxListedErrors = 30;

    public static async Task<TimetableImportResult> ImportAsync(byte[] file, ITimetableRepository repository, TimetableSettings settings,
        TimeZoneInfo zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parse = TimetableCsv.Parse(file, settings.MaxImportBytes);
        if (!parse.Ok)
        {
            return TimetableImportResult.Failed(parse.Errors);
        }
        List<TimetableError> problems =
        [
            .. parse.Rows.Where(r => !TimetableCsv.Days(r, settings).Any()).Select(r => new TimetableError(r.Line, TimetableErrorKind.NoDaysInRange)),
            .. TimetableCsv.Overlaps(parse.Rows, settings),
        ];
        if (problems.Count > 0)
        {
            return TimetableImportResult.Failed([.. problems.OrderBy(e => e.Line)]);
        }
        var today = SchoolTime.Today(now, zone);
        var lessons = parse.Rows.SelectMany(r => TimetableCsv.Days(r, settings).Where(d => d >= today).Select(d => (Row: r, Day: d))).ToList();
        var holidays = lessons.Count == 0
            ? new HashSet<DateOnly>()
            : await repository.HolidayDaysAsync(lessons.Min(l => l.Day), lessons.Max(l => l.Day), cancellationToken).ConfigureAwait(false);
        var planned = lessons
            .Where(l => l.Row.Date is not null || !holidays.Contains(l.Day))
            .Select(l => new PlannedLesson(l.Row.Line, l.Row.Class, l.Day, Instant(l.Day, l.Row.Start, zone), Instant(l.Day, l.Row.End, zone),
                l.Row.Subject, l.Row.Teacher, l.Row.Room, l.Row.Link, l.Row.Date is null))
            .ToList();
        return await repository.ImportAsync(new TimetablePlan(parse.Rows, planned, today), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The answer to a refused file: each bad row, capped, then how many more.</summary>
    public static string Rejection(ITexts texts, IReadOnlyList<TimetableError> errors) =>
        texts.TimetableRejected([.. errors.Take(MaxListedErrors).Select(texts.TimetableError)], Math.Max(0, errors.Count - MaxListedErrors));

    /// <summary>A local wall-clock time as an instant; a time the clocks skip moves past the gap.</summary>
    internal static DateTimeOffset Instant(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        for (var shift = 0; shift < 4 * 60; shift += 15)
        {
            if (SchoolTime.ToInstant(local.AddMinutes(shift), zone) is { } instant)
            {
                return instant;
            }
        }
        return new DateTimeOffset(local, zone.BaseUtcOffset);
    }
}
