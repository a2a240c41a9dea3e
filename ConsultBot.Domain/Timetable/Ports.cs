using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Timetable;

/// <summary>Lessons, holidays and the timetable import. Implementations work inside the update's transaction.</summary>
public interface ITimetableRepository
{
}

/// <summary>Each person's daily-reminder choices, and which linked children a parent follows.</summary>
public interface IReminderSettingsRepository
{
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
