using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Ports;

/// <summary>People and their messenger accounts. Implementations work inside the update's transaction.</summary>
public interface IPeopleRepository
{
    /// <summary>The person behind a messenger account, locked for the rest of the transaction.</summary>
    Task<Person?> FindByAccountAsync(Channel channel, string senderId, CancellationToken cancellationToken);

    Task<Person?> GetAsync(PersonId id, CancellationToken cancellationToken);

    /// <summary>
    /// A person read without a lock, for a turn that only writes to them (a notification); never saved. Keeps turns
    /// that notify the same teacher from queueing on the teacher's row, and from locking rows in an order that could
    /// deadlock against the teacher's own turn.
    /// </summary>
    Task<Person?> PeekAsync(PersonId id, CancellationToken cancellationToken);

    /// <summary>Creates a person at the moment of consent, with the messenger account they consented from.</summary>
    Task<Person> CreateAsync(Channel channel, string senderId, string chatId, Language language, DateTimeOffset consentedAt,
        CancellationToken cancellationToken);

    Task SaveAsync(Person person, CancellationToken cancellationToken);

    /// <summary>Erases personal data (name, group, accounts, links, codes); the row stays as an anonymous id.</summary>
    Task ForgetAsync(PersonId id, CancellationToken cancellationToken);

    Task SetReachableAsync(Channel channel, string senderId, bool reachable, CancellationToken cancellationToken);

    /// <summary>Links a parent to a child; false when already linked.</summary>
    Task<bool> LinkParentAsync(PersonId parent, PersonId child, CancellationToken cancellationToken);

    /// <summary>Linked children the parent may act for; a child the school switched off is left out.</summary>
    Task<IReadOnlyList<Person>> ChildrenOfAsync(PersonId parent, CancellationToken cancellationToken);

    /// <summary>A person's messenger accounts, the one that gets notifications first (preferred, then oldest).</summary>
    Task<IReadOnlyList<LinkedAccount>> AccountsAsync(PersonId person, CancellationToken cancellationToken);

    /// <summary>Attaches a messenger account to an existing person (not preferred); false when the account already exists.</summary>
    Task<bool> AttachAccountAsync(PersonId person, Channel channel, string senderId, string chatId, CancellationToken cancellationToken);

    /// <summary>Makes the person's account in <paramref name="channel"/> the only preferred one; false when they have none there.</summary>
    Task<bool> SetPreferredAsync(PersonId person, Channel channel, CancellationToken cancellationToken);

    /// <summary>Deletes the person's account in <paramref name="channel"/>; false when it is their last one (or there is none).</summary>
    Task<bool> DetachAccountAsync(PersonId person, Channel channel, CancellationToken cancellationToken);
}

public interface IGroupRepository
{
    Task<IReadOnlyList<Group>> ListAsync(bool includeArchived, CancellationToken cancellationToken);

    Task<Group?> GetAsync(GroupId id, CancellationToken cancellationToken);

    /// <summary>Null when an active group with that name exists.</summary>
    Task<Group?> AddAsync(string name, CancellationToken cancellationToken);

    /// <summary>False when another active group already has the name.</summary>
    Task<bool> RenameAsync(GroupId id, string name, CancellationToken cancellationToken);

    Task ArchiveAsync(GroupId id, CancellationToken cancellationToken);
}

public interface ICodeRepository
{
    Task CreateAsync(CodeKind kind, string code, PersonId? owner, PersonId? createdBy, DateTimeOffset expiresAt,
        CancellationToken cancellationToken);

    /// <summary>Marks an unused, unexpired code as used, atomically; null when there is no such code.</summary>
    Task<RedeemedCode?> RedeemAsync(CodeKind kind, string code, PersonId usedBy, DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>Looks a code up without using it; null when no such code was ever issued.</summary>
    Task<FoundCode?> FindAsync(CodeKind kind, string code, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records a wrong code typed from a messenger account that belongs to nobody yet (no person to count against);
    /// the account is kept only as a hash.
    /// </summary>
    Task RecordRejectedAsync(Channel channel, string senderId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<int> CountRejectedSinceAsync(Channel channel, string senderId, DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>An audit trail without personal data: actions, anonymous ids and times.</summary>
public interface IAuditLog
{
    Task WriteAsync(string action, PersonId? subject, PersonId? actor, CancellationToken cancellationToken);

    /// <summary>How many times <paramref name="action"/> was recorded about <paramref name="subject"/> since a moment.</summary>
    Task<int> CountSinceAsync(string action, PersonId subject, DateTimeOffset since, CancellationToken cancellationToken);
}

public interface IChatNotices
{
    /// <summary>True the first time a (group) chat is seen, so the bot speaks there once.</summary>
    Task<bool> FirstTimeAsync(ChatAddress chat, CancellationToken cancellationToken);
}
