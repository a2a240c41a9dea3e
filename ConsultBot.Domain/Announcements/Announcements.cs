using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Announcements;

/// <summary>Who an announcement goes to.</summary>
public enum AnnouncementAudience
{
    /// <summary>One class or group: its active students and the active parents who follow them.</summary>
    Group,
    Students,
    Parents,
    /// <summary>Teachers and administrators (the school's staff).</summary>
    Teachers,
    Everyone,
}

public static class AnnouncementAudiences
{
    public static string ToKey(this AnnouncementAudience audience) => audience switch
    {
        AnnouncementAudience.Group => "group",
        AnnouncementAudience.Students => "students",
        AnnouncementAudience.Parents => "parents",
        AnnouncementAudience.Teachers => "teachers",
        _ => "everyone",
    };

    /// <summary>The audience of a stored key or a button argument; null for anything else.</summary>
    public static AnnouncementAudience? TryParse(string? key) => key switch
    {
        "group" => AnnouncementAudience.Group,
        "students" => AnnouncementAudience.Students,
        "parents" => AnnouncementAudience.Parents,
        "teachers" => AnnouncementAudience.Teachers,
        "everyone" => AnnouncementAudience.Everyone,
        _ => null,
    };
}

/// <summary>Recipients of an audience, the author excluded: who would get it, and who is in it but has no reachable messenger.</summary>
public readonly record struct RecipientCount(int Reachable, int Unreachable);

/// <summary>A stored announcement: its id and how many outbox rows it queued.</summary>
public sealed record AnnouncementSent(long Id, int Recipients, int UnreachableAtSend);

/// <summary>One announcement as an administrator's list shows it; the counts are live until the report is written.</summary>
public sealed record AnnouncementSummary(long Id, DateTimeOffset CreatedAt, string Author, AnnouncementAudience Audience, string? GroupName,
    string Text, int Recipients, int Delivered, int Unreachable, int Failed, int Pending);

/// <summary>Announcements. Implementations work inside the update's transaction.</summary>
public interface IAnnouncementRepository
{
    /// <summary>
    /// The active groups a teacher may announce to: groups of the planned (not cancelled) lessons they teach or
    /// substitute on a day of the term <paramref name="termStart"/>..<paramref name="termEnd"/>. Materials do not
    /// count (a teacher may post a material to any group). By name.
    /// </summary>
    Task<IReadOnlyList<Group>> TeacherGroupsAsync(PersonId teacher, DateOnly termStart, DateOnly termEnd, CancellationToken cancellationToken);

    /// <summary>Active people of the audience (each once, <paramref name="author"/> left out), by whether they have a reachable account.</summary>
    Task<RecipientCount> CountAsync(AnnouncementAudience audience, GroupId? group, PersonId author, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the announcement and, in the same statement, one outbox row per recipient (their preferred reachable
    /// account; the body by their language from <paramref name="bodies"/>, Russian when theirs is missing), each row
    /// tagged with the announcement. Nothing is stored and null is returned when nobody would receive it, or when
    /// <paramref name="requestKey"/> was already used (a repeated confirmation).
    /// </summary>
    Task<AnnouncementSent?> SendAsync(PersonId author, AnnouncementAudience audience, GroupId? group, string text,
        IReadOnlyDictionary<Language, string> bodies, string requestKey, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The latest announcements of the school, newest first.</summary>
    Task<IReadOnlyList<AnnouncementSummary>> RecentAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>How announcements read in lists and reports.</summary>
public static class AnnouncementFormat
{
    /// <summary>Longest announcement text: room for the header under the messengers' 4,096 characters.</summary>
    public const int MaxTextLength = 3500;

    /// <summary>The beginning of a text on one line, cut at <paramref name="max"/> characters with "…".</summary>
    public static string Excerpt(string text, int max = 40)
    {
        var line = TextInput.Normalize(text);
        return line.Length <= max ? line : line[..max].TrimEnd() + "…";
    }
}
