using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Materials;

/// <summary>Materials, assignments and information sources teachers post. Implementations work inside the update's transaction.</summary>
public interface IMaterialRepository
{
    /// <summary>
    /// Stores the material for its (non-archived) groups and, in the same transaction, queues one message to every active
    /// student of those groups and every active parent who follows such a student (once, however many children), in the
    /// recipient's language (<paramref name="notices"/>; Russian when the language has none), to their preferred
    /// reachable account. <paramref name="postedAt"/> stamps the material (the school's clock, not the database's).
    /// </summary>
    Task<MaterialPublished> PublishAsync(PersonId teacher, MaterialDraft draft, IReadOnlyDictionary<Language, MaterialNotice> notices,
        DateTimeOffset postedAt, CancellationToken cancellationToken);

    /// <summary>Subjects that have at least one material the scope sees, by name.</summary>
    Task<IReadOnlyList<Subject>> SubjectsAsync(MaterialScope scope, CancellationToken cancellationToken);

    /// <summary>The scope's materials of one subject, newest first.</summary>
    Task<MaterialPage> PageAsync(MaterialScope scope, long subjectId, int offset, int limit, CancellationToken cancellationToken);
}
