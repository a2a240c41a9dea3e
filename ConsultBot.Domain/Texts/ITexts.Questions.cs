using ConsultBot.Domain.Questions;

namespace ConsultBot.Domain.Texts;

/// <summary>Questions to teachers (and the school psychologist): asking, answering, lists, topics and reminders.</summary>
public partial interface ITexts
{
    // Menu
    string MenuAsk { get; }
    string MenuMyQuestions { get; }
    string MenuInbox { get; }

    // Asking
    string QuestionsForStudentsAndParents { get; }
    string QuestionNeedsParentConfirmation { get; }
    string AskQuestionSubject { get; }
    string NoQuestionSubjects { get; }
    string AskQuestionTeacher(string subject, bool confidential);
    string AnyTeacherOfSubject { get; }
    string SubjectUnavailable { get; }
    string TeacherUnavailable { get; }
    string AskAnonymity(string subject);
    string AskAnonymously { get; }
    string AskUnderOwnName { get; }
    string AskQuestionText(string subject, string to, bool anonymous, int max);
    string QuestionTooLong(int max, int length);
    string QuestionSent(QuestionId id, string to, bool anonymous);
    string SlowDownQuestions(int max);
    string SlowDownMessages(int max);

    // How people are named in questions
    string AskerStudent(string name, string? group);
    string AskerParent(string name, IReadOnlyList<string> children);
    string AnonymousAsker(QuestionId id);
    string AnyTeacher { get; }
    string You { get; }

    // The teacher's side
    string NewQuestionNotice(QuestionId id, string subject, string from, bool toAnyTeacher, bool confidential, string text);
    string AnswerButton { get; }
    string CloseQuestionButton { get; }
    string TopicQuestionButton { get; }
    string ThreadButton(QuestionId id);
    string AskAnswer(QuestionId id, int max);
    string QuestionTakenByAnother(QuestionId id);
    string QuestionClosedAlready(QuestionId id);
    string QuestionNotFound { get; }
    string QuestionTeacherGone(QuestionId id);
    string MessageSent(QuestionId id);
    string AnswerNotice(QuestionId id, string subject, string teacher, string text);
    string FollowUpNotice(QuestionId id, string subject, string from, string text);
    string QuestionClosed(QuestionId id);
    string QuestionClosedBy(QuestionId id, string subject, string who);
    string TopicMarked(QuestionId id, string subject);
    string TopicNotForConfidential { get; }

    // Lists and threads
    string NoQuestionsAsked { get; }
    string MyQuestionsTitle(int count);
    string QuestionStatusName(QuestionStatus status);
    string QuestionLine(QuestionId id, string subject, string to, QuestionStatus status, bool topic);
    string InboxEmpty { get; }
    string InboxTitle(int open);
    string InboxLine(QuestionId id, string subject, string from, string since, string excerpt);
    string InboxAnsweredTitle { get; }
    string ThreadTitle(QuestionId id, string subject, string asker, string to, QuestionStatus status);
    string ThreadEntry(string author, string when, string body);
    string QuestionTime(DateTimeOffset local);

    // Topics of group consultations
    string TopicsForConsultation(string subject, IReadOnlyList<string> excerpts);
    string TopicConsultationPublished(string subject, string when, string what);
    string BookTopicButton { get; }
    string BookTopicForChild(string child);
    string TopicAskersTold(int count);

    // The daily reminder
    string UnansweredReminder(int count, string oldest);

    /// <summary>One topic question on a group consultation's card: its number and an excerpt.</summary>
    string TopicLine(QuestionId id, string excerpt);

    /// <summary>Added to a refusal when the typed text is kept in the dialog.</summary>
    string QuestionTextKept { get; }

    string SendKeptTextButton { get; }

    /// <summary>A follow-up to a teacher who left: the text is kept and offered as a new question of the subject.</summary>
    string QuestionTeacherGoneTextKept(QuestionId id);
}
