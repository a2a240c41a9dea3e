using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Timetable;

/// <summary>Lessons, holidays and the timetable import. Implementations work inside the update's transaction.</summary>
public interface ITimetableRepository
{
    /// <summary>Holiday days between two dates, inclusive.</summary>
    Task<IReadOnlySet<DateOnly>> HolidayDaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves the plan's classes and teachers (errors carry the rows' lines, nothing is stored then), creates missing
    /// subjects, and upserts the lessons by (class, planned start): new ones added, different ones changed unless changed
    /// by hand, and the classes' imported lessons from <see cref="TimetablePlan.Today"/> that the file no longer has removed.
    /// Nothing is stored when a lesson would overlap one already in the timetable.
    /// </summary>
    Task<TimetableImportResult> ImportAsync(TimetablePlan plan, CancellationToken cancellationToken);

    /// <summary>Holidays from a date on, by day.</summary>
    Task<IReadOnlyList<Holiday>> HolidaysAsync(DateOnly from, CancellationToken cancellationToken);

    /// <summary>Marks the days as holidays (a day already one gets the new name) and cancels the planned imported weekly lessons on them.</summary>
    Task<HolidayAdded> AddHolidaysAsync(DateOnly from, DateOnly to, string name, CancellationToken cancellationToken);

    /// <summary>Removes holidays between two dates; the number removed. Cancelled lessons return with the next import.</summary>
    Task<int> RemoveHolidaysAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken);
}

/// <summary>Each person's daily-reminder choices, and which linked children a parent follows.</summary>
public interface IReminderSettingsRepository
{
    /// <summary>The person's choice; <see cref="ReminderChoice.Default"/> when they never made one.</summary>
    Task<ReminderChoice> GetAsync(PersonId person, CancellationToken cancellationToken);

    Task SaveAsync(PersonId person, ReminderChoice choice, CancellationToken cancellationToken);

    /// <summary>A parent's linked children (not erased ones), by name.</summary>
    Task<IReadOnlyList<FollowedChild>> ChildrenAsync(PersonId parent, CancellationToken cancellationToken);

    /// <summary>False when the child is not linked to the parent.</summary>
    Task<bool> SetFollowsAsync(PersonId parent, PersonId child, bool follows, CancellationToken cancellationToken);
}

/// <summary>Single lessons as the chat changes them: cancel, move, substitute teacher. Implementations work inside the update's transaction.</summary>
public interface ILessonRepository
{
    /// <summary>Planned and cancelled lessons the person teaches (or substitutes) that end after <paramref name="from"/> and start before <paramref name="to"/>.</summary>
    Task<IReadOnlyList<LessonView>> OfTeacherAsync(PersonId teacher, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>The class's lessons that end after <paramref name="from"/> and start before <paramref name="to"/>, earliest first.</summary>
    Task<IReadOnlyList<LessonView>> OfGroupAsync(GroupId group, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    Task<LessonView?> GetAsync(long lesson, CancellationToken cancellationToken);

    /// <summary>Cancels a planned lesson with a reason; false when it is not planned (any more).</summary>
    Task<bool> CancelAsync(long lesson, string reason, CancellationToken cancellationToken);

    /// <summary>Moves a planned lesson; the class's other lessons may not overlap it (the database decides).</summary>
    Task<LessonMoveOutcome> MoveAsync(long lesson, DateOnly day, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);

    /// <summary>Sets (or with null clears) the substitute teacher of a planned lesson; false when it is not planned.</summary>
    Task<bool> SubstituteAsync(long lesson, PersonId? substitute, CancellationToken cancellationToken);

    /// <summary>The class's active students and the parents who follow them (a parent once per followed child).</summary>
    Task<IReadOnlyList<Listener>> ListenersAsync(GroupId group, CancellationToken cancellationToken);
}
