using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Materials;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Questions;
using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// Questions to teachers (deferred consultations): /ask (subject → teacher or any teacher of it → for a confidential
/// subject anonymous or not → the text), the teacher's answer, follow-ups from either side until one closes it,
/// /questions (the asker's list or the teacher's inbox, oldest waiting first) and thread views, and marking a question
/// as a topic for a group consultation. Every question id in a button is re-checked against the person pressing: the
/// asker, the addressed teacher, or (while unassigned) a teacher of its subject; anybody else is told it was not found.
/// Anonymous askers are named «Аноним (вопрос №N)» on the teacher's side: no name, class, child or id ever reaches it.
/// </summary>
internal sealed class QuestionsFeature : IConversationFeature, ILongTextSteps
{
    public const string Verb = "qa";
    private const string StepQuestion = "qa.text";
    private const string StepMessage = "qa.msg";
    private const string AnyTeacherArg = "-";
    private const string KeptTextKey = "text";
    private const int ExcerptLength = 80;
    private const int TopicsShown = 10;

    public IReadOnlyCollection<string> Commands { get; } = ["ask", "questions"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [StepQuestion, StepMessage];

    /// <summary>Both steps say the question limit themselves, also for texts over the messengers' 4096 characters.</summary>
    public bool AnswersLongText(string step) => true;

    public Task OnCommandAsync(Turn turn, string command, string argument) =>
        command == "questions" ? ListAsync(turn) : StartAsync(turn);

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        turn.CallbackAnswer = string.Empty;
        switch (payload.Arg(0))
        {
            case "a":
                await StartAsync(turn).ConfigureAwait(false);
                return;
            case "l":
                await ListAsync(turn).ConfigureAwait(false);
                return;
            case "s" when ParseId(payload.Arg(1)) is { } subject:
                await ShowTeachersAsync(turn, subject).ConfigureAwait(false);
                return;
            case "t" when ParseId(payload.Arg(1)) is { } subject:
                await ChooseTeacherAsync(turn, subject, payload.Arg(2)).ConfigureAwait(false);
                return;
            case "n" when ParseId(payload.Arg(1)) is { } subject && payload.Arg(3) is "a" or "o":
                await ChooseAnonymityAsync(turn, subject, payload.Arg(2), payload.Arg(3) == "a").ConfigureAwait(false);
                return;
            case "k":
                await ResendKeptTextAsync(turn).ConfigureAwait(false);
                return;
            case "v" or "r" or "c" or "tp" when QuestionId.TryParse(payload.Arg(1)) is { } id:
                await OnQuestionActionAsync(turn, payload.Arg(0), id).ConfigureAwait(false);
                return;
            default:
                turn.CallbackAnswer = turn.Texts.ButtonInvalid;
                return;
        }
    }

    public Task OnTextAsync(Turn turn, string step, string text) => OnTextAsyncCore(turn, step, text);

