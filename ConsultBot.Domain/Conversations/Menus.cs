using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>The main menu of each role. Menu buttons are unversioned: they work from any old message.</summary>
public static class Menus
{
    public const string Verb = "m";

    public static Keyboard For(Turn turn)
    {
        var t = turn.Texts;
        var role = turn.RequirePerson.Role;
        var rows = new List<IReadOnlyList<Button>>();
        if (role == Role.Admin)
        {
            rows.Add([Turn.MenuButton(t.MenuGroups, AdminFeature.Verb, "g"), Turn.MenuButton(t.MenuInvite, AdminFeature.Verb, "i")]);
            rows.Add([Turn.MenuButton(t.MenuDirectory, DirectoryAdminFeature.Verb, "m"), Turn.MenuButton(t.MenuPeople, PeopleFeature.Verb, "m")]);
            rows.Add([Turn.MenuButton(t.MenuWorkload, WorkloadFeature.Verb, "l"), Turn.MenuButton(t.MenuReport, ReportFeature.Verb)]);
            rows.Add([Turn.MenuButton(t.MenuTimetable, TimetableImportFeature.Verb, "h")]);
        }
        if (role is Role.Teacher or Role.Admin)
        {
            rows.Add([Turn.MenuButton(t.MenuPublish, PublishFeature.Verb), Turn.MenuButton(t.MenuMySlots, SlotsFeature.Verb, "l")]);
            rows.Add([Turn.MenuButton(t.MenuOfficeHours, OfficeHoursFeature.Verb, "l"), Turn.MenuButton(t.MenuLessons, LessonsFeature.Verb, "l")]);
            rows.Add(role == Role.Admin
                ? [Turn.MenuButton(t.MenuAnnounce, AnnouncementFeature.Verb), Turn.MenuButton(t.MenuRecentAnnouncements, AnnouncementFeature.Verb, "l")]
                : [Turn.MenuButton(t.MenuAnnounce, AnnouncementFeature.Verb)]);
            rows.Add([Turn.MenuButton(t.MenuInbox, QuestionsFeature.Verb, "l")]);
        }
        if (role is Role.Student or Role.Parent)
        {
            rows.Add([Turn.MenuButton(t.MenuBook, BookingFeature.Verb, "s"), Turn.MenuButton(t.MenuMyBookings, BookingFeature.Verb, "my")]);
            rows.Add([Turn.MenuButton(t.MenuAsk, QuestionsFeature.Verb, "a"), Turn.MenuButton(t.MenuMyQuestions, QuestionsFeature.Verb, "l")]);
        }
        if (role == Role.Parent)
        {
            rows.Add([Turn.MenuButton(t.MenuLinkChild, Verb, "c")]);
        }
        rows.Add(role is Role.Teacher or Role.Admin
            ? [Turn.MenuButton(t.MenuPostMaterial, MaterialPostFeature.Verb), Turn.MenuButton(t.MenuMaterials, MaterialsFeature.Verb, "s", "m")]
            : [Turn.MenuButton(t.MenuMaterials, MaterialsFeature.Verb, "s", "-")]);
        rows.Add([Turn.MenuButton(t.MenuTeachers, DirectoryFeature.Verb, "p", "0"), Turn.MenuButton(t.MenuSettings, SettingsFeature.Verb)]);
        rows.Add([Turn.MenuButton(t.MenuProfile, Verb, "p"), Turn.MenuButton(t.MenuHelp, Verb, "h")]);
        rows.Add([Turn.MenuButton(t.MenuLanguage, Verb, "l")]);
        return new Keyboard(rows);
    }

    public static void Show(Turn turn) =>
        turn.Reply(turn.Texts.Menu(turn.RequirePerson.FullName ?? string.Empty), For(turn));
}
