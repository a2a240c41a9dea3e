namespace ConsultBot.Domain.Texts;

/// <summary>Changing single lessons in the chat, and the alerts the changes send.</summary>
public partial interface ITexts
{
    string MenuLessons { get; }
    string ChooseClassForLessons { get; }
    string LessonsTitle(string? group);
    string NoLessons { get; }
    string LessonLabel(DateTimeOffset localStart, string subject, string group, bool cancelled);
    string LessonCard(string when, string subject, string group, string? teacher, string? substitute, string place, bool cancelled, string? note);
    string CancelLessonButton { get; }
    string MoveLessonButton { get; }
    string SubstituteButton { get; }
    string NoSubstitute { get; }
    string LessonNotFound { get; }
    string LessonAlreadyStarted { get; }
    string AskLessonCancelReason(string when);
    string AskLessonNewTime(string when);
    string LessonOverlaps { get; }
    string ChooseSubstitute(string when);
    string LessonCancelledDone(int told);
    string LessonMovedDone(string when, int told);
    string SubstituteDone(string? teacher, int told);
    string LessonCancelledAlert(string when, string subject, string reason, string? child);
    string LessonMovedAlert(string fromWhen, string toWhen, string subject, string? child);
    string SubstituteAlert(string when, string subject, string? teacher, string? child);
    string HolidayAlert(DateOnly from, DateOnly to, string name, string? child);
    string YouSubstitute(string when, string subject, string group, string place);
}
