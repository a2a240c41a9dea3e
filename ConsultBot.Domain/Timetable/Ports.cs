using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Timetable;

/// <summary>Lessons, holidays and the timetable import. Implementations work inside the update's transaction.</summary>
public interface ITimetableRepository
{
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
}
