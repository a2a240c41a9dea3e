using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// A teacher publishes a consultation: subject, start, duration, kind (and seats), purpose (and topic), attestation
/// preparation, format (link or room), note; then checks the card and publishes. Buttons give the common answers, typed
/// input is accepted at every text step, and each answer is checked where it is given. The collected answers live in
/// the dialog state, so the form survives restarts; each question is a new step, so older buttons are stale.
/// </summary>
internal sealed class PublishFeature : IConversationFeature
{
    public const string Verb = "cp";
    private const string Prefix = "cp.";
    private const int MaxTopicLength = 200;
    private const int MaxRoomLength = 100;
    private const int MaxNoteLength = 500;

    // Form fields, in the order they are asked.
    private const string Subject = "subj";
    private const string Start = "start";
    private const string Duration = "dur";
    private const string Kind = "kind";
    private const string Capacity = "cap";
    private const string Purpose = "purpose";
    private const string Topic = "topic";
    private const string Prep = "prep";
    private const string Format = "fmt";
    private const string Link = "link";
    private const string Room = "room";
    private const string Note = "note";
    private const string Confirm = "confirm";

    private static readonly int[] DurationChoices = [20, 30, 45, 60, 90];
    private static readonly int[] CapacityChoices = [5, 10, 15, 20, 30];

    public IReadOnlyCollection<string> Commands { get; } = ["publish"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } =
        [.. new[] { Subject, Start, Duration, Kind, Capacity, Purpose, Topic, Prep, Format, Link, Room, Note, Confirm }.Select(f => Prefix + f)];

