using ConsultBot.Domain.Announcements;

namespace ConsultBot.Domain.Texts;

/// <summary>Announcements to a group or the whole school, and the per-person "slow down".</summary>
public partial interface ITexts
{
    string MenuAnnounce { get; }
    string MenuRecentAnnouncements { get; }

    // Choosing the recipients
    string AskAnnouncementAudience { get; }
    string AudienceButton(AnnouncementAudience audience);
    /// <summary>"7А", "все ученики": whom an announcement goes to, as a phrase.</summary>
    string AudienceName(AnnouncementAudience audience, string? group);
    string AskAnnouncementGroup { get; }
    string AskTeacherAnnouncementGroup { get; }
    string NoGroupsToAnnounce { get; }
    string NoTeacherGroups { get; }
    string NotYourGroup { get; }
    string AnnouncementGroupGone { get; }
    string NobodyToReceive(string audience);

    // The text and the preview
    string AskAnnouncementText(string audience, int max);
    string AnnouncementTextEmpty { get; }
    string AnnouncementTextTooLong(int length, int max);
    /// <summary>The announcement as its recipients see it.</summary>
    string AnnouncementBody(string author, string text);
    string AnnouncementPreview(string audience, int recipients, int unreachable, string body);
    string SendAnnouncement { get; }
    string EditAnnouncementText { get; }
    string CancelAnnouncement { get; }
    string AnnouncementQueued(string audience, int recipients);
    string AnnouncementAlreadySent { get; }

    // When it has gone out, and the administrator's list
    string AnnouncementReport(string audience, string excerpt, int delivered, int unreachable, int failed);
    string RecentAnnouncements(IReadOnlyList<string> lines);
    string RecentAnnouncementLine(string when, string author, string audience, string excerpt, int recipients, int delivered, int unreachable,
        int failed, int pending);
    string NoAnnouncementsYet { get; }

    // The per-person rate limit
    string SlowDown { get; }
}
