namespace ConsultBot.Domain.Texts;

/// <summary>Daily lesson reminders and /settings.</summary>
public partial interface ITexts
{
    // The daily reminder
    string DailyLessons(DateOnly day, IReadOnlyList<string> lessons);
    string DailyLessonsForChild(string child, DateOnly day, IReadOnlyList<string> lessons);
    string TeacherDayPlan(DateOnly day, IReadOnlyList<string> lessons);
    /// <summary>One lesson: "08:30–09:15 · Математика", then who and where, then its materials.</summary>
    string LessonEntry(string time, string subject, string who, string? place, IReadOnlyList<string> materials);
    string LessonTeacher(string name, bool substitute);
    string LessonMaterial(string title, string url);

    // /settings
    string MenuSettings { get; }
    string SettingsCard(bool enabled, string when, IReadOnlyList<string> children);
    string SettingsAt(TimeOnly time, bool schoolDefault);
    string SettingsEveningBefore(TimeOnly time);
    string SettingsChild(string name, bool follows);
    string SettingsTurnOff { get; }
    string SettingsTurnOn { get; }
    string SettingsTimeButton(TimeOnly time, bool schoolDefault);
    string SettingsEveningButton(TimeOnly time);
    string SettingsChildButton(string name, bool follows);
}
