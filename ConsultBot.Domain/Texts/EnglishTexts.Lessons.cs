namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    public string MenuLessons => "Lessons: cancel and move";
    public string ChooseClassForLessons => "Lessons of which class?";
    public string LessonsTitle(string? group) => group is null ? "Your lessons this week:" : $"Lessons of {group} this week:";
    public string NoLessons => "No lessons in the coming week.";

    public string LessonLabel(DateTimeOffset s, string subject, string group, bool cancelled) =>
        $"{SlotShort(s)} · {subject} · {group}" + (cancelled ? " · ✖" : string.Empty);

    public string LessonCard(string when, string subject, string group, string? teacher, string? substitute, string place, bool cancelled, string? note) =>
        $"🗓 {when}\n📘 {subject}, {group}\n👤 {substitute ?? teacher ?? "no teacher given"}" + (substitute is null ? string.Empty : $" (substitute; timetable: {teacher})")
        + $"\n📍 {place}" + (cancelled ? "\n✖ Cancelled" : string.Empty) + (string.IsNullOrWhiteSpace(note) ? string.Empty : $"\n📝 {note}");

    public string CancelLessonButton => "✖ Cancel the lesson";
    public string MoveLessonButton => "↔ Move";
    public string SubstituteButton => "👤 Substitute";
    public string NoSubstitute => "No substitute";
    public string LessonNotFound => "The lesson was not found, is cancelled, or is not yours.";
    public string LessonAlreadyStarted => "The lesson has started; it cannot be changed.";
    public string AskLessonCancelReason(string when) => $"Cancelling the lesson {when}. Type the reason: students and parents will see it.";
    public string AskLessonNewTime(string when) => $"Moving the lesson {when}. New date and time? For example: 26.11 10:00";
    public string LessonOverlaps => "The class already has a lesson at that time. Please choose another time.";
    public string ChooseSubstitute(string when) => $"Who substitutes the lesson {when}?";
    public string LessonCancelledDone(int told) => $"The lesson is cancelled. Notified: {told}.";
    public string LessonMovedDone(string when, int told) => $"The lesson is moved to {when}. Notified: {told}.";
    public string SubstituteDone(string? teacher, int told) => (teacher is null ? "Substitute removed." : $"Substitute: {teacher}.") + $" Notified: {told}.";

    public string LessonCancelledAlert(string when, string subject, string reason, string? child) =>
        $"❗ Timetable change{For(child)}: the {subject} lesson {when} is cancelled.\nReason: {reason}";
    public string LessonMovedAlert(string fromWhen, string toWhen, string subject, string? child) =>
        $"❗ Timetable change{For(child)}: the {subject} lesson is moved.\nWas: {fromWhen}\nNow: {toWhen}";
    public string SubstituteAlert(string when, string subject, string? teacher, string? child) =>
        $"❗ Timetable change{For(child)}: the {subject} lesson {when} " + (teacher is null ? "is taught by the timetable's teacher." : $"is taught by {teacher} (substitute).");
    public string YouSubstitute(string when, string subject, string group, string place) =>
        $"You substitute a lesson: {subject}, {group}\n🗓 {when}\n📍 {place}";

    public string HolidayAlert(DateOnly from, DateOnly to, string name, string? child) =>
        $"❗ Timetable change{For(child)}: " + (from == to ? $"{from:dd.MM.yyyy}" : $"{from:dd.MM.yyyy} to {to:dd.MM.yyyy}")
        + (string.IsNullOrWhiteSpace(name) ? string.Empty : $" — {name}") + ": no timetable lessons.";

    private static string For(string? child) => child is null ? string.Empty : $" ({child})";
}
