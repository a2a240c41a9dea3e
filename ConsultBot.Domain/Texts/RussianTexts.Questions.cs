using ConsultBot.Domain.Questions;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    public string MenuAsk => "✍️ Задать вопрос";
    public string MenuMyQuestions => "💬 Мои вопросы";
    public string MenuInbox => "📥 Вопросы учеников";

    public string QuestionsForStudentsAndParents => "Задавать вопросы учителям могут ученики и родители. Вопросы вам — в /questions.";
    public string QuestionNeedsParentConfirmation => "Задавать вопросы можно после того, как родитель подтвердит вашу регистрацию.";
    public string AskQuestionSubject => "О каком предмете вопрос?";
    public string NoQuestionSubjects => "Пока некому задать вопрос: учителя ещё не указали свои предметы. Попробуйте позже.";

    public string AskQuestionTeacher(string subject, bool confidential) => confidential
        ? $"«{subject}»: вопрос конфиденциальный — его прочитает только выбранный специалист, администрация видит лишь количество. Кому задать вопрос?"
        : $"Кому задать вопрос по предмету «{subject}»?";

    public string AnyTeacherOfSubject => "Любой учитель предмета";
    public string SubjectUnavailable => "По этому предмету сейчас некому задать вопрос. Выберите другой предмет: /ask";
    public string TeacherUnavailable => "Этот учитель сейчас не принимает вопросы. Выберите другого:";

    public string AskAnonymity(string subject) =>
        $"Как задать вопрос («{subject}»)? Анонимно: специалист не увидит ни имени, ни класса, ответ придёт через бота. Или от своего имени.";

    public string AskAnonymously => "🕶 Анонимно";
    public string AskUnderOwnName => "От своего имени";

    public string AskQuestionText(string subject, string to, bool anonymous, int max) =>
        $"Вопрос: «{subject}», кому: {to}{(anonymous ? ", анонимно" : string.Empty)}.\nНапишите вопрос одним сообщением (до {max} символов). Передумали — /cancel";

    public string QuestionTooLong(int max, int length) =>
        $"Слишком длинно: {length} символов, а можно до {max}. Сократите текст и отправьте ещё раз — ничего не сохранено.";

    public string QuestionSent(QuestionId id, string to, bool anonymous) =>
        $"Вопрос №{id} отправлен ({to}){(anonymous ? ", анонимно" : string.Empty)} ✅ Ответ придёт сюда же. Ваши вопросы — /questions";

    public string SlowDownQuestions(int max) =>
        $"Пожалуйста, не так быстро: за час можно задать не больше {max} вопросов. Попробуйте позже — этот вопрос не отправлен.";

    public string SlowDownMessages(int max) =>
        $"Пожалуйста, не так быстро: за час можно отправить не больше {max} сообщений в вопросах. Попробуйте позже — сообщение не отправлено.";

    public string AskerStudent(string name, string? group) => group is null ? name : $"{name}, {group}";

    public string AskerParent(string name, IReadOnlyList<string> children) =>
        children.Count == 0 ? $"{name} (родитель)" : $"{name} (родитель: {string.Join("; ", children)})";

    public string AnonymousAsker(QuestionId id) => $"Аноним (вопрос №{id})";
    public string AnyTeacher => "любой учитель предмета";
    public string You => "Вы";

    public string NewQuestionNotice(QuestionId id, string subject, string from, bool toAnyTeacher, bool confidential, string text) =>
        $"❓ Новый вопрос №{id} · {subject}{(confidential ? " · конфиденциально" : string.Empty)}\nОт: {from}"
        + (toAnyTeacher ? "\nАдресован любому учителю предмета: вопрос достанется тому, кто ответит первым." : string.Empty)
        + $"\n\n{text}";

    public string AnswerButton => "✍️ Ответить";
    public string CloseQuestionButton => "✅ Закрыть";
    public string TopicQuestionButton => "📌 Тема для групповой консультации";
    public string ThreadButton(QuestionId id) => $"💬 №{id}";
    public string AskAnswer(QuestionId id, int max) => $"Напишите сообщение в вопрос №{id} (до {max} символов). Передумали — /cancel";
    public string QuestionTakenByAnother(QuestionId id) => $"На вопрос №{id} уже отвечает другой учитель.";
    public string QuestionClosedAlready(QuestionId id) => $"Вопрос №{id} закрыт: писать в него больше нельзя. Новый вопрос — /ask";
    public string QuestionNotFound => "Такого вопроса не нашлось среди ваших. Список — /questions";
    public string QuestionTeacherGone(QuestionId id) =>
        $"Учитель вопроса №{id} больше не принимает вопросы: сообщение не отправлено. Задайте вопрос другому учителю — /ask";

    public string MessageSent(QuestionId id) => $"Отправлено в вопрос №{id} ✅";
    public string AnswerNotice(QuestionId id, string subject, string teacher, string text) => $"💬 Ответ на ваш вопрос №{id} ({subject}) — {teacher}:\n\n{text}";
    public string FollowUpNotice(QuestionId id, string subject, string from, string text) => $"💬 Вопрос №{id} ({subject}), пишет {from}:\n\n{text}";
    public string QuestionClosed(QuestionId id) => $"Вопрос №{id} закрыт ✅";
    public string QuestionClosedBy(QuestionId id, string subject, string who) => $"Вопрос №{id} ({subject}) закрыт. Закрыл(а): {who}.";

    public string TopicMarked(QuestionId id, string subject) =>
        $"📌 Вопрос №{id} отмечен как тема. Он появится, когда вы будете публиковать групповую консультацию по предмету «{subject}», а автору придёт приглашение.";

    public string TopicNotForConfidential => "Конфиденциальные вопросы не становятся темами групповых консультаций.";

    public string NoQuestionsAsked => "Вы пока не задавали вопросов. Задать вопрос — /ask";
    public string MyQuestionsTitle(int count) => $"💬 Ваши вопросы ({count}):";

    public string QuestionStatusName(QuestionStatus status) => status switch
    {
        QuestionStatus.Open => "ждёт ответа",
        QuestionStatus.Answered => "есть ответ",
        _ => "закрыт",
    };

    public string QuestionLine(QuestionId id, string subject, string to, QuestionStatus status, bool topic) =>
        $"№{id} · {subject} · {to} · {QuestionStatusName(status)}{(topic ? " · 📌 тема" : string.Empty)}";

    public string InboxEmpty => "Вопросов без ответа нет 👍";
    public string InboxTitle(int open) => $"📥 Без ответа: {open} (сначала самые давние)";
    public string InboxLine(QuestionId id, string subject, string from, string since, string excerpt) => $"№{id} · {subject} · {from} · ждёт с {since}\n«{excerpt}»";
    public string InboxAnsweredTitle => "Отвеченные (ждут продолжения или закрытия):";
    public string ThreadTitle(QuestionId id, string subject, string asker, string to, QuestionStatus status) =>
        $"💬 Вопрос №{id} · {subject}\nОт: {asker} · кому: {to} · {QuestionStatusName(status)}";

    public string ThreadEntry(string author, string when, string body) => $"{author}, {when}:\n{body}";
    public string QuestionTime(DateTimeOffset local) => local.ToString("dd.MM HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public string TopicsForConsultation(string subject, IReadOnlyList<string> excerpts) =>
        $"📌 Темы из вопросов по предмету «{subject}» — их авторам придёт приглашение:\n" + string.Join("\n", excerpts.Select(e => "• " + e));

    public string TopicConsultationPublished(string subject, string when, string what) =>
        $"📌 Опубликована групповая консультация по предмету вашего вопроса: {what}\n🗓 {when}";

    public string BookTopicButton => "Записаться";
    public string BookTopicForChild(string child) => $"Записать: {child}";
    public string TopicAskersTold(int count) => $"Приглашение получили авторы вопросов-тем: {count}.";

    public string UnansweredReminder(int count, string oldest) => $"⏰ Вопросов без ответа: {count}. Самый давний ждёт с {oldest}.";

    public string TopicLine(QuestionId id, string excerpt) => $"№{id}: «{excerpt}»";
    public string QuestionTextKept => "Ваш текст сохранён — набирать его заново не нужно.";
    public string SendKeptTextButton => "📨 Отправить сохранённый текст";

    public string QuestionTeacherGoneTextKept(QuestionId id) =>
        $"Учитель вопроса №{id} больше не принимает вопросы. Ваш текст сохранён: выберите, кому отправить его новым вопросом.";
}
