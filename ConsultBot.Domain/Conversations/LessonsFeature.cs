using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Domain.Timetable;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// One lesson changed in the chat: an administrator (any class) or the lesson's teacher cancels it with a reason,
/// moves it, or (administrators) names a substitute. The class's students and the parents who follow them get a
/// timetable change alert in the same transaction.
/// </summary>
internal sealed class LessonsFeature : IConversationFeature
{
    public const string Verb = "ls";
    private const string StepReason = "ls.reason";
    private const string StepMove = "ls.move";
    private const int MaxReasonLength = 300;
    private const int Shown = 12;
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    public IReadOnlyCollection<string> Commands { get; } = ["lessons"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [StepReason, StepMove];

    public Task OnCommandAsync(Turn turn, string command, string argument) => StartAsync(turn);

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        if (!Consultants.AllowPress(turn))
        {
            return;
        }
        var t = turn.Texts;
        switch (payload.Arg(0))
        {
            case "l":
                await StartAsync(turn).ConfigureAwait(false);
                return;
            case "mine":
                await ShowListAsync(turn, null).ConfigureAwait(false);
                return;
            case "g" when GroupId.TryParse(payload.Arg(1)) is { } group && turn.RequirePerson.Role == Role.Admin:
                await ShowListAsync(turn, group).ConfigureAwait(false);
                return;
            case "v" when await FindChangeableAsync(turn, payload.Arg(1), needPlanned: false).ConfigureAwait(false) is { } lesson:
                ShowCard(turn, lesson);
                return;
            case "c" when await FindChangeableAsync(turn, payload.Arg(1)).ConfigureAwait(false) is { } lesson:
                turn.RequirePerson.BeginStep(StepReason, new Dictionary<string, string> { ["lesson"] = payload.Arg(1) });
                turn.Reply(t.AskLessonCancelReason(When(t, turn, lesson)));
                return;
            case "m" when await FindChangeableAsync(turn, payload.Arg(1)).ConfigureAwait(false) is { } lesson:
                turn.RequirePerson.BeginStep(StepMove, new Dictionary<string, string> { ["lesson"] = payload.Arg(1) });
                turn.Reply(t.AskLessonNewTime(When(t, turn, lesson)));
                return;
            case "s" when turn.RequirePerson.Role == Role.Admin
                          && await FindChangeableAsync(turn, payload.Arg(1)).ConfigureAwait(false) is { } lesson:
                var teachers = await turn.Context.Consultations.TeachersAsync(turn.CancellationToken).ConfigureAwait(false);
                var buttons = teachers.Where(x => x.Id != lesson.TeacherId).Take(30)
                    .Select(x => Turn.MenuButton(x.Name, Verb, "st", payload.Arg(1), x.Id.ToString())).ToList();
                buttons.Add(Turn.MenuButton(t.NoSubstitute, Verb, "st", payload.Arg(1), "0"));
                turn.Reply(t.ChooseSubstitute(When(t, turn, lesson)), Keyboard.Column(buttons));
                return;
            case "st" when turn.RequirePerson.Role == Role.Admin
                           && await FindChangeableAsync(turn, payload.Arg(1)).ConfigureAwait(false) is { } lesson:
                await SubstituteAsync(turn, lesson, payload.Arg(2)).ConfigureAwait(false);
                return;
            case "s" or "st" when turn.RequirePerson.Role != Role.Admin:
                turn.CallbackAnswer = t.NotAllowed;
                return;
            case "v" or "c" or "m" or "s" or "st":
                return; // FindChangeableAsync has answered
            default:
                turn.CallbackAnswer = t.ButtonInvalid;
                return;
        }
    }

