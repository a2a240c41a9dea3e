using ConsultBot.Domain.Questions;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    public string MenuAsk => "✍️ Ask a question";
    public string MenuMyQuestions => "💬 My questions";
    public string MenuInbox => "📥 Students' questions";

    public string QuestionsForStudentsAndParents => "Students and parents ask teachers questions. Questions to you are in /questions.";
    public string QuestionNeedsParentConfirmation => "You can ask questions once a parent confirms your registration.";
    public string AskQuestionSubject => "Which subject is your question about?";
    public string NoQuestionSubjects => "There is nobody to ask yet: teachers have not listed their subjects. Please try later.";

    public string AskQuestionTeacher(string subject, bool confidential) => confidential
        ? $"“{subject}”: the question is confidential — only the specialist you choose reads it; the administration sees counts only. Whom do you ask?"
        : $"Whom do you ask about “{subject}”?";

    public string AnyTeacherOfSubject => "Any teacher of the subject";
    public string SubjectUnavailable => "Nobody takes questions on this subject now. Choose another subject: /ask";
    public string TeacherUnavailable => "This teacher does not take questions now. Choose another one:";

    public string AskAnonymity(string subject) =>
        $"How do you ask (“{subject}”)? Anonymously: the specialist sees no name and no class, and answers through the bot. Or under your own name.";

    public string AskAnonymously => "🕶 Anonymously";
    public string AskUnderOwnName => "Under my name";

    public string AskQuestionText(string subject, string to, bool anonymous, int max) =>
        $"Question: “{subject}”, to: {to}{(anonymous ? ", anonymously" : string.Empty)}.\nWrite your question in one message (up to {max} characters). Changed your mind? /cancel";

    public string QuestionTooLong(int max, int length) =>
        $"Too long: {length} characters, up to {max} allowed. Please shorten it and send it again — nothing was saved.";

    public string QuestionSent(QuestionId id, string to, bool anonymous) =>
        $"Question #{id} sent ({to}){(anonymous ? ", anonymously" : string.Empty)} ✅ The answer will come here. Your questions: /questions";

    public string SlowDownQuestions(int max) =>
        $"Please slow down: at most {max} questions an hour. Try again later — this question was not sent.";

    public string SlowDownMessages(int max) =>
        $"Please slow down: at most {max} messages an hour in questions. Try again later — the message was not sent.";

    public string AskerStudent(string name, string? group) => group is null ? name : $"{name}, {group}";

    public string AskerParent(string name, IReadOnlyList<string> children) =>
        children.Count == 0 ? $"{name} (parent)" : $"{name} (parent of {string.Join("; ", children)})";

    public string AnonymousAsker(QuestionId id) => $"Anonymous (question #{id})";
    public string AnyTeacher => "any teacher of the subject";
    public string You => "You";

    public string NewQuestionNotice(QuestionId id, string subject, string from, bool toAnyTeacher, bool confidential, string text) =>
        $"❓ New question #{id} · {subject}{(confidential ? " · confidential" : string.Empty)}\nFrom: {from}"
        + (toAnyTeacher ? "\nAddressed to any teacher of the subject: whoever answers first takes it." : string.Empty)
        + $"\n\n{text}";

    public string AnswerButton => "✍️ Answer";
    public string CloseQuestionButton => "✅ Close";
    public string TopicQuestionButton => "📌 Topic for a group consultation";
    public string ThreadButton(QuestionId id) => $"💬 #{id}";
    public string AskAnswer(QuestionId id, int max) => $"Write your message to question #{id} (up to {max} characters). Changed your mind? /cancel";
    public string QuestionTakenByAnother(QuestionId id) => $"Another teacher is already answering question #{id}.";
    public string QuestionClosedAlready(QuestionId id) => $"Question #{id} is closed: no more messages. A new question: /ask";
    public string QuestionNotFound => "No such question among yours. The list: /questions";
    public string QuestionTeacherGone(QuestionId id) =>
        $"The teacher of question #{id} no longer takes questions: the message was not sent. Ask another teacher: /ask";

    public string MessageSent(QuestionId id) => $"Sent to question #{id} ✅";
    public string AnswerNotice(QuestionId id, string subject, string teacher, string text) => $"💬 An answer to your question #{id} ({subject}) — {teacher}:\n\n{text}";
    public string FollowUpNotice(QuestionId id, string subject, string from, string text) => $"💬 Question #{id} ({subject}), {from} writes:\n\n{text}";
    public string QuestionClosed(QuestionId id) => $"Question #{id} closed ✅";
    public string QuestionClosedBy(QuestionId id, string subject, string who) => $"Question #{id} ({subject}) was closed by {who}.";

    public string TopicMarked(QuestionId id, string subject) =>
        $"📌 Question #{id} is marked as a topic. You will see it when you publish a group consultation of “{subject}”, and its author will be invited.";

    public string TopicNotForConfidential => "Confidential questions do not become topics of group consultations.";

    public string NoQuestionsAsked => "You have not asked any questions yet. Ask one: /ask";
    public string MyQuestionsTitle(int count) => $"💬 Your questions ({count}):";

    public string QuestionStatusName(QuestionStatus status) => status switch
    {
        QuestionStatus.Open => "waiting for an answer",
        QuestionStatus.Answered => "answered",
        _ => "closed",
    };

    public string QuestionLine(QuestionId id, string subject, string to, QuestionStatus status, bool topic) =>
        $"#{id} · {subject} · {to} · {QuestionStatusName(status)}{(topic ? " · 📌 topic" : string.Empty)}";

    public string InboxEmpty => "No unanswered questions 👍";
    public string InboxTitle(int open) => $"📥 Unanswered: {open} (oldest first)";
    public string InboxLine(QuestionId id, string subject, string from, string since, string excerpt) => $"#{id} · {subject} · {from} · waiting since {since}\n“{excerpt}”";
    public string InboxAnsweredTitle => "Answered (waiting for a follow-up or to be closed):";
    public string ThreadTitle(QuestionId id, string subject, string asker, string to, QuestionStatus status) =>
        $"💬 Question #{id} · {subject}\nFrom: {asker} · to: {to} · {QuestionStatusName(status)}";

    public string ThreadEntry(string author, string when, string body) => $"{author}, {when}:\n{body}";
    public string QuestionTime(DateTimeOffset local) => local.ToString("dd.MM HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public string TopicsForConsultation(string subject, IReadOnlyList<string> excerpts) =>
        $"📌 Topics from questions on “{subject}” — their authors will be invited:\n" + string.Join("\n", excerpts.Select(e => "• " + e));

    public string TopicConsultationPublished(string subject, string when, string what) =>
        $"📌 A group consultation on your question's subject was published: {what}\n🗓 {when}";

    public string BookTopicButton => "Book";
    public string BookTopicForChild(string child) => $"Book for {child}";
    public string TopicAskersTold(int count) => $"Authors of topic questions invited: {count}.";

    public string UnansweredReminder(int count, string oldest) => $"⏰ Unanswered questions: {count}. The oldest has waited since {oldest}.";

    public string TopicLine(QuestionId id, string excerpt) => $"#{id}: “{excerpt}”";
    public string QuestionTextKept => "Your text is kept: no need to type it again.";
    public string SendKeptTextButton => "📨 Send the kept text";

    public string QuestionTeacherGoneTextKept(QuestionId id) =>
        $"The teacher of question #{id} no longer takes questions. Your text is kept: choose whom to send it to as a new question.";
}
