using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Timetable;

/// <summary>A lesson as people see it; times are instants, <see cref="Day"/> the school-local date.</summary>
public sealed record LessonView(
    long Id,
    GroupId GroupId,
    string GroupName,
    DateOnly Day,
    DateTimeOffset Start,
    DateTimeOffset End,
    string SubjectName,
    PersonId? TeacherId,
    string? TeacherName,
    PersonId? SubstituteId,
    string? SubstituteName,
    string? Room,
    string? Link,
    bool Cancelled,
    string? ChangeNote)
{
    /// <summary>Whoever teaches it now: the substitute when there is one.</summary>
    public string? ActingTeacherName => SubstituteName ?? TeacherName;

    public bool IsTaughtBy(PersonId person) => TeacherId == person || SubstituteId == person;
}

/// <summary>Someone a change of a class's lessons concerns: a student of the class or a parent following one.</summary>
public sealed record Listener(PersonId Id, Language Language, string? ChildName);

public enum LessonMoveOutcome
{
    Moved,
    NotFound,
    /// <summary>The class has another planned lesson at that time (the database's exclusion constraint said so).</summary>
    OverlapsAnotherLesson,
}
