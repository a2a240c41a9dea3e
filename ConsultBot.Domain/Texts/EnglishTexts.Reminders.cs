using System.Globalization;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    public string DailyLessons(DateOnly day, IReadOnlyList<string> lessons) =>
        $"📚 Lessons — {DigestDate(day)}:\n\n" + string.Join("\n\n", lessons);
    public string DailyLessonsForChild(string child, DateOnly day, IReadOnlyList<string> lessons) =>
        $"📚 Lessons — {DigestDate(day)} ({child}):\n\n" + string.Join("\n\n", lessons);
    public string TeacherDayPlan(DateOnly day, IReadOnlyList<string> lessons) =>
        $"📚 Your lessons — {DigestDate(day)}:\n\n" + string.Join("\n\n", lessons);
    public string LessonEntry(string time, string subject, string who, string? place, IReadOnlyList<string> materials) =>
        $"{time} · {subject}\n{who}" + (place is null ? string.Empty : $" · {place}")
        + string.Concat(materials.Select(m => "\n" + m));
    public string LessonTeacher(string name, bool substitute) => substitute ? $"{name} (substitute)" : name;
    public string LessonMaterial(string title, string url) => $"📎 {title}: {url}";

    public string MenuSettings => "⚙️ Settings";
    public string SettingsCard(bool enabled, string when, IReadOnlyList<string> children) =>
        "⚙️ Daily lesson reminders: " + (enabled ? $"on, {when}." : "off.")
        + (children.Count == 0 ? string.Empty : "\n\nReminders per child:\n" + string.Join("\n", children));
    public string SettingsAt(TimeOnly time, bool schoolDefault) =>
        $"at {ReminderHm(time)} on the day" + (schoolDefault ? " (the school's time)" : string.Empty);
    public string SettingsEveningBefore(TimeOnly time) => $"the evening before at {ReminderHm(time)}";
    public string SettingsChild(string name, bool follows) => (follows ? "✅ " : "⬜ ") + name + (follows ? " — on" : " — off");
    public string SettingsTurnOff => "🔕 Turn off";
    public string SettingsTurnOn => "🔔 Turn on";
    public string SettingsTimeButton(TimeOnly time, bool schoolDefault) => ReminderHm(time) + (schoolDefault ? " (school)" : string.Empty);
    public string SettingsEveningButton(TimeOnly time) => $"Evening before, {ReminderHm(time)}";
    public string SettingsChildButton(string name, bool follows) => (follows ? "✅ " : "⬜ ") + name;

    private static string ReminderHm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
