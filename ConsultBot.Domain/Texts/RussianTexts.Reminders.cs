using System.Globalization;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    public string DailyLessons(DateOnly day, IReadOnlyList<string> lessons) =>
        $"📚 Уроки — {DigestDate(day)}:\n\n" + string.Join("\n\n", lessons);
    public string DailyLessonsForChild(string child, DateOnly day, IReadOnlyList<string> lessons) =>
        $"📚 Уроки — {DigestDate(day)} ({child}):\n\n" + string.Join("\n\n", lessons);
    public string TeacherDayPlan(DateOnly day, IReadOnlyList<string> lessons) =>
        $"📚 Ваши уроки — {DigestDate(day)}:\n\n" + string.Join("\n\n", lessons);
    public string LessonEntry(string time, string subject, string who, string? place, IReadOnlyList<string> materials) =>
        $"{time} · {subject}\n{who}" + (place is null ? string.Empty : $" · {place}")
        + string.Concat(materials.Select(m => "\n" + m));
    public string LessonTeacher(string name, bool substitute) => substitute ? $"{name} (замена)" : name;
    public string LessonMaterial(string title, string url) => $"📎 {title}: {url}";

    public string MenuSettings => "⚙️ Настройки";
    public string SettingsCard(bool enabled, string when, IReadOnlyList<string> children) =>
        "⚙️ Ежедневные напоминания об уроках: " + (enabled ? $"включены, {when}." : "выключены.")
        + (children.Count == 0 ? string.Empty : "\n\nНапоминания по детям:\n" + string.Join("\n", children));
    public string SettingsAt(TimeOnly time, bool schoolDefault) =>
        $"в {ReminderHm(time)} в день уроков" + (schoolDefault ? " (время школы)" : string.Empty);
    public string SettingsEveningBefore(TimeOnly time) => $"накануне в {ReminderHm(time)}";
    public string SettingsChild(string name, bool follows) => (follows ? "✅ " : "⬜ ") + name + (follows ? " — получаете" : " — не получаете");
    public string SettingsTurnOff => "🔕 Выключить";
    public string SettingsTurnOn => "🔔 Включить";
    public string SettingsTimeButton(TimeOnly time, bool schoolDefault) => ReminderHm(time) + (schoolDefault ? " (школа)" : string.Empty);
    public string SettingsEveningButton(TimeOnly time) => $"Накануне в {ReminderHm(time)}";
    public string SettingsChildButton(string name, bool follows) => (follows ? "✅ " : "⬜ ") + name;

    private static string ReminderHm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
