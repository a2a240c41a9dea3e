using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Timetable;

/// <summary>
/// How a person wants the daily lesson reminder: on or off, at their own local time (null: the school's time), or the
/// evening before.
/// </summary>
public sealed record ReminderChoice(bool Enabled, TimeOnly? SendAt, bool EveningBefore)
{
    public static ReminderChoice Default { get; } = new(true, null, false);

    public ReminderChoice TurnedOff() => this with { Enabled = false };

    public ReminderChoice TurnedOn() => this with { Enabled = true };

    /// <summary>On, on the lesson day at <paramref name="time"/>; the school's own time is kept as "the school's" (null).</summary>
    public ReminderChoice At(TimeOnly time, TimeOnly schoolTime) => new(true, time == schoolTime ? null : time, false);

    public ReminderChoice TheEveningBefore() => new(true, null, true);
}

/// <summary>A child linked to a parent, and whether the parent gets that child's reminders.</summary>
public sealed record FollowedChild(PersonId Child, string Name, bool Follows);