    public Task OnCommandAsync(Turn turn, string command, string argument) => BeginAsync(turn);

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowPress(turn))
        {
            return;
        }
        if (payload.Version == 0)
        {
            await BeginAsync(turn).ConfigureAwait(false);
            return;
        }
        var (field, value) = (payload.Arg(0), payload.Arg(1));
        switch (field)
        {
            case Subject when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                              && await turn.Context.Consultations.GetSubjectAsync(id, turn.CancellationToken).ConfigureAwait(false) is { } subject:
                person.SetStepData(Subject, subject.Id.ToString(CultureInfo.InvariantCulture));
                break;
            case Duration when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes):
                if (!TrySetDuration(turn, minutes))
                {
                    return;
                }
                break;
            case Capacity when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seats):
                if (!TrySetCapacity(turn, seats))
                {
                    return;
                }
                break;
            case Kind when value is "i" or "g":
            case Purpose when value is "r" or "t":
            case Format when value is "o" or "p":
                person.SetStepData(field, value);
                break;
            case Prep when value is "0" or "1":
                if (value == "1" && person.Dialog.Get(Kind) == "i" && !turn.Settings.Consultations.IndividualAttestationPrepAllowed)
                {
                    // By the school's order attestation preparation is group-only: say so and offer the two ways out.
                    turn.Reply(t.IndividualAttestationPrepRefused, Keyboard.Of(
                        [turn.StepButton(t.MakeItGroup, Verb, "fix", "g")],
                        [turn.StepButton(t.NotForAttestation, Verb, Prep, "0")]));
                    return;
                }
                person.SetStepData(Prep, value);
                break;
            case "fix":
                // Group attestation preparation: the seats are asked next.
                person.SetStepData(Kind, "g");
                person.SetStepData(Prep, "1");
                break;
            case Note when value == "-":
                person.SetStepData(Note, string.Empty);
                break;
            case Confirm when value == "y":
                await PublishAsync(turn).ConfigureAwait(false);
                return;
            case Confirm when value == "n":
                person.EndDialog();
                turn.Reply(t.Cancelled);
                return;
            default:
                turn.CallbackAnswer = t.ButtonInvalid;
                return;
        }
        await AskNextAsync(turn).ConfigureAwait(false);
    }

    public async Task OnTextAsync(Turn turn, string step, string text)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Consultants.AllowText(turn))
        {
            return;
        }
        var field = step[Prefix.Length..];
        switch (field)
        {
            case Subject:
                if (await Consultants.SubjectFromTextAsync(turn, text).ConfigureAwait(false) is not { } subject)
                {
                    return;
                }
                person.SetStepData(Subject, subject.Id.ToString(CultureInfo.InvariantCulture));
                break;
            case Start:
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
                person.SetStepData(Start, start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
                break;
            case Duration:
                if (!TryParseNumber(text, out var minutes))
                {
                    turn.Reply(t.DurationInvalid(turn.Settings.Consultations.MinDurationMinutes, turn.Settings.Consultations.MaxDurationMinutes));
                    return;
                }
                if (!TrySetDuration(turn, minutes))
                {
                    return;
                }
                break;
            case Capacity:
                if (!TryParseNumber(text, out var seats))
                {
                    turn.Reply(t.CapacityInvalid(turn.Settings.Consultations.MaxGroupCapacity));
                    return;
                }
                if (!TrySetCapacity(turn, seats))
                {
                    return;
                }
                break;
            case Topic:
                var topic = TextInput.Normalize(text);
                if (topic.Length is 0 or > MaxTopicLength)
                {
                    turn.Reply(t.TextTooLong(MaxTopicLength));
                    return;
                }
                person.SetStepData(Topic, topic);
                break;
            case Link:
                if (SafeLink.TryCreate(text) is not { } link)
                {
                    turn.Reply(t.LinkInvalid);
                    return;
                }
                person.SetStepData(Link, link.AbsoluteUri);
                break;
            case Room:
                var room = TextInput.Normalize(text);
                if (room.Length is 0 or > MaxRoomLength)
                {
                    turn.Reply(t.TextTooLong(MaxRoomLength));
                    return;
                }
                person.SetStepData(Room, room);
                break;
            case Note:
                if (text.Length > MaxNoteLength)
                {
                    turn.Reply(t.TextTooLong(MaxNoteLength));
                    return;
                }
                person.SetStepData(Note, text);
                break;
            default:
                // A question answered with buttons: ask it again.
                turn.Reply(t.UseTheButtons);
                break;
        }
        await AskNextAsync(turn).ConfigureAwait(false);
    }

    private static async Task BeginAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        if (!Consultants.AllowCommand(turn))
        {
            return;
        }
        person.BeginStep(Prefix + Subject);
        await AskNextAsync(turn).ConfigureAwait(false);
    }

    /// <summary>Asks the first unanswered question (each as a new step), or shows the card to confirm.</summary>
    private static async Task AskNextAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var data = person.Dialog;
        var field = NextField(data);
        person.BeginStep(Prefix + field, data.Data);
        switch (field)
        {
            case Subject:
                await Consultants.AskSubjectAsync(turn, Verb, Subject).ConfigureAwait(false);
                return;
            case Start:
                turn.Reply(t.AskStart);
                return;
            case Duration:
                turn.Reply(t.AskDuration, Keyboard.Of([.. DurationChoices.Select(m =>
                    turn.StepButton(t.Minutes(m), Verb, Duration, m.ToString(CultureInfo.InvariantCulture)))]));
                return;
            case Kind:
                turn.Reply(t.AskKind, Keyboard.Of([turn.StepButton(t.KindName(ConsultationKind.Individual), Verb, Kind, "i"),
                    turn.StepButton(t.KindName(ConsultationKind.Group), Verb, Kind, "g")]));
                return;
            case Capacity:
                turn.Reply(t.AskCapacity, Keyboard.Of([.. CapacityChoices.Select(c =>
                    turn.StepButton(c.ToString(CultureInfo.InvariantCulture), Verb, Capacity, c.ToString(CultureInfo.InvariantCulture)))]));
                return;
            case Purpose:
                turn.Reply(t.AskPurpose, Keyboard.Of([turn.StepButton(t.Review, Verb, Purpose, "r"), turn.StepButton(t.TopicButton, Verb, Purpose, "t")]));
                return;
            case Topic:
                turn.Reply(t.AskTopicTitle);
                return;
            case Prep:
                turn.Reply(t.AskAttestationPrep, Keyboard.Of([turn.StepButton(t.Yes, Verb, Prep, "1"), turn.StepButton(t.No, Verb, Prep, "0")]));
                return;
            case Format:
                turn.Reply(t.AskFormat, Keyboard.Of([turn.StepButton(t.FormatOnline, Verb, Format, "o"), turn.StepButton(t.FormatInPerson, Verb, Format, "p")]));
                return;
            case Link:
                turn.Reply(t.AskLink);
                return;
            case Room:
                turn.Reply(t.AskRoom);
                return;
            case Note:
                turn.Reply(t.AskNote, Keyboard.Of([turn.StepButton(t.Skip, Verb, Note, "-")]));
                return;
            default:
                var draft = await BuildDraftAsync(turn).ConfigureAwait(false);
                var preview = Preview(turn, draft.Draft, draft.SubjectName);
                if (draft.Draft.Kind == ConsultationKind.Group && draft.SubjectId is { } topicSubject
                    && await QuestionsFeature.TopicsCardAsync(turn, topicSubject, draft.SubjectName ?? string.Empty).ConfigureAwait(false) is { } topics)
                {
                    // Students' questions marked as topics: the teacher sees them before publishing.
                    preview += "\n\n" + topics;
                }
                turn.Reply(t.ConfirmPublish(preview), Keyboard.Of([turn.StepButton(t.Publish, Verb, Confirm, "y"),
                    turn.StepButton(t.Discard, Verb, Confirm, "n")]));
                return;
        }
    }

    private static string NextField(DialogState d)
    {
        string[] order = [Subject, Start, Duration, Kind];
        foreach (var f in order)
        {
            if (d.Get(f) is null)
            {
                return f;
            }
        }
        if (d.Get(Kind) == "g" && d.Get(Capacity) is null)
        {
            return Capacity;
        }
        if (d.Get(Purpose) is null)
        {
            return Purpose;
        }
        if (d.Get(Purpose) == "t" && d.Get(Topic) is null)
        {
            return Topic;
        }
        if (d.Get(Prep) is null)
        {
            return Prep;
        }
        if (d.Get(Format) is null)
        {
            return Format;
        }
        if (d.Get(Format) == "o" && d.Get(Link) is null)
        {
            return Link;
        }
        if (d.Get(Format) == "p" && d.Get(Room) is null)
        {
            return Room;
        }
        return d.Get(Note) is null ? Note : Confirm;
    }

    private static async Task<(SlotDraft Draft, long? SubjectId, string? SubjectName)> BuildDraftAsync(Turn turn)
    {
        var d = turn.RequirePerson.Dialog;
        var group = d.Get(Kind) == "g";
        var online = d.Get(Format) == "o";
        var subjectId = long.TryParse(d.Get(Subject), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : (long?)null;
        var subject = subjectId is { } id ? await turn.Context.Consultations.GetSubjectAsync(id, turn.CancellationToken).ConfigureAwait(false) : null;
        var draft = new SlotDraft
        {
            Start = DateTimeOffset.FromUnixTimeSeconds(long.Parse(d.Get(Start) ?? "0", CultureInfo.InvariantCulture)),
            DurationMinutes = int.Parse(d.Get(Duration) ?? "0", CultureInfo.InvariantCulture),
            Kind = group ? ConsultationKind.Group : ConsultationKind.Individual,
            Capacity = group ? int.Parse(d.Get(Capacity) ?? "0", CultureInfo.InvariantCulture) : 1,
            Purpose = d.Get(Purpose) == "t" ? ConsultationPurpose.Topic : ConsultationPurpose.Review,
            TopicTitle = d.Get(Purpose) == "t" ? d.Get(Topic) : null,
            PreparesForAttestation = d.Get(Prep) == "1",
            Link = online ? d.Get(Link) : null,
            Room = online ? null : d.Get(Room),
            Note = string.IsNullOrWhiteSpace(d.Get(Note)) ? null : d.Get(Note),
        };
        return (draft, subject?.Id, subject?.Name);
    }

    private static string Preview(Turn turn, SlotDraft draft, string? subjectName) =>
        ConsultationFormat.Card(turn.Texts, View(turn, draft, new SlotId(0), null, subjectName), turn.Settings.TimeZone);

    private static SlotView View(Turn turn, SlotDraft draft, SlotId id, long? subjectId, string? subjectName)
    {
        var person = turn.RequirePerson;
        return new SlotView(id, person.Id, person.FullName ?? string.Empty, subjectId, subjectName, draft.Start, draft.End, draft.Kind,
            draft.Capacity, 0, 0, draft.Purpose, draft.TopicTitle, draft.PreparesForAttestation, draft.Link, draft.Room, draft.Note, false);
    }

    private static async Task PublishAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var repo = turn.Context.Consultations;
        var policy = turn.Settings.Consultations;
        var (draft, subjectId, subjectName) = await BuildDraftAsync(turn).ConfigureAwait(false);
        var (weekFrom, weekTo) = SchoolTime.WeekOf(draft.Start, turn.Settings.TimeZone);
        var scheduled = await repo.ScheduledMinutesAsync(person.Id, weekFrom, weekTo, turn.CancellationToken).ConfigureAwait(false);
        var cap = await repo.WeeklyCapAsync(person.Id, turn.CancellationToken).ConfigureAwait(false) ?? policy.WeeklyWorkloadHours;
        var errors = draft.Validate(policy, turn.Now, scheduled, cap);
        if (errors.Count > 0)
        {
            turn.Reply(string.Join("\n", errors.Select(e => t.SlotErrorText(e, policy, cap, scheduled))));
            // Ask again what can be fixed; a week over the cap or a past start needs another date.
            var first = errors[0] switch
            {
                SlotError.TooShort or SlotError.TooLong => Duration,
                SlotError.CapacityOutOfRange => Capacity,
                SlotError.IndividualAttestationPrep => Prep,
                SlotError.TopicTitleMissing => Topic,
                SlotError.LinkNotHttp => Link,
                SlotError.RoomMissing => Format,
                _ => Start,
            };
            Forget(person, first);
            await AskNextAsync(turn).ConfigureAwait(false);
            return;
        }
        var (outcome, slot) = await repo.PublishAsync(person.Id, subjectId, draft, turn.CancellationToken).ConfigureAwait(false);
        if (outcome == PublishOutcome.OverlapsAnotherSlot || slot is null)
        {
            turn.Reply(t.OverlapsAnotherSlot);
            Forget(person, Start);
            await AskNextAsync(turn).ConfigureAwait(false);
            return;
        }
        person.EndDialog();
        turn.CallbackAnswer = t.Done;
        var invited = draft.Kind == ConsultationKind.Group && subjectId is { } topicSubject
            ? await QuestionsFeature.InviteTopicAskersAsync(turn, topicSubject, View(turn, draft, slot.Value, subjectId, subjectName)).ConfigureAwait(false)
            : 0;
        var published = t.Published(Preview(turn, draft, subjectName));
        turn.Reply(invited > 0 ? published + "\n\n" + t.TopicAskersTold(invited) : published, Keyboard.Of(
            [Turn.MenuButton(t.PublishAnother, Verb), Turn.MenuButton(t.MenuMySlots, SlotsFeature.Verb, "l")]));
    }

    private static void Forget(Person person, string field)
    {
        var data = new Dictionary<string, string>(person.Dialog.Data);
        data.Remove(field);
        if (field == Format)
        {
            data.Remove(Link);
            data.Remove(Room);
        }
        person.BeginStep(Prefix + field, data);
    }

    private static bool TrySetDuration(Turn turn, int minutes)
    {
        var policy = turn.Settings.Consultations;
        if (minutes < policy.MinDurationMinutes || minutes > policy.MaxDurationMinutes)
        {
            turn.Reply(turn.Texts.DurationInvalid(policy.MinDurationMinutes, policy.MaxDurationMinutes));
            return false;
        }
        turn.RequirePerson.SetStepData(Duration, minutes.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    private static bool TrySetCapacity(Turn turn, int seats)
    {
        if (seats < 2 || seats > turn.Settings.Consultations.MaxGroupCapacity)
        {
            turn.Reply(turn.Texts.CapacityInvalid(turn.Settings.Consultations.MaxGroupCapacity));
            return false;
        }
        turn.RequirePerson.SetStepData(Capacity, seats.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>Whole numbers as typed ("45", "-5", "1000"); anything else is not a number.</summary>
    internal static bool TryParseNumber(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
