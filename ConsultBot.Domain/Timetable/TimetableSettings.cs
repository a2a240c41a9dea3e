namespace ConsultBot.Domain.Timetable;

/// <summary>The school's timetable settings the conversations need (values from configuration).</summary>
public sealed record TimetableSettings
{
    /// <summary>First day of the term weekly timetable rows apply to, unless a row gives its own dates.</summary>
    public DateOnly TermStart { get; init; } = new(2026, 9, 1);

    /// <summary>Last day of the term.</summary>
    public DateOnly TermEnd { get; init; } = new(2027, 5, 31);

    /// <summary>Largest timetable file accepted, bytes.</summary>
    public int MaxImportBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Local time of the daily lesson reminder unless a person chose another.</summary>
    public TimeOnly ReminderTime { get; init; } = new(7, 30);

    /// <summary>Local time of the reminder for people who want it the evening before.</summary>
    public TimeOnly EveningBeforeTime { get; init; } = new(19, 0);
}
