using ConsultBot.Domain.Announcements;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Materials;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.Timetable;
using ConsultBot.Domain.Ports;
using ConsultBot.Domain.Questions;

namespace ConsultBot.Domain.Conversations;

/// <summary>The ports an update may use, all bound to that update's transaction by the host.</summary>
public sealed record ConversationContext(
    IPeopleRepository People,
    IGroupRepository Groups,
    ICodeRepository Codes,
    IAuditLog Audit,
    IChatNotices ChatNotices,
    IConsultationRepository Consultations,
    ITimetableRepository Timetable,
    ILessonRepository Lessons,
    IReminderSettingsRepository ReminderSettings,
    IMaterialRepository Materials,
    IAttachmentReader Attachments,
    IAnnouncementRepository Announcements,
    Reports.IActivityReport Reports,
    IQuestionRepository Questions,
    SchoolDirectory.IDirectoryRepository Directory);

/// <summary>School-wide settings the conversations need.</summary>
public sealed record EngineSettings
{
    public required string SchoolName { get; init; }
    /// <summary>Telegram user ids that become administrators on registration.</summary>
    public IReadOnlySet<string> AdminTelegramIds { get; init; } = new HashSet<string>();
    /// <summary>The bot's Telegram username, for t.me deep links; null when Telegram is off.</summary>
    public string? TelegramBotUsername { get; init; }
    public TimeSpan InviteLifetime { get; init; } = TimeSpan.FromDays(7);
    public TimeSpan ChildLinkLifetime { get; init; } = TimeSpan.FromDays(1);
    /// <summary>How long a /link code for attaching another messenger stays valid.</summary>
    public TimeSpan AccountLinkLifetime { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Wrong codes allowed in one dialog before the person is asked to start over.</summary>
    public int MaxCodeAttempts { get; init; } = 5;
    /// <summary>How many groups the picker shows per page.</summary>
    public int GroupsPerPage { get; init; } = 8;
    /// <summary>The school's time zone: times are shown and typed in it.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;
    public ConsultationPolicy Consultations { get; init; } = new();
    /// <summary>How many weeks ahead office hours are turned into slots.</summary>
    public int OfficeHoursWeeksAhead { get; init; } = 4;
    public TimetableSettings Timetable { get; init; } = new();
    public QuestionSettings Questions { get; init; } = new();
}
