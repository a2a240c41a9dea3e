using System.Globalization;
using System.Text.RegularExpressions;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// Office hours: a teacher's weekly template ("Tuesdays 15:00–16:00, 20-minute individual slots") that becomes slots a
/// few weeks ahead at once and every night after (idempotently, within the weekly cap). Removing one cancels its future
/// slots nobody booked.
/// </summary>
internal sealed partial class OfficeHoursFeature : IConversationFeature
{
    public const string Verb = "co";
    private const string StepSubject = "co.subj";
    private const string StepTime = "co.time";
    private const string StepLength = "co.len";
    private const string StepLink = "co.link";
    private const string StepRoom = "co.room";
    private const string StepButtons = "co.btn";
    private const int MaxRoomLength = 100;
    private static readonly int[] LengthChoices = [15, 20, 30, 45, 60];

    public IReadOnlyCollection<string> Commands { get; } = ["officehours"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [StepSubject, StepTime, StepLength, StepLink, StepRoom, StepButtons];

    public Task OnCommandAsync(Turn turn, string command, string argument) => ListAsync(turn);

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowPress(turn))
        {
            return;
        }
        var value = payload.Arg(1);
        switch (payload.Arg(0))
        {
            case "l":
                await ListAsync(turn).ConfigureAwait(false);
                return;
            case "add":
                person.BeginStep(StepSubject);
                await Consultants.AskSubjectAsync(turn, Verb, "subj").ConfigureAwait(false);
                return;
            case "rm" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                var removed = await turn.Context.Consultations.RemoveOfficeHoursAsync(id, person.Id, turn.Now, turn.CancellationToken)
                    .ConfigureAwait(false);
                turn.CallbackAnswer = removed ? t.Done : t.ButtonStale;
                if (removed)
                {
                    turn.Reply(t.OfficeHoursRemoved);
                }
                await ListAsync(turn).ConfigureAwait(false);
                return;
            case "subj" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var subject):
                person.SetStepData("subj", subject.ToString(CultureInfo.InvariantCulture));
                AskDay(turn);
                return;
            case "day" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var day) && day is >= 0 and <= 6:
                person.BeginStep(StepTime, With(person, "day", value));
                turn.Reply(t.AskOfficeHoursTime);
                return;
            case "len" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes):
                await SetLengthAsync(turn, minutes).ConfigureAwait(false);
                return;
            case "fmt" when value == "o":
                person.BeginStep(StepLink, person.Dialog.Data);
                turn.Reply(t.AskLink);
                return;
            case "fmt" when value == "p":
                person.BeginStep(StepRoom, person.Dialog.Data);
                turn.Reply(t.AskRoom);
                return;
            default:
                turn.CallbackAnswer = t.ButtonInvalid;
                return;
        }
    }

    public async Task OnTextAsync(Turn turn, string step, string text)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowText(turn))
        {
            return;
        }
        switch (step)
        {
            case StepSubject:
                if (await Consultants.SubjectFromTextAsync(turn, text).ConfigureAwait(false) is not { } subject)
                {
                    return;
                }
                person.SetStepData("subj", subject.Id.ToString(CultureInfo.InvariantCulture));
                AskDay(turn);
                return;
            case StepTime:
                var error = TryParseRange(text, out var from, out var to);
                if (error != OfficeHoursError.None)
                {
                    turn.Reply(t.OfficeHoursErrorText(error, turn.Settings.Consultations));
                    return;
                }
                var data = With(person, "from", from.ToString("HH\\:mm", CultureInfo.InvariantCulture));
                data["to"] = to.ToString("HH\\:mm", CultureInfo.InvariantCulture);
                person.BeginStep(StepLength, data);
                turn.Reply(t.AskSlotLength, Keyboard.Of([.. LengthChoices.Select(m =>
                    turn.StepButton(t.Minutes(m), Verb, "len", m.ToString(CultureInfo.InvariantCulture)))]));
                return;
            case StepLength:
                if (!PublishFeature.TryParseNumber(text, out var minutes))
                {
                    turn.Reply(t.DurationInvalid(turn.Settings.Consultations.MinDurationMinutes, turn.Settings.Consultations.MaxDurationMinutes));
                    return;
                }
                await SetLengthAsync(turn, minutes).ConfigureAwait(false);
                return;
            case StepLink:
                if (SafeLink.TryCreate(text) is not { } link)
                {
                    turn.Reply(t.LinkInvalid);
                    return;
                }
                await SaveAsync(turn, link.AbsoluteUri, room: null).ConfigureAwait(false);
                return;
            case StepRoom:
                var room = TextInput.Normalize(text);
                if (room.Length is 0 or > MaxRoomLength)
                {
                    turn.Reply(t.TextTooLong(MaxRoomLength));
                    return;
                }
                await SaveAsync(turn, link: null, room).ConfigureAwait(false);
                return;
            default:
                turn.Reply(t.UseTheButtons);
                return;
        }
    }

    private static async Task ListAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowCommand(turn))
        {
            return;
        }
        var templates = await turn.Context.Consultations.OfficeHoursOfAsync(person.Id, turn.CancellationToken).ConfigureAwait(false);
        var lines = templates.Select((h, i) => $"{i + 1}. {Line(t, h)}").ToList();
        var rows = templates.Select((h, i) =>
            (IReadOnlyList<Button>)[Turn.MenuButton(t.RemoveOfficeHours(i + 1), Verb, "rm", h.Id.ToString(CultureInfo.InvariantCulture))]).ToList();
        rows.Add([Turn.MenuButton(t.AddOfficeHours, Verb, "add")]);
        turn.Reply(t.OfficeHoursList(lines, turn.Settings.OfficeHoursWeeksAhead), new Keyboard(rows));
    }

    private static string Line(Texts.ITexts t, OfficeHours h) =>
        t.OfficeHoursLine(t.DayName(h.Day), h.From.ToString("HH\\:mm", CultureInfo.InvariantCulture),
            h.To.ToString("HH\\:mm", CultureInfo.InvariantCulture), h.SlotMinutes, h.SubjectName ?? t.NoSubject,
            h.Link is { } link ? t.PlaceOnline(link) : t.PlaceRoom(h.Room ?? string.Empty));

    private static void AskDay(Turn turn)
    {
        var t = turn.Texts;
        var person = turn.RequirePerson;
        person.BeginStep(StepButtons, person.Dialog.Data);
        DayOfWeek[] days = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday];
        turn.Reply(t.AskOfficeHoursDay, new Keyboard(days.Chunk(3).Select(r => (IReadOnlyList<Button>)r
            .Select(d => turn.StepButton(t.DayName(d), Verb, "day", ((int)d).ToString(CultureInfo.InvariantCulture))).ToList()).ToList()));
    }

    private static Task SetLengthAsync(Turn turn, int minutes)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var policy = turn.Settings.Consultations;
        if (minutes < policy.MinDurationMinutes || minutes > policy.MaxDurationMinutes)
        {
            turn.Reply(t.DurationInvalid(policy.MinDurationMinutes, policy.MaxDurationMinutes));
            return Task.CompletedTask;
        }
        var template = Template(person, minutes);
        if (template.SlotsPerDay == 0)
        {
            turn.Reply(t.OfficeHoursErrorText(OfficeHoursError.NoWholeSlot, policy));
            return Task.CompletedTask;
        }
        person.BeginStep(StepButtons, With(person, "len", minutes.ToString(CultureInfo.InvariantCulture)));
        turn.Reply(t.AskFormat, Keyboard.Of([turn.StepButton(t.FormatOnline, Verb, "fmt", "o"), turn.StepButton(t.FormatInPerson, Verb, "fmt", "p")]));
        return Task.CompletedTask;
    }

    private static async Task SaveAsync(Turn turn, string? link, string? room)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var repo = turn.Context.Consultations;
        var policy = turn.Settings.Consultations;
        var template = Template(person, int.Parse(person.Dialog.Get("len") ?? "0", CultureInfo.InvariantCulture)) with { Link = link, Room = room };
        var cap = await repo.WeeklyCapAsync(person.Id, turn.CancellationToken).ConfigureAwait(false) ?? policy.WeeklyWorkloadHours;
        if (template.SlotsPerDay * template.SlotMinutes > cap * 60)
        {
            person.EndDialog();
            turn.Reply(t.OfficeHoursOverCap(cap));
            return;
        }
        var saved = await repo.AddOfficeHoursAsync(template, turn.CancellationToken).ConfigureAwait(false);
        var subject = saved.SubjectId is { } s ? await repo.GetSubjectAsync(s, turn.CancellationToken).ConfigureAwait(false) : null;
        saved = saved with { SubjectName = subject?.Name };
        var added = await OfficeHoursGenerator.GenerateAsync(repo, saved, turn.Now, turn.Settings.TimeZone, turn.Settings.OfficeHoursWeeksAhead,
            policy, turn.CancellationToken).ConfigureAwait(false);
        person.EndDialog();
        turn.Reply(t.OfficeHoursSaved(Line(t, saved), added, turn.Settings.OfficeHoursWeeksAhead),
            Keyboard.Of([Turn.MenuButton(t.MenuMySlots, SlotsFeature.Verb, "l"), Turn.MenuButton(t.MenuOfficeHours, Verb, "l")]));
    }

    private static OfficeHours Template(Person person, int minutes)
    {
        var d = person.Dialog;
        return new OfficeHours
        {
            TeacherId = person.Id,
            SubjectId = long.TryParse(d.Get("subj"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null,
            Day = (DayOfWeek)int.Parse(d.Get("day") ?? "1", CultureInfo.InvariantCulture),
            From = TimeOnly.ParseExact(d.Get("from") ?? "00:00", "HH\\:mm", CultureInfo.InvariantCulture),
            To = TimeOnly.ParseExact(d.Get("to") ?? "00:00", "HH\\:mm", CultureInfo.InvariantCulture),
            SlotMinutes = minutes,
        };
    }

    /// <summary>"15:00-16:00", "15:00–16:00", "9:30 - 11:00".</summary>
    internal static OfficeHoursError TryParseRange(string text, out TimeOnly from, out TimeOnly to)
    {
        from = to = default;
        var match = RangePattern().Match(text.Trim());
        if (!match.Success)
        {
            return OfficeHoursError.Unrecognised;
        }
        if (!TryTime(match.Groups[1].Value, match.Groups[2].Value, out from) || !TryTime(match.Groups[3].Value, match.Groups[4].Value, out to))
        {
            return OfficeHoursError.Unrecognised;
        }
        return to <= from ? OfficeHoursError.EndBeforeStart : OfficeHoursError.None;
    }

    private static bool TryTime(string h, string m, out TimeOnly time)
    {
        time = default;
        var hour = int.Parse(h, CultureInfo.InvariantCulture);
        var minute = int.Parse(m, CultureInfo.InvariantCulture);
        if (hour > 23 || minute > 59)
        {
            return false;
        }
        time = new TimeOnly(hour, minute);
        return true;
    }

    private static Dictionary<string, string> With(Person person, string key, string value) =>
        new(person.Dialog.Data) { [key] = value };

    [GeneratedRegex(@"^(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})$")]
    private static partial Regex RangePattern();
}

/// <summary>Administrators set each consulting teacher's weekly consultation cap (hours); others use the school default.</summary>
internal sealed class WorkloadFeature : IConversationFeature
{
    public const string Verb = "cw";
    private const string StepHours = "cw.hours";
    private const double MaxHours = 40;

    public IReadOnlyCollection<string> Commands { get; } = [];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [StepHours];

    public Task OnCommandAsync(Turn turn, string command, string argument) => Task.CompletedTask;

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        turn.CallbackAnswer = string.Empty;
        if (person.Role != Role.Admin)
        {
            turn.CallbackAnswer = t.NotAllowed;
            return;
        }
        var teachers = await turn.Context.Consultations.TeachersAsync(turn.CancellationToken).ConfigureAwait(false);
        var policy = turn.Settings.Consultations;
        if (payload.Arg(0) == "t" && teachers.FirstOrDefault(x => x.Id.ToString() == payload.Arg(1)) is { } teacher)
        {
            person.BeginStep(StepHours, new Dictionary<string, string> { ["teacher"] = teacher.Id.ToString() });
            turn.Reply(t.AskWeeklyCap(teacher.Name, teacher.WeeklyCapHours ?? policy.WeeklyWorkloadHours, MaxHours));
            return;
        }
        turn.Reply(teachers.Count == 0 ? t.NoTeachersYet : t.WorkloadTitle(policy.WeeklyWorkloadHours), Keyboard.Column(teachers.Take(40).Select(x =>
            Turn.MenuButton(t.TeacherCapLabel(x.Name, x.WeeklyCapHours ?? policy.WeeklyWorkloadHours, x.WeeklyCapHours is not null), Verb, "t",
                x.Id.ToString()))));
    }

    public async Task OnTextAsync(Turn turn, string step, string text)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (person.Role != Role.Admin)
        {
            person.EndDialog();
            turn.Reply(t.NotAllowed);
            return;
        }
        if (!double.TryParse(text.Trim().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var hours)
            || hours is < 0 or > MaxHours || double.IsNaN(hours))
        {
            turn.Reply(t.WeeklyCapInvalid(MaxHours));
            return;
        }
        var teachers = await turn.Context.Consultations.TeachersAsync(turn.CancellationToken).ConfigureAwait(false);
        var teacher = teachers.FirstOrDefault(x => x.Id.ToString() == person.Dialog.Get("teacher"));
        person.EndDialog();
        if (teacher is null)
        {
            turn.Reply(t.ButtonStale);
            return;
        }
        hours = Math.Round(hours, 1);
        await turn.Context.Consultations.SetWeeklyCapAsync(teacher.Id, hours, turn.CancellationToken).ConfigureAwait(false);
        await turn.Context.Audit.WriteAsync("weekly-cap-set", teacher.Id, person.Id, turn.CancellationToken).ConfigureAwait(false);
        turn.Reply(t.WeeklyCapSet(teacher.Name, hours));
    }
}
