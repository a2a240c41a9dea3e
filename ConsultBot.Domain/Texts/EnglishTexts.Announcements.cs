using ConsultBot.Domain.Announcements;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    public string MenuAnnounce => "📣 Announcement";
    public string MenuRecentAnnouncements => "📋 Recent announcements";

    public string AskAnnouncementAudience => "Who should get the announcement?";

    public string AudienceButton(AnnouncementAudience audience) => audience switch
    {
        AnnouncementAudience.Group => "👥 A class or group",
        AnnouncementAudience.Students => "🎒 All students",
        AnnouncementAudience.Parents => "👪 All parents",
        AnnouncementAudience.Teachers => "🧑‍🏫 All teachers",
        _ => "🏫 Everyone",
    };

    public string AudienceName(AnnouncementAudience audience, string? group) => audience switch
    {
        AnnouncementAudience.Group => $"{group} (students and parents)",
        AnnouncementAudience.Students => "all students",
        AnnouncementAudience.Parents => "all parents",
        AnnouncementAudience.Teachers => "all teachers and administrators",
        _ => "everyone",
    };

    public string AskAnnouncementGroup => "Which class or group? Its students and the parents who follow them will get it.";

    public string AskTeacherAnnouncementGroup =>
        "Which class? These are yours: classes whose lessons you teach or substitute and classes you posted materials for. "
        + "Their students and the parents who follow them will get it.";

    public string NoGroupsToAnnounce => "The school has no classes yet. Add them under \"Classes and groups\".";

    public string NoTeacherGroups =>
        "There are no classes you can write to yet: a class appears here once you have its lessons in the timetable or posted a material for it.";

    public string NotYourGroup => "You cannot send an announcement to this class: you have no lessons or materials there. Nothing was sent.";

    public string AnnouncementGroupGone => "That class is no longer on the school's list. Nothing was sent; start again with /announce.";

    public string NobodyToReceive(string audience) =>
        $"Nobody would receive this announcement: \"{audience}\" has no registered people with a reachable messenger. Nothing was sent; choose other recipients.";

    public string AskAnnouncementText(string audience, int max) =>
        $"To: {audience}.\nWrite the announcement in one message (up to {max} characters). /cancel to stop.";

    public string AnnouncementTextEmpty => "The text is empty. Write the announcement.";

    public string AnnouncementTextTooLong(int length, int max) =>
        $"The text is too long: {length} characters, at most {max}. Shorten it and send it again.";

    public string AnnouncementBody(string author, string text) => $"📣 Announcement · {author}\n\n{text}";

    public string AnnouncementPreview(string audience, int recipients, int unreachable, string body) =>
        $"This is how recipients will see it:\n\n{body}\n\n———\nTo: {audience}. Recipients: {recipients}."
        + (unreachable > 0 ? $"\nWithout a reachable messenger: {unreachable} (they will not get it)." : string.Empty);

    public string SendAnnouncement => "✅ Send";
    public string EditAnnouncementText => "✏️ Edit the text";
    public string CancelAnnouncement => "✖ Cancel";

    public string AnnouncementQueued(string audience, int recipients) =>
        $"The announcement is on its way. To: {audience}. Recipients: {recipients}. I will tell you how it went when it is done.";

    public string AnnouncementAlreadySent => "This announcement has already been sent.";

    public string AnnouncementReport(string audience, string excerpt, int delivered, int unreachable, int failed) =>
        $"📣 The announcement has gone out. To: {audience}, \"{excerpt}\".\nDelivered: {delivered}.\nUnreachable (blocked the bot or no messenger): {unreachable}."
        + (failed > 0 ? $"\nFailed because of an error: {failed}." : string.Empty);

    public string RecentAnnouncements(IReadOnlyList<string> lines) => "📋 Recent announcements:\n\n" + string.Join("\n\n", lines);

    public string RecentAnnouncementLine(string when, string author, string audience, string excerpt, int recipients, int delivered,
        int unreachable, int failed, int pending) =>
        $"{when} · {author} → {audience}\n\"{excerpt}\"\nRecipients: {recipients}, delivered: {delivered}, unreachable: {unreachable}"
        + (failed > 0 ? $", failed: {failed}" : string.Empty)
        + (pending > 0 ? $", still sending: {pending}" : string.Empty);

    public string NoAnnouncementsYet => "No announcements yet.";

    public string SlowDown => "Please slow down: you are sending too many messages. Wait a minute and I will answer again.";
}
