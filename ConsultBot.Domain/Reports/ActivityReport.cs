namespace ConsultBot.Domain.Reports;

/// <summary>Whose row it is: students, teachers, and administrators who taught in the month.</summary>
public enum ReportRole
{
    Student,
    Teacher,
    Admin,
}

/// <summary>
/// One person's row of the monthly activity report. Figures that do not apply to the role are null (an empty cell):
/// consultations held and materials posted are the staff's, never a student's.
/// </summary>
/// <param name="FullName">Null when the person's data was erased (/forget): the row keeps its counts without a name.</param>
/// <param name="Unit">The class of a student, the association (методическое объединение) of a teacher.</param>
/// <param name="QuestionsAsked">Students: questions they asked in the month. Staff: questions of the month addressed to them or that they took.</param>
/// <param name="QuestionsAnswered">Students: how many of those were answered by the end of the month. Staff: questions they first answered in the month.</param>
/// <param name="MedianAnswerHours">The median time from a question to its first answer over those answered questions; null when there is none.</param>
public sealed record ActivityRow(
    ReportRole Role,
    string? FullName,
    string? Unit,
    int DaysActive,
    int Messages,
    int QuestionsAsked,
    int QuestionsAnswered,
    double? MedianAnswerHours,
    int Booked,
    int? Held,
    int Attended,
    int Missed,
    int? Materials);

/// <summary>Computes the monthly activity report (the host runs set-based SQL for it).</summary>
public interface IActivityReport
{
    /// <summary>
    /// The rows of <paramref name="month"/> (boundaries in <paramref name="zone"/>): students first, then staff, each by class or
    /// association and name. <paramref name="now"/> bounds what counts as held for the current month.
    /// </summary>
    Task<IReadOnlyList<ActivityRow>> BuildAsync(ReportMonth month, TimeZoneInfo zone, DateTimeOffset now, CancellationToken cancellationToken);
}
