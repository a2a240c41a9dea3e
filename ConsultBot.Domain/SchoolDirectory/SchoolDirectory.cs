using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.SchoolDirectory;

/// <summary>A weekly office-hours window, in the school's local wall clock.</summary>
public sealed record OfficeHoursWindow(DayOfWeek Day, TimeOnly From, TimeOnly To);

/// <summary>
/// A teacher as the public directory shows them. <see cref="BookSubjectId"/> is the subject of their earliest bookable
/// consultation (null when it has none); <see cref="CanBook"/> says whether they have any.
/// </summary>
public sealed record DirectoryTeacher(PersonId Id, string Name, string? Association, IReadOnlyList<string> Subjects,
    IReadOnlyList<OfficeHoursWindow> OfficeHours, string? OfficeHoursNote, bool CanBook, long? BookSubjectId);

/// <summary>A person the school names as responsible for something, with how to reach them.</summary>
public sealed record SchoolContact(long Id, string Duty, string Name, string? HowToReach, int Position);

public sealed record Association(long Id, string Name, int Teachers);

public sealed record DirectorySubject(long Id, string Name, bool Confidential);

/// <summary>What an administrator maintains of a teacher: association, subjects, office-hours note.</summary>
public sealed record TeacherProfile(PersonId Id, string Name, Role Role, long? AssociationId, string? Association, string? Note,
    IReadOnlyList<long> SubjectIds);

public sealed record PersonSummary(PersonId Id, string Name, Role Role, PersonStatus Status, string? Group);

public sealed record PersonCard(PersonId Id, string Name, Role Role, PersonStatus Status, string? Group, IReadOnlyList<string> Children,
    IReadOnlyList<string> Parents, IReadOnlyList<Channel> Messengers);

/// <summary>One teacher invite as the administrators' list shows it; the code itself is stored only hashed.</summary>
public sealed record TeacherInvite(long Id, DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt,
    string? UsedBy, DateTimeOffset? RevokedAt)
{
    public bool Usable(DateTimeOffset now) => UsedAt is null && RevokedAt is null && ExpiresAt > now;
}

public enum ReissueOutcome
{
    Reissued,
    NotFound,
    AlreadyUsed,
}

/// <summary>An audit entry: the actor's name only when the actor is staff (teachers and administrators are public).</summary>
public sealed record AuditEntry(DateTimeOffset At, string Action, PersonId? Subject, PersonId? Actor, string? ActorStaffName);

public enum DeactivateOutcome
{
    Deactivated,
    NotFound,
    AlreadyDeactivated,
    LastAdmin,
}

/// <summary>A question that was not closed and was addressed to the person switched off: it went back to the subject's teachers.</summary>
public sealed record ReturnedQuestion(long Id, PersonId Asker, string Subject);

/// <summary>What switching a person off did: the outcome and, when deactivated, the questions that went back to the subject's teachers.</summary>
public sealed record Deactivation(DeactivateOutcome Outcome, IReadOnlyList<ReturnedQuestion> ReturnedQuestions);

public enum PeopleFilter
{
    Students,
    Parents,
    Teachers,
    Admins,
}

public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

/// <summary>Length rules of the directory, the same as the schema's CHECKs.</summary>
public static class DirectoryLimits
{
    public const int SubjectMin = 2;
    public const int SubjectMax = 100;
    public const int AssociationMin = 2;
    public const int AssociationMax = 100;
    public const int NoteMax = 300;
    public const int DutyMax = 100;
    public const int ContactNameMax = 100;
    public const int ReachMax = 300;

    /// <summary>Trims and collapses inner runs of spaces; null when the result is outside [min, max] or has control characters.</summary>
    public static string? Clean(string text, int min, int max, bool singleLine = true)
    {
        var trimmed = singleLine
            ? string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            : text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();
        if (trimmed.Length < min || trimmed.Length > max || trimmed.Any(c => char.IsControl(c) && c != '\n'))
        {
            return null;
        }
        return trimmed;
    }

    public static long? ParseId(string arg) =>
        long.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;

    public static int ParsePage(string arg) =>
        int.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v is >= 0 and <= 10_000 ? v : 0;
}