    public async Task OnTextAsync(Turn turn, string step, string text)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var lessonArg = person.Dialog.Get("lesson") ?? string.Empty;
        if (!Consultants.AllowText(turn))
        {
            return;
        }
        if (step == StepReason)
        {
            var reason = TextInput.Normalize(text);
            if (reason.Length is 0 or > MaxReasonLength)
            {
                turn.Reply(t.TextTooLong(MaxReasonLength));
                return;
            }
            person.EndDialog();
            if (await FindChangeableAsync(turn, lessonArg).ConfigureAwait(false) is not { } lesson)
            {
                return;
            }
            if (!await turn.Context.Lessons.CancelAsync(lesson.Id, reason, turn.CancellationToken).ConfigureAwait(false))
            {
                turn.Reply(t.LessonNotFound);
                return;
            }
            var told = await AlertAsync(turn, lesson, (tt, child) => tt.LessonCancelledAlert(When(tt, turn, lesson), lesson.SubjectName, reason, child))
                .ConfigureAwait(false);
            turn.Reply(t.LessonCancelledDone(told));
            return;
        }
        var error = SchoolDateInput.TryParse(text, turn.Now, turn.Settings.TimeZone, out var start);
        if (error != DateInputError.None)
        {
            turn.Reply(t.DateInputError(error));
            return;
        }
        if (start <= turn.Now)
        {
            turn.Reply(t.DateInThePast);
            return;
        }
        if (await FindChangeableAsync(turn, lessonArg).ConfigureAwait(false) is not { } moving)
        {
            person.EndDialog();
            return;
        }
        var end = start + (moving.End - moving.Start);
        var outcome = await turn.Context.Lessons.MoveAsync(moving.Id, SchoolTime.Today(start, turn.Settings.TimeZone), start, end,
            turn.CancellationToken).ConfigureAwait(false);
        if (outcome == LessonMoveOutcome.OverlapsAnotherLesson)
        {
            turn.Reply(t.LessonOverlaps);
            return;
        }
        person.EndDialog();
        if (outcome != LessonMoveOutcome.Moved)
        {
            turn.Reply(t.LessonNotFound);
            return;
        }
        var moved = moving with { Start = start, End = end };
        var count = await AlertAsync(turn, moving, (tt, child) => tt.LessonMovedAlert(When(tt, turn, moving), When(tt, turn, moved), moving.SubjectName, child))
            .ConfigureAwait(false);
        turn.Reply(t.LessonMovedDone(When(t, turn, moved), count));
    }

    private static async Task StartAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowCommand(turn))
        {
            return;
        }
        if (person.Role != Role.Admin)
        {
            await ShowListAsync(turn, null).ConfigureAwait(false);
            return;
        }
        var groups = await turn.Context.Groups.ListAsync(includeArchived: false, turn.CancellationToken).ConfigureAwait(false);
        var rows = groups.Chunk(4).Select(chunk => (IReadOnlyList<Button>)chunk.Select(g => Turn.MenuButton(g.Name, Verb, "g", g.Id.ToString())).ToList())
            .ToList();
        rows.Add([Turn.MenuButton(t.LessonsTitle(null), Verb, "mine")]);
        turn.Reply(t.ChooseClassForLessons, new Keyboard(rows));
    }

    private static async Task ShowListAsync(Turn turn, GroupId? group)
    {
        var t = turn.Texts;
        var person = turn.RequirePerson;
        var lessons = group is { } g
            ? await turn.Context.Lessons.OfGroupAsync(g, turn.Now, turn.Now + Week, Shown, turn.CancellationToken).ConfigureAwait(false)
            : await turn.Context.Lessons.OfTeacherAsync(person.Id, turn.Now, turn.Now + Week, Shown, turn.CancellationToken).ConfigureAwait(false);
        if (lessons.Count == 0)
        {
            turn.Reply(t.NoLessons);
            return;
        }
        var zone = turn.Settings.TimeZone;
        turn.Reply(t.LessonsTitle(group is null ? null : lessons[0].GroupName), Keyboard.Column(lessons.Select(l =>
            Turn.MenuButton(t.LessonLabel(SchoolTime.Local(l.Start, zone), l.SubjectName, l.GroupName, l.Cancelled), Verb, "v", Id(l)))));
    }

    private static void ShowCard(Turn turn, LessonView lesson)
    {
        var t = turn.Texts;
        var rows = new List<IReadOnlyList<Button>>();
        if (!lesson.Cancelled && lesson.Start > turn.Now)
        {
            rows.Add([Turn.MenuButton(t.CancelLessonButton, Verb, "c", Id(lesson)), Turn.MenuButton(t.MoveLessonButton, Verb, "m", Id(lesson))]);
            if (turn.RequirePerson.Role == Role.Admin)
            {
                rows.Add([Turn.MenuButton(t.SubstituteButton, Verb, "s", Id(lesson))]);
            }
        }
        turn.Reply(t.LessonCard(When(t, turn, lesson), lesson.SubjectName, lesson.GroupName, lesson.TeacherName, lesson.SubstituteName, Place(t, lesson),
            lesson.Cancelled, lesson.ChangeNote), rows.Count == 0 ? null : new Keyboard(rows));
    }

    private static async Task SubstituteAsync(Turn turn, LessonView lesson, string teacherArg)
    {
        var t = turn.Texts;
        TeacherSummary? substitute = null;
        if (teacherArg != "0")
        {
            var teachers = await turn.Context.Consultations.TeachersAsync(turn.CancellationToken).ConfigureAwait(false);
            substitute = teachers.FirstOrDefault(x => x.Id.ToString() == teacherArg);
            if (substitute is null)
            {
                turn.CallbackAnswer = t.ButtonStale;
                return;
            }
        }
        if (!await turn.Context.Lessons.SubstituteAsync(lesson.Id, substitute?.Id, turn.CancellationToken).ConfigureAwait(false))
        {
            turn.Reply(t.LessonNotFound);
            return;
        }
        var name = substitute?.Name;
        var told = await AlertAsync(turn, lesson, (tt, child) => tt.SubstituteAlert(When(tt, turn, lesson), lesson.SubjectName, name, child))
            .ConfigureAwait(false);
        if (substitute is not null && await turn.Context.People.PeekAsync(substitute.Id, turn.CancellationToken).ConfigureAwait(false) is { } who)
        {
            turn.Notify(who, tt => tt.YouSubstitute(When(tt, turn, lesson), lesson.SubjectName, lesson.GroupName, Place(tt, lesson)));
        }
        turn.CallbackAnswer = t.Done;
        turn.Reply(t.SubstituteDone(name, told));
    }

    /// <summary>Tells the class's students and following parents; returns how many messages went out.</summary>
    private static async Task<int> AlertAsync(Turn turn, LessonView lesson, Func<ITexts, string?, string> text)
    {
        var listeners = await turn.Context.Lessons.ListenersAsync(lesson.GroupId, turn.CancellationToken).ConfigureAwait(false);
        foreach (var listener in listeners)
        {
            turn.Notify(listener.Id, listener.Language, tt => text(tt, listener.ChildName));
        }
        return listeners.Count;
    }

    /// <summary>A lesson the person may change: an administrator any, a teacher the ones they teach or substitute.</summary>
    private static async Task<LessonView?> FindChangeableAsync(Turn turn, string arg, bool needPlanned = true)
    {
        var person = turn.RequirePerson;
        var lesson = long.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await turn.Context.Lessons.GetAsync(id, turn.CancellationToken).ConfigureAwait(false)
            : null;
        if (lesson is null || (person.Role != Role.Admin && !lesson.IsTaughtBy(person.Id)) || (needPlanned && lesson.Cancelled))
        {
            turn.CallbackAnswer = turn.Texts.LessonNotFound;
            turn.Reply(turn.Texts.LessonNotFound);
            return null;
        }
        if (needPlanned && lesson.Start <= turn.Now)
        {
            turn.CallbackAnswer = turn.Texts.LessonAlreadyStarted;
            turn.Reply(turn.Texts.LessonAlreadyStarted);
            return null;
        }
        return lesson;
    }

    private static string When(ITexts t, Turn turn, LessonView lesson) =>
        t.SlotWhen(SchoolTime.Local(lesson.Start, turn.Settings.TimeZone), SchoolTime.Local(lesson.End, turn.Settings.TimeZone));

    private static string Place(ITexts t, LessonView lesson) =>
        lesson.Link is { } link ? t.PlaceOnline(link) : t.PlaceRoom(lesson.Room ?? "—");

    private static string Id(LessonView lesson) => lesson.Id.ToString(CultureInfo.InvariantCulture);
}