    private static async Task OnTextAsyncCore(Turn turn, string step, string text)
    {
        var t = turn.Texts;
        if (text.Length > QuestionSettings.MaxLength)
        {
            // The step stays: the person shortens the text and sends it again.
            turn.Reply(t.QuestionTooLong(QuestionSettings.MaxLength, text.Length));
            return;
        }
        if (step == StepQuestion)
        {
            await SubmitQuestionAsync(turn, text).ConfigureAwait(false);
            return;
        }
        await SubmitMessageAsync(turn, text).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- asking

    /// <summary>Students and parents ask (a student waiting for a parent's confirmation not yet); true when the person may.</summary>
    private static bool AllowAsking(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (person.Role is not (Role.Student or Role.Parent))
        {
            turn.Reply(t.QuestionsForStudentsAndParents, Keyboard.Of([Turn.MenuButton(t.MenuInbox, Verb, "l")]));
            return false;
        }
        if (person.NeedsParentConfirmation)
        {
            turn.Reply(t.QuestionNeedsParentConfirmation);
            return false;
        }
        return true;
    }

    private static async Task StartAsync(Turn turn)
    {
        if (!AllowAsking(turn) || !await WithinQuestionLimitAsync(turn, textKept: false).ConfigureAwait(false))
        {
            return;
        }
        var t = turn.Texts;
        var subjects = await turn.Context.Questions.SubjectsAsync(turn.CancellationToken).ConfigureAwait(false);
        if (subjects.Count == 0)
        {
            turn.Reply(t.NoQuestionSubjects);
            return;
        }
        var rows = subjects.Take(30).Select(s => Turn.MenuButton(s.Name, Verb, "s", Id(s.Id)))
            .Chunk(2).Select(r => (IReadOnlyList<Button>)r).ToList();
        turn.Reply(t.AskQuestionSubject, new Keyboard(rows));
    }

    private static async Task ShowTeachersAsync(Turn turn, long subjectId, string? intro = null)
    {
        if (!AllowAsking(turn))
        {
            return;
        }
        var t = turn.Texts;
        var repo = turn.Context.Questions;
        var subject = await repo.GetSubjectAsync(subjectId, turn.CancellationToken).ConfigureAwait(false);
        var teachers = subject is null ? [] : await repo.TeachersOfAsync(subjectId, turn.CancellationToken).ConfigureAwait(false);
        if (subject is null || teachers.Count == 0)
        {
            turn.Reply(t.SubjectUnavailable);
            return;
        }
        var arg = Id(subjectId);
        var kept = HasKeptQuestion(turn, subjectId);
        var buttons = teachers.Take(20).Select(p => ChoiceButton(turn, kept, p.Name, "t", arg, p.Id.ToString())).ToList();
        buttons.Add(ChoiceButton(turn, kept, t.AnyTeacherOfSubject, "t", arg, AnyTeacherArg));
        var text = t.AskQuestionTeacher(subject.Name, subject.Confidential);
        turn.Reply(intro is null ? text : intro + "\n" + text, Keyboard.Column(buttons));
    }

    /// <summary>The addressee, checked again: an active teacher of the subject, or any of them. Null (and said why) otherwise.</summary>
    private static async Task<(QuestionSubject Subject, QuestionTeacher? Teacher)?> ResolveAddresseeAsync(Turn turn, long subjectId, string teacherArg)
    {
        var t = turn.Texts;
        var repo = turn.Context.Questions;
        var subject = await repo.GetSubjectAsync(subjectId, turn.CancellationToken).ConfigureAwait(false);
        var teachers = subject is null ? [] : await repo.TeachersOfAsync(subjectId, turn.CancellationToken).ConfigureAwait(false);
        if (subject is null || teachers.Count == 0)
        {
            // Nobody at all takes this subject's questions now: there is nowhere to send a kept text either.
            turn.RequirePerson.EndDialog();
            turn.Reply(t.SubjectUnavailable);
            return null;
        }
        if (teacherArg == AnyTeacherArg)
        {
            return (subject, null);
        }
        var teacher = ParseId(teacherArg) is { } id ? teachers.FirstOrDefault(p => p.Id.Value == id) : null;
        if (teacher is null)
        {
            // Deactivated, no longer teaching the subject, or a made-up id: nothing is stored, another is chosen. A typed
            // text stays in the dialog: choosing another teacher sends it without typing it again.
            var intro = HasKeptQuestion(turn, subjectId) ? t.TeacherUnavailable + "\n" + t.QuestionTextKept : t.TeacherUnavailable;
            await ShowTeachersAsync(turn, subjectId, intro).ConfigureAwait(false);
            return null;
        }
        return (subject, teacher);
    }

    private static async Task ChooseTeacherAsync(Turn turn, long subjectId, string teacherArg)
    {
        if (!AllowAsking(turn) || await ResolveAddresseeAsync(turn, subjectId, teacherArg).ConfigureAwait(false) is not { } to)
        {
            return;
        }
        var t = turn.Texts;
        if (to.Subject.Confidential)
        {
            var arg = Id(subjectId);
            var kept = HasKeptQuestion(turn, subjectId);
            turn.Reply(t.AskAnonymity(to.Subject.Name), Keyboard.Of(
                [ChoiceButton(turn, kept, t.AskAnonymously, "n", arg, teacherArg, "a")],
                [ChoiceButton(turn, kept, t.AskUnderOwnName, "n", arg, teacherArg, "o")]));
            return;
        }
        await BeginQuestionAsync(turn, to.Subject, to.Teacher, anonymous: false).ConfigureAwait(false);
    }

    private static async Task ChooseAnonymityAsync(Turn turn, long subjectId, string teacherArg, bool anonymous)
    {
        if (!AllowAsking(turn) || await ResolveAddresseeAsync(turn, subjectId, teacherArg).ConfigureAwait(false) is not { } to)
        {
            return;
        }
        await BeginQuestionAsync(turn, to.Subject, to.Teacher, anonymous && to.Subject.Confidential).ConfigureAwait(false);
    }

    /// <summary>Asks for the text; or, when a refused text of this subject is kept in the dialog, sends that one to the new addressee.</summary>
    private static async Task BeginQuestionAsync(Turn turn, QuestionSubject subject, QuestionTeacher? teacher, bool anonymous)
    {
        var t = turn.Texts;
        var kept = HasKeptQuestion(turn, subject.Id) ? turn.RequirePerson.Dialog.Get(KeptTextKey) : null;
        var data = new Dictionary<string, string>
        {
            ["subj"] = Id(subject.Id),
            ["to"] = teacher?.Id.ToString() ?? AnyTeacherArg,
            ["anon"] = anonymous ? "1" : "0",
        };
        if (kept is not null)
        {
            data[KeptTextKey] = kept;
        }
        turn.RequirePerson.BeginStep(StepQuestion, data);
        if (kept is not null)
        {
            await SubmitQuestionAsync(turn, kept).ConfigureAwait(false);
            return;
        }
        turn.Reply(t.AskQuestionText(subject.Name, teacher?.Name ?? t.AnyTeacher, anonymous, QuestionSettings.MaxLength));
    }

    /// <summary>The dialog keeps a refused question's text of this subject (the step stays until the text is stored).</summary>
    private static bool HasKeptQuestion(Turn turn, long subjectId)
    {
        var dialog = turn.RequirePerson.Dialog;
        return dialog.Step == StepQuestion && dialog.Get(KeptTextKey) is not null && dialog.Get("subj") == Id(subjectId);
    }

    /// <summary>
    /// A choice of addressee or anonymity. While a text is kept it is bound to the step: a menu button would end the step
    /// (the engine leaves open steps on menu presses) and the text with it.
    /// </summary>
    private static Button ChoiceButton(Turn turn, bool textKept, string label, params string[] args) =>
        textKept ? turn.StepButton(label, Verb, args) : Turn.MenuButton(label, Verb, args);

    /// <summary>"Send the kept text" after a rate limit: the text step runs again with the text the person already typed.</summary>
    private static async Task ResendKeptTextAsync(Turn turn)
    {
        var dialog = turn.RequirePerson.Dialog;
        if (dialog.Get(KeptTextKey) is not { } text || dialog.Step is not (StepQuestion or StepMessage))
        {
            turn.CallbackAnswer = turn.Texts.ButtonStale;
            return;
        }
        await OnTextAsyncCore(turn, dialog.Step, text).ConfigureAwait(false);
    }

    private static async Task SubmitQuestionAsync(Turn turn, string text)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var dialog = person.Dialog;
        var subjectId = ParseId(dialog.Get("subj") ?? string.Empty);
        var teacherArg = dialog.Get("to") ?? AnyTeacherArg;
        var anonymous = dialog.Get("anon") == "1";
        if (!AllowAsking(turn) || subjectId is not { } sid)
        {
            person.EndDialog();
            return;
        }
        // The text is kept in the dialog until it is stored: a refusal below (teacher gone, a limit) loses nothing.
        person.SetStepData(KeptTextKey, text);
        if (await ResolveAddresseeAsync(turn, sid, teacherArg).ConfigureAwait(false) is not { } to
            || !await WithinQuestionLimitAsync(turn, textKept: true).ConfigureAwait(false)
            || !await WithinMessageLimitAsync(turn, textKept: true).ConfigureAwait(false))
        {
            return;
        }
        var repo = turn.Context.Questions;
        anonymous &= to.Subject.Confidential;
        var id = await repo.CreateAsync(new NewQuestion(person.Id, sid, to.Teacher?.Id, to.Subject.Confidential, anonymous, text, turn.Now),
            turn.CancellationToken).ConfigureAwait(false);
        person.EndDialog();
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.QuestionSent(id, to.Teacher?.Name ?? t.AnyTeacher, anonymous), Keyboard.Of(
            [Turn.MenuButton(t.ThreadButton(id), Verb, "v", id.ToString()), Turn.MenuButton(t.MenuMyQuestions, Verb, "l")]));
        if (await repo.GetAsync(id, turn.CancellationToken).ConfigureAwait(false) is not { } question)
        {
            return;
        }
        var recipients = to.Teacher is { } one ? [one] : await repo.TeachersOfAsync(sid, turn.CancellationToken).ConfigureAwait(false);
        foreach (var teacher in recipients)
        {
            turn.Notify(teacher.Id, teacher.Language,
                tt => tt.NewQuestionNotice(id, question.SubjectName, AskerLabel(tt, question), question.TeacherId is null, question.Confidential, text),
                tt => TeacherKeyboard(tt, question));
        }
    }

    private static Task<bool> WithinQuestionLimitAsync(Turn turn, bool textKept) =>
        WithinLimitAsync(turn, turn.Settings.Questions.MaxPerHour, turn.Context.Questions.CountAskedSinceAsync, (t, max) => t.SlowDownQuestions(max),
            textKept);

    private static Task<bool> WithinMessageLimitAsync(Turn turn, bool textKept) =>
        WithinLimitAsync(turn, turn.Settings.Questions.MaxMessagesPerHour, turn.Context.Questions.CountMessagesSinceAsync,
            (t, max) => t.SlowDownMessages(max), textKept);

    /// <summary>
    /// A rolling-hour limit of the person: true while under it; otherwise says so, and when a typed text is kept in the
    /// dialog offers a button that sends it later without typing it again.
    /// </summary>
    private static async Task<bool> WithinLimitAsync(Turn turn, int max, Func<PersonId, DateTimeOffset, CancellationToken, Task<int>> countSince,
        Func<ITexts, int, string> slowDown, bool textKept)
    {
        var used = await countSince(turn.RequirePerson.Id, turn.Now.AddHours(-1), turn.CancellationToken).ConfigureAwait(false);
        if (used < max)
        {
            return true;
        }
        var t = turn.Texts;
        var refusal = slowDown(t, max);
        turn.CallbackAnswer = refusal;
        if (textKept)
        {
            turn.Reply(refusal + "\n" + t.QuestionTextKept, Keyboard.Of([turn.StepButton(t.SendKeptTextButton, Verb, "k")]));
        }
        else
        {
            turn.Reply(refusal);
        }
        return false;
    }

    // ---------------------------------------------------------------- one question: view, answer, close, topic

    private enum Side
    {
        None,
        Asker,
        Teacher,
        TakenByAnother,
    }

    /// <summary>
    /// The question if the person may see it: its asker; its teacher; while unassigned, a reader of its subject (the
    /// repository's <c>TeachesAsync</c>: an active teacher or administrator of an ordinary subject; for a confidential
    /// subject only a teacher assigned to it explicitly, never through timetable lessons, never an administrator).
    /// </summary>
    private static async Task<(QuestionView? Question, Side Side)> OpenAsync(Turn turn, QuestionId id)
    {
        var person = turn.RequirePerson;
        var repo = turn.Context.Questions;
        var question = await repo.GetAsync(id, turn.CancellationToken).ConfigureAwait(false);
        if (question is null)
        {
            return (null, Side.None);
        }
        if (question.AskerId == person.Id && person.Role is Role.Student or Role.Parent)
        {
            return (question, Side.Asker);
        }
        if (!Consultants.CanConsult(person))
        {
            return (null, Side.None);
        }
        if (question.TeacherId == person.Id)
        {
            return (question, Side.Teacher);
        }
        if (!await repo.TeachesAsync(person.Id, question.SubjectId, turn.CancellationToken).ConfigureAwait(false))
        {
            return (null, Side.None);
        }
        // Another teacher of the subject took it (or it was addressed to one): this one learns only that much.
        return question.TeacherId is null ? (question, Side.Teacher) : (null, Side.TakenByAnother);
    }

    private static async Task OnQuestionActionAsync(Turn turn, string action, QuestionId id)
    {
        var t = turn.Texts;
        var (question, side) = await OpenAsync(turn, id).ConfigureAwait(false);
        if (question is null)
        {
            var refusal = side == Side.TakenByAnother ? t.QuestionTakenByAnother(id) : t.QuestionNotFound;
            turn.CallbackAnswer = refusal;
            turn.Reply(refusal);
            return;
        }
        if (action == "v")
        {
            await ShowThreadAsync(turn, question, side).ConfigureAwait(false);
            return;
        }
        if (question.Status == QuestionStatus.Closed)
        {
            turn.CallbackAnswer = t.QuestionClosedAlready(id);
            turn.Reply(t.QuestionClosedAlready(id));
            return;
        }
        switch (action)
        {
            case "r":
                // Only checked here (OpenAsync): an unassigned question is taken when the answer is sent, so a teacher who
                // presses Answer and walks away blocks nobody.
                turn.RequirePerson.BeginStep(StepMessage, new Dictionary<string, string> { ["q"] = id.ToString() });
                turn.Reply(t.AskAnswer(id, QuestionSettings.MaxLength));
                return;
            case "c":
                // Closing or marking an unassigned question takes it first (conditionally, like answering): the colleagues
                // then see it is taken, and nobody closes a question another teacher is answering.
                if (side == Side.Teacher && !await TakeAsync(turn, question).ConfigureAwait(false))
                {
                    return;
                }
                await CloseAsync(turn, question, side).ConfigureAwait(false);
                return;
            default:
                if (side == Side.Teacher && !question.Confidential && !await TakeAsync(turn, question).ConfigureAwait(false))
                {
                    return;
                }
                await MarkTopicAsync(turn, question, side).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>An unassigned question goes to the first teacher who answers; false (and said) when another was first.</summary>
    private static async Task<bool> TakeAsync(Turn turn, QuestionView question)
    {
        if (question.TeacherId is not null)
        {
            return true;
        }
        var t = turn.Texts;
        var outcome = await turn.Context.Questions.TakeAsync(question.Id, turn.RequirePerson.Id, turn.CancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case TakeOutcome.Taken or TakeOutcome.AlreadyYours:
                return true;
            case TakeOutcome.Closed:
                turn.CallbackAnswer = t.QuestionClosedAlready(question.Id);
                turn.Reply(t.QuestionClosedAlready(question.Id));
                return false;
            default:
                turn.CallbackAnswer = t.QuestionTakenByAnother(question.Id);
                turn.Reply(t.QuestionTakenByAnother(question.Id));
                return false;
        }
    }

    private static async Task SubmitMessageAsync(Turn turn, string text)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var id = QuestionId.TryParse(person.Dialog.Get("q") ?? string.Empty);
        var (question, side) = id is { } qid ? await OpenAsync(turn, qid).ConfigureAwait(false) : (null, Side.None);
        if (question is null)
        {
            person.EndDialog();
            turn.Reply(side == Side.TakenByAnother && id is { } taken ? t.QuestionTakenByAnother(taken) : t.QuestionNotFound);
            return;
        }
        if (question.Status == QuestionStatus.Closed)
        {
            person.EndDialog();
            turn.Reply(t.QuestionClosedAlready(question.Id));
            return;
        }
        // Kept in the dialog until stored: the limit's refusal offers to send it later.
        person.SetStepData(KeptTextKey, text);
        if (side == Side.Asker && !await WithinMessageLimitAsync(turn, textKept: true).ConfigureAwait(false))
        {
            return;
        }
        if (side == Side.Asker && question.TeacherId is { } teacherId
            && await turn.Context.People.PeekAsync(teacherId, turn.CancellationToken).ConfigureAwait(false) is not { IsActive: true })
        {
            // Deactivated (or forgotten): nobody would read it here. The text becomes a new question of the same subject
            // (kept in the dialog): the asker only chooses whom to send it to.
            person.BeginStep(StepQuestion, new Dictionary<string, string>
            {
                ["subj"] = Id(question.SubjectId),
                ["to"] = AnyTeacherArg,
                ["anon"] = question.Anonymous ? "1" : "0",
                [KeptTextKey] = text,
            });
            await ShowTeachersAsync(turn, question.SubjectId, t.QuestionTeacherGoneTextKept(question.Id)).ConfigureAwait(false);
            return;
        }
        if (side == Side.Teacher && !await TakeAsync(turn, question).ConfigureAwait(false))
        {
            person.EndDialog();
            return;
        }
        var outcome = await turn.Context.Questions.AddMessageAsync(question.Id, person.Id, side == Side.Asker, text, turn.Now, turn.CancellationToken)
            .ConfigureAwait(false);
        person.EndDialog();
        if (outcome != PostOutcome.Added)
        {
            turn.Reply(outcome == PostOutcome.Closed ? t.QuestionClosedAlready(question.Id) : t.QuestionNotFound);
            return;
        }
        turn.Reply(t.MessageSent(question.Id), Keyboard.Of([Turn.MenuButton(t.ThreadButton(question.Id), Verb, "v", question.Id.ToString())]));
        if (side == Side.Teacher)
        {
            var teacher = person.FullName ?? string.Empty;
            await NotifyAskerAsync(turn, question, tt => tt.AnswerNotice(question.Id, question.SubjectName, teacher, text)).ConfigureAwait(false);
            return;
        }
        await NotifyTeacherSideAsync(turn, question,
            tt => tt.FollowUpNotice(question.Id, question.SubjectName, AskerLabel(tt, question), text)).ConfigureAwait(false);
    }

    private static async Task CloseAsync(Turn turn, QuestionView question, Side side)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!await turn.Context.Questions.CloseAsync(question.Id, person.Id, turn.Now, turn.CancellationToken).ConfigureAwait(false))
        {
            turn.CallbackAnswer = t.QuestionClosedAlready(question.Id);
            turn.Reply(t.QuestionClosedAlready(question.Id));
            return;
        }
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.QuestionClosed(question.Id));
        if (side == Side.Teacher)
        {
            var teacher = person.FullName ?? string.Empty;
            await NotifyAskerAsync(turn, question, tt => tt.QuestionClosedBy(question.Id, question.SubjectName, teacher), withButtons: false)
                .ConfigureAwait(false);
            return;
        }
        await NotifyTeacherSideAsync(turn, question, tt => tt.QuestionClosedBy(question.Id, question.SubjectName, AskerLabel(tt, question)),
            withButtons: false).ConfigureAwait(false);
    }

    private static async Task MarkTopicAsync(Turn turn, QuestionView question, Side side)
    {
        var t = turn.Texts;
        if (side != Side.Teacher)
        {
            turn.CallbackAnswer = t.NotAllowed;
            return;
        }
        if (question.Confidential)
        {
            turn.Reply(t.TopicNotForConfidential);
            return;
        }
        if (!await turn.Context.Questions.MarkTopicAsync(question.Id, turn.CancellationToken).ConfigureAwait(false))
        {
            turn.Reply(t.QuestionClosedAlready(question.Id));
            return;
        }
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.TopicMarked(question.Id, question.SubjectName));
    }

    private static async Task ShowThreadAsync(Turn turn, QuestionView question, Side side)
    {
        var t = turn.Texts;
        var zone = turn.Settings.TimeZone;
        var messages = await turn.Context.Questions.ThreadAsync(question.Id, turn.CancellationToken).ConfigureAwait(false);
        var asker = side == Side.Asker ? t.You : AskerLabel(t, question);
        var header = t.ThreadTitle(question.Id, question.SubjectName, asker, question.TeacherName ?? t.AnyTeacher, question.Status);
        var entries = messages.Select(m => t.ThreadEntry(m.FromAsker ? asker : m.AuthorName ?? string.Empty,
            t.QuestionTime(SchoolTime.Local(m.At, zone)), m.Body));
        var parts = MaterialFormat.Pack(header, entries);
        var rows = new List<IReadOnlyList<Button>>();
        if (question.Status != QuestionStatus.Closed)
        {
            rows.AddRange(side == Side.Teacher ? TeacherKeyboard(t, question).Rows : AskerKeyboard(t, question).Rows);
        }
        rows.Add([Turn.MenuButton(side == Side.Teacher ? t.MenuInbox : t.MenuMyQuestions, Verb, "l")]);
        for (var i = 0; i < parts.Count; i++)
        {
            turn.Reply(parts[i], i == parts.Count - 1 ? new Keyboard(rows) : null);
        }
    }

    // ---------------------------------------------------------------- lists

    private static async Task ListAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var settings = turn.Settings.Questions;
        var repo = turn.Context.Questions;
        if (person.Role is Role.Student or Role.Parent)
        {
            var mine = await repo.AskedByAsync(person.Id, settings.ClosedShown, settings.ListSize, turn.CancellationToken).ConfigureAwait(false);
            var ask = Turn.MenuButton(t.MenuAsk, Verb, "a");
            if (mine.Count == 0)
            {
                turn.Reply(t.NoQuestionsAsked, Keyboard.Of([ask]));
                return;
            }
            var lines = mine.Select(q => t.QuestionLine(q.Id, q.SubjectName, q.TeacherName ?? t.AnyTeacher, q.Status, q.IsTopic));
            turn.Reply(t.MyQuestionsTitle(mine.Count) + "\n" + string.Join("\n", lines), ThreadButtons(t, mine, ask));
            return;
        }
        if (!Consultants.CanConsult(person))
        {
            turn.Reply(t.NotAllowed);
            return;
        }
        var inbox = await repo.InboxAsync(person.Id, settings.ListSize, turn.CancellationToken).ConfigureAwait(false);
        if (inbox.Count == 0)
        {
            turn.Reply(t.InboxEmpty);
            return;
        }
        var zone = turn.Settings.TimeZone;
        var open = inbox.Where(q => q.Status == QuestionStatus.Open).ToList();
        var answered = inbox.Where(q => q.Status != QuestionStatus.Open).ToList();
        var text = open.Count == 0 ? t.InboxEmpty : t.InboxTitle(open.Count);
        foreach (var q in open)
        {
            text += "\n\n" + t.InboxLine(q.Id, q.SubjectName, AskerLabel(t, q), t.QuestionTime(SchoolTime.Local(q.WaitingSince ?? q.CreatedAt, zone)),
                Excerpt(q.FirstMessage));
        }
        if (answered.Count > 0)
        {
            text += "\n\n" + t.InboxAnsweredTitle + "\n"
                + string.Join("\n", answered.Select(q => t.QuestionLine(q.Id, q.SubjectName, AskerLabel(t, q), q.Status, q.IsTopic)));
        }
        turn.Reply(MessageFit(text), ThreadButtons(t, [.. open, .. answered], null));
    }

    private static Keyboard ThreadButtons(ITexts t, IReadOnlyList<QuestionView> questions, Button? last)
    {
        var rows = questions.Select(q => Turn.MenuButton(t.ThreadButton(q.Id), Verb, "v", q.Id.ToString()))
            .Chunk(3).Select(r => (IReadOnlyList<Button>)r).ToList();
        if (last is not null)
        {
            rows.Add([last]);
        }
        return new Keyboard(rows);
    }

    // ---------------------------------------------------------------- topics of group consultations

    /// <summary>The topic questions a teacher sees on the card of a group consultation of the subject; null when there are none.</summary>
    internal static async Task<string?> TopicsCardAsync(Turn turn, long subjectId, string subjectName)
    {
        var topics = await turn.Context.Questions.TopicsAsync(turn.RequirePerson.Id, subjectId, TopicsShown, turn.CancellationToken)
            .ConfigureAwait(false);
        return topics.Count == 0
            ? null
            : turn.Texts.TopicsForConsultation(subjectName, [.. topics.Select(q => turn.Texts.TopicLine(q.Id, Excerpt(q.Excerpt)))]);
    }

    /// <summary>
    /// After a group consultation is published: its topic questions are tied to it (once, in the same transaction) and
    /// their askers invited with a button the booking dialog understands; a parent gets one per linked child. Returns how many.
    /// </summary>
    internal static async Task<int> InviteTopicAskersAsync(Turn turn, long subjectId, SlotView slot)
    {
        var askers = await turn.Context.Questions.AttachTopicsAsync(turn.RequirePerson.Id, subjectId, slot.Id, turn.CancellationToken)
            .ConfigureAwait(false);
        var zone = turn.Settings.TimeZone;
        var slotArg = slot.Id.ToString();
        foreach (var asker in askers)
        {
            IReadOnlyList<Person> children = asker.Role == Role.Parent
                ? await turn.Context.People.ChildrenOfAsync(asker.Id, turn.CancellationToken).ConfigureAwait(false)
                : [];
            turn.Notify(asker.Id, asker.Language,
                tt => tt.TopicConsultationPublished(slot.SubjectName ?? string.Empty, ConsultationFormat.When(tt, slot, zone), ConsultationFormat.What(tt, slot)),
                tt => asker.Role == Role.Parent
                    ? Keyboard.Column(children.Select(c => Turn.MenuButton(tt.BookTopicForChild(c.FullName ?? string.Empty), BookingFeature.Verb, "v",
                        c.Id.ToString(), slotArg)))
                    : Keyboard.Of([Turn.MenuButton(tt.BookTopicButton, BookingFeature.Verb, "v", string.Empty, slotArg)]));
        }
        return askers.Count;
    }

    // ---------------------------------------------------------------- who hears what

    private static async Task NotifyAskerAsync(Turn turn, QuestionView question, Func<ITexts, string> text, bool withButtons = true)
    {
        if (await turn.Context.People.PeekAsync(question.AskerId, turn.CancellationToken).ConfigureAwait(false) is { IsActive: true } asker)
        {
            if (withButtons)
            {
                turn.Notify(asker.Id, asker.Language, text, tt => AskerKeyboard(tt, question));
            }
            else
            {
                turn.Notify(asker, text);
            }
        }
    }

    /// <summary>The question's teacher, or while unassigned every active teacher of its subject, except the person writing.</summary>
    private static async Task NotifyTeacherSideAsync(Turn turn, QuestionView question, Func<ITexts, string> text, bool withButtons = true)
    {
        IReadOnlyList<QuestionTeacher> teachers;
        if (question.TeacherId is { } id)
        {
            teachers = await turn.Context.People.PeekAsync(id, turn.CancellationToken).ConfigureAwait(false) is { IsActive: true } teacher
                ? [new QuestionTeacher(teacher.Id, teacher.FullName ?? string.Empty, teacher.Language)]
                : [];
        }
        else
        {
            teachers = await turn.Context.Questions.TeachersOfAsync(question.SubjectId, turn.CancellationToken).ConfigureAwait(false);
        }
        foreach (var teacher in teachers.Where(p => p.Id != turn.RequirePerson.Id))
        {
            if (withButtons)
            {
                turn.Notify(teacher.Id, teacher.Language, text, tt => TeacherKeyboard(tt, question));
            }
            else
            {
                turn.Notify(teacher.Id, teacher.Language, text);
            }
        }
    }

    private static Keyboard TeacherKeyboard(ITexts t, QuestionView question)
    {
        var id = question.Id.ToString();
        var rows = new List<IReadOnlyList<Button>>
        {
            new[] { Turn.MenuButton(t.AnswerButton, Verb, "r", id), Turn.MenuButton(t.CloseQuestionButton, Verb, "c", id) },
        };
        if (!question.Confidential && !question.IsTopic)
        {
            rows.Add([Turn.MenuButton(t.TopicQuestionButton, Verb, "tp", id)]);
        }
        return new Keyboard(rows);
    }

    private static Keyboard AskerKeyboard(ITexts t, QuestionView question)
    {
        var id = question.Id.ToString();
        return Keyboard.Of([Turn.MenuButton(t.AnswerButton, Verb, "r", id), Turn.MenuButton(t.CloseQuestionButton, Verb, "c", id)]);
    }

    /// <summary>How the teacher's side names the asker: nobody but «Аноним» for an anonymous question.</summary>
    internal static string AskerLabel(ITexts t, QuestionView question) =>
        question.Anonymous ? t.AnonymousAsker(question.Id)
        : question.AskerRole == Role.Parent ? t.AskerParent(question.AskerName, question.AskerChildren)
        : t.AskerStudent(question.AskerName, question.AskerGroup);

    private static string Excerpt(string text)
    {
        var line = TextInput.Normalize(text);
        return line.Length <= ExcerptLength ? line : string.Concat(line.AsSpan(0, ExcerptLength - 1), "…");
    }

    private static string MessageFit(string text) =>
        text.Length <= MaterialFormat.MaxMessageLength ? text : string.Concat(text.AsSpan(0, MaterialFormat.MaxMessageLength - 1), "…");

    private static long? ParseId(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