/// <summary>The directory, its maintenance and the administrators' view of people, inside the update's transaction.</summary>
public interface IDirectoryRepository
{
    // Public directory
    /// <summary>Active teachers, and administrators who teach (assigned subjects, lessons or consultation slots), by association then name.</summary>
    Task<IReadOnlyList<DirectoryTeacher>> TeachersAsync(DateTimeOffset bookableAfter, CancellationToken cancellationToken);

    Task<IReadOnlyList<SchoolContact>> ContactsAsync(CancellationToken cancellationToken);

    // Subjects
    Task<IReadOnlyList<DirectorySubject>> SubjectsAsync(CancellationToken cancellationToken);
    Task<DirectorySubject?> GetSubjectAsync(long id, CancellationToken cancellationToken);
    /// <summary>Null when a subject of that name exists (in any letter case).</summary>
    Task<long?> AddSubjectAsync(string name, CancellationToken cancellationToken);
    /// <summary>False when another subject has that name.</summary>
    Task<bool> RenameSubjectAsync(long id, string name, CancellationToken cancellationToken);
    /// <summary>Sets the subject's confidential flag; false when it already had that value (nothing changed).</summary>
    Task<bool> SetConfidentialAsync(long id, bool confidential, CancellationToken cancellationToken);

    // Associations
    Task<IReadOnlyList<Association>> AssociationsAsync(CancellationToken cancellationToken);
    Task<Association?> GetAssociationAsync(long id, CancellationToken cancellationToken);
    Task<long?> AddAssociationAsync(string name, CancellationToken cancellationToken);
    Task<bool> RenameAssociationAsync(long id, string name, CancellationToken cancellationToken);
    /// <summary>Its teachers are left without an association. False when there was no such association.</summary>
    Task<bool> DeleteAssociationAsync(long id, CancellationToken cancellationToken);

    // Teachers' cards
    /// <summary>Active teachers and administrators, by name.</summary>
    Task<Page<PersonSummary>> StaffAsync(int offset, int limit, CancellationToken cancellationToken);
    /// <summary>An active teacher's or administrator's profile; null for anyone else.</summary>
    Task<TeacherProfile?> GetTeacherAsync(PersonId id, CancellationToken cancellationToken);
    Task SetAssociationAsync(PersonId teacher, long? association, CancellationToken cancellationToken);
    /// <summary>Gives the teacher the subject (<paramref name="assigned"/>) or takes it away; false when nothing changed.</summary>
    Task<bool> SetSubjectAsync(PersonId teacher, long subject, bool assigned, CancellationToken cancellationToken);
    Task SetNoteAsync(PersonId teacher, string? note, CancellationToken cancellationToken);

    // Contacts
    Task<SchoolContact?> GetContactAsync(long id, CancellationToken cancellationToken);
    Task AddContactAsync(string duty, string name, string? howToReach, CancellationToken cancellationToken);
    Task<bool> RemoveContactAsync(long id, CancellationToken cancellationToken);
    /// <summary>Swaps the contact with the one above it; false when it is first or unknown.</summary>
    Task<bool> MoveContactUpAsync(long id, CancellationToken cancellationToken);

    // People
    Task<Page<PersonSummary>> PeopleAsync(PeopleFilter filter, GroupId? group, int offset, int limit, CancellationToken cancellationToken);
    /// <summary>A registered (active or deactivated) person's card; null for unknown, registering or forgotten ids.</summary>
    Task<PersonCard?> GetPersonAsync(PersonId id, CancellationToken cancellationToken);
    /// <summary>
    /// Switches an active person off; refuses the last active administrator (the administrators' rows are locked first).
    /// In the same statement their questions that are not closed go back to the subject's teachers (teacher unset) and
    /// their pending outbox rows are deleted.
    /// </summary>
    Task<Deactivation> DeactivateAsync(PersonId id, CancellationToken cancellationToken);
    /// <summary>False when the person was not deactivated.</summary>
    Task<bool> ReactivateAsync(PersonId id, CancellationToken cancellationToken);

    // Invites
    Task<Page<TeacherInvite>> InvitesAsync(int offset, int limit, CancellationToken cancellationToken);
    /// <summary>Revokes an unused invite (used or not expired yet) and stores <paramref name="newCode"/> in its place, atomically.</summary>
    Task<ReissueOutcome> ReissueInviteAsync(long id, string newCode, PersonId by, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken);

    // Audit
    Task<Page<AuditEntry>> AuditAsync(IReadOnlyCollection<string> actions, int offset, int limit, CancellationToken cancellationToken);
}
