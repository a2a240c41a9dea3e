namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    public string MenuLessons => "Уроки: отмена и перенос";
    public string ChooseClassForLessons => "Уроки какого класса?";
    public string LessonsTitle(string? group) => group is null ? "Ваши уроки на неделю:" : $"Уроки {group} на неделю:";
    public string NoLessons => "На ближайшую неделю уроков нет.";

    public string LessonLabel(DateTimeOffset s, string subject, string group, bool cancelled) =>
        $"{SlotShort(s)} · {subject} · {group}" + (cancelled ? " · ✖" : string.Empty);

    public string LessonCard(string when, string subject, string group, string? teacher, string? substitute, string place, bool cancelled, string? note) =>
        $"🗓 {when}\n📘 {subject}, {group}\n👤 {substitute ?? teacher ?? "учитель не указан"}" + (substitute is null ? string.Empty : $" (замена, по расписанию: {teacher})")
        + $"\n📍 {place}" + (cancelled ? "\n✖ Урок отменён" : string.Empty) + (string.IsNullOrWhiteSpace(note) ? string.Empty : $"\n📝 {note}");

    public string CancelLessonButton => "✖ Отменить урок";
    public string MoveLessonButton => "↔ Перенести";
    public string SubstituteButton => "👤 Замена";
    public string NoSubstitute => "Без замены";
    public string LessonNotFound => "Урок не найден, уже отменён или вам не принадлежит.";
    public string LessonAlreadyStarted => "Урок уже начался — его нельзя изменить.";
    public string AskLessonCancelReason(string when) => $"Отмена урока {when}. Напишите причину — её увидят ученики и родители.";
    public string AskLessonNewTime(string when) => $"Перенос урока {when}. Новые дата и время? Например: 26.11 10:00";
    public string LessonOverlaps => "В это время у класса уже есть урок. Выберите другое время.";
    public string ChooseSubstitute(string when) => $"Кто заменяет урок {when}?";
    public string LessonCancelledDone(int told) => $"Урок отменён. Уведомлено: {told}.";
    public string LessonMovedDone(string when, int told) => $"Урок перенесён на {when}. Уведомлено: {told}.";
    public string SubstituteDone(string? teacher, int told) => (teacher is null ? "Замена снята." : $"Замена: {teacher}.") + $" Уведомлено: {told}.";

    public string LessonCancelledAlert(string when, string subject, string reason, string? child) =>
        $"❗ Изменение в расписании{For(child)}: урок {subject} {when} отменён.\nПричина: {reason}";
    public string LessonMovedAlert(string fromWhen, string toWhen, string subject, string? child) =>
        $"❗ Изменение в расписании{For(child)}: урок {subject} перенесён.\nБыло: {fromWhen}\nСтало: {toWhen}";
    public string SubstituteAlert(string when, string subject, string? teacher, string? child) =>
        $"❗ Изменение в расписании{For(child)}: урок {subject} {when} " + (teacher is null ? "ведёт учитель по расписанию." : $"ведёт {teacher} (замена).");
    public string YouSubstitute(string when, string subject, string group, string place) =>
        $"Вы заменяете урок: {subject}, {group}\n🗓 {when}\n📍 {place}";

    public string HolidayAlert(DateOnly from, DateOnly to, string name, string? child) =>
        $"❗ Изменение в расписании{For(child)}: " + (from == to ? $"{from:dd.MM.yyyy}" : $"с {from:dd.MM.yyyy} по {to:dd.MM.yyyy}")
        + (string.IsNullOrWhiteSpace(name) ? string.Empty : $" — {name}") + ": уроков по расписанию нет.";

    private static string For(string? child) => child is null ? string.Empty : $" ({child})";
}
