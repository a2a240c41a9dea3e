using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Questions;

public readonly record struct QuestionId(long Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    public static QuestionId? TryParse(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? new QuestionId(v) : null;
}

/// <summary>Open: the teacher's turn. Answered: the teacher spoke last. Closed: no more messages.</summary>
public enum QuestionStatus
{
    Open,
    Answered,
    Closed,
}

/// <summary>A subject one can ask about: it has at least one active teacher. Confidential subjects (psychology) are read by their teachers only.</summary>
public sealed record QuestionSubject(long Id, string Name, bool Confidential);

/// <summary>A teacher (or administrator) who teaches a subject, with the language their notifications are written in.</summary>
public sealed record QuestionTeacher(PersonId Id, string Name, Language Language);

/// <summary>
/// A question as the dialogs need it. The asker's name, group and children are for the asker's teacher only and are
/// never shown when <see cref="Anonymous"/>.
/// </summary>
public sealed record QuestionView(
    QuestionId Id,
    PersonId AskerId,
    string AskerName,
    Role AskerRole,
    string? AskerGroup,
    IReadOnlyList<string> AskerChildren,
    long SubjectId,
    string SubjectName,
    PersonId? TeacherId,
    string? TeacherName,
    bool Confidential,
    bool Anonymous,
    QuestionStatus Status,
    bool IsTopic,
    DateTimeOffset? WaitingSince,
    DateTimeOffset CreatedAt,
    string FirstMessage);

/// <summary>One message of a thread; <paramref name="AuthorName"/> is the teacher's name on teacher messages.</summary>
public sealed record QuestionMessage(bool FromAsker, string? AuthorName, string Body, DateTimeOffset At);

/// <summary>What the asker chose and typed.</summary>
public sealed record NewQuestion(PersonId Asker, long SubjectId, PersonId? Teacher, bool Confidential, bool Anonymous, string Body,
    DateTimeOffset At);

public enum PostOutcome
{
    Added,
    Closed,
    NotFound,
}

/// <summary>Taking an unassigned question: taken now, already the presser's, or someone else's (or closed).</summary>
public enum TakeOutcome
{
    Taken,
    AlreadyYours,
    TakenByAnother,
    Closed,
}

/// <summary>A topic question shown to the teacher before publishing a group consultation.</summary>
public sealed record TopicQuestion(QuestionId Id, string Excerpt);

/// <summary>Someone who asked a topic question covered by a newly published group consultation.</summary>
public sealed record TopicAsker(PersonId Id, Role Role, Language Language);

/// <summary>Limits of questions (from configuration).</summary>
public sealed record QuestionSettings
{
    /// <summary>Longest question or message (the table allows 2000).</summary>
    public const int MaxLength = 2000;

    /// <summary>New questions one asker may start in a rolling hour.</summary>
    public int MaxPerHour { get; init; } = 5;

    /// <summary>Thread messages one asker may write in a rolling hour (first messages of new questions included).</summary>
    public int MaxMessagesPerHour { get; init; } = 30;

    /// <summary>How many closed questions /questions still shows an asker.</summary>
    public int ClosedShown { get; init; } = 3;

    /// <summary>How many questions one list shows at most.</summary>
    public int ListSize { get; init; } = 20;
}

/// <summary>Questions and their threads. Implementations work inside the update's transaction; conditional updates decide races.</summary>
public interface IQuestionRepository
{
    /// <summary>Subjects with at least one reader (see <see cref="TeachersOfAsync"/>), by name.</summary>
    Task<IReadOnlyList<QuestionSubject>> SubjectsAsync(CancellationToken cancellationToken);

    Task<QuestionSubject?> GetSubjectAsync(long subjectId, CancellationToken cancellationToken);

    /// <summary>
    /// The readers of the subject's questions, by name: its active teachers and administrators; for a confidential subject
    /// only active teachers assigned to it explicitly (not through timetable lessons, never administrators).
    /// </summary>
    Task<IReadOnlyList<QuestionTeacher>> TeachersOfAsync(long subjectId, CancellationToken cancellationToken);

    /// <summary>Questions the person asked since a moment.</summary>
    Task<int> CountAskedSinceAsync(PersonId asker, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Thread messages the person wrote since a moment.</summary>
    Task<int> CountMessagesSinceAsync(PersonId author, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The question and its first message; open, waiting since <see cref="NewQuestion.At"/>.</summary>
    Task<QuestionId> CreateAsync(NewQuestion question, CancellationToken cancellationToken);

    Task<QuestionView?> GetAsync(QuestionId id, CancellationToken cancellationToken);

    /// <summary>Gives an unassigned question to the teacher, unless another took it first (a conditional update).</summary>
    Task<TakeOutcome> TakeAsync(QuestionId id, PersonId teacher, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a message unless the question is closed, and moves the status: the asker's message opens it (waiting since
    /// then, unless already waiting), the teacher's answers it (the first answer is recorded).
    /// </summary>
    Task<PostOutcome> AddMessageAsync(QuestionId id, PersonId author, bool fromAsker, string body, DateTimeOffset at,
        CancellationToken cancellationToken);

    /// <summary>Closes the question; false when it was closed already.</summary>
    Task<bool> CloseAsync(QuestionId id, PersonId by, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks a (not confidential, not closed) question as a topic for a group consultation; false when it cannot be.</summary>
    Task<bool> MarkTopicAsync(QuestionId id, CancellationToken cancellationToken);

    /// <summary>The asker's open and answered questions (newest first), then their last few closed ones.</summary>
    Task<IReadOnlyList<QuestionView>> AskedByAsync(PersonId asker, int closedShown, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The teacher's inbox: open questions addressed to them or unassigned in the subjects they teach, oldest waiting
    /// first; then the answered ones addressed to them, most recent first.
    /// </summary>
    Task<IReadOnlyList<QuestionView>> InboxAsync(PersonId teacher, int limit, CancellationToken cancellationToken);

    /// <summary>Whether the person is a reader of the subject's questions (see <see cref="TeachersOfAsync"/>).</summary>
    Task<bool> TeachesAsync(PersonId person, long subjectId, CancellationToken cancellationToken);

    Task<IReadOnlyList<QuestionMessage>> ThreadAsync(QuestionId id, CancellationToken cancellationToken);

    /// <summary>
    /// Topic questions of the subject, not closed, not confidential and not yet tied to a consultation, addressed to the
    /// teacher or unassigned, oldest first: exactly those <see cref="AttachTopicsAsync"/> ties.
    /// </summary>
    Task<IReadOnlyList<TopicQuestion>> TopicsAsync(PersonId teacher, long subjectId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Ties every such topic question not yet tied to a consultation to the new slot, in one statement, and returns
    /// their askers (each once) who are still active.
    /// </summary>
    Task<IReadOnlyList<TopicAsker>> AttachTopicsAsync(PersonId teacher, long subjectId, SlotId slot, CancellationToken cancellationToken);
}

/// <summary>Buttons of the questions dialogs that jobs outside the Domain put under their messages.</summary>
public static class QuestionButtons
{
    /// <summary>Opens the teacher's inbox (a menu button: valid from any old message).</summary>
    public static Messaging.Button Inbox(Texts.ITexts t) => Conversations.Turn.MenuButton(t.MenuInbox, Conversations.QuestionsFeature.Verb, "l");
}
