using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Timetable;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// /settings: daily lesson reminders on or off, their hour (or the evening before), for parents which linked
/// children they follow, and (with <see cref="LinkFeature"/>) which messenger gets notifications. Every button sets a value outright, so its buttons are menu buttons: pressing one from an old
/// message does what it says.
/// </summary>
internal sealed class SettingsFeature : IConversationFeature
{
    public const string Verb = "st";

    /// <summary>The hours offered besides the school's own.</summary>
    private static readonly TimeOnly[] Hours = [new(6, 30), new(7, 0), new(7, 30), new(8, 0), new(9, 0)];

    public IReadOnlyCollection<string> Commands { get; } = ["settings"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [];

    public Task OnCommandAsync(Turn turn, string command, string argument) => ShowAsync(turn);

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var repository = turn.Context.ReminderSettings;
        var ct = turn.CancellationToken;
        turn.CallbackAnswer = string.Empty;
        var school = turn.Settings.Timetable.ReminderTime;
        switch (payload.Arg(0))
        {
            case "":
                await ShowAsync(turn).ConfigureAwait(false);
                return;
            case "off" or "on" or "ev":
            {
                var choice = await repository.GetAsync(person.Id, ct).ConfigureAwait(false);
                choice = payload.Arg(0) switch
                {
                    "off" => choice.TurnedOff(),
                    "on" => choice.TurnedOn(),
                    _ => choice.TheEveningBefore(),
                };
                await repository.SaveAsync(person.Id, choice, ct).ConfigureAwait(false);
                break;
            }
            case "t" when ParseTime(payload.Arg(1)) is { } time && Offered(school).Contains(time):
            {
                var choice = await repository.GetAsync(person.Id, ct).ConfigureAwait(false);
                await repository.SaveAsync(person.Id, choice.At(time, school), ct).ConfigureAwait(false);
                break;
            }
            case "c" when person.Role == Role.Parent && long.TryParse(payload.Arg(1), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                                                     && payload.Arg(2) is "0" or "1":
                if (!await repository.SetFollowsAsync(person.Id, new PersonId(child), payload.Arg(2) == "1", ct).ConfigureAwait(false))
                {
                    turn.CallbackAnswer = turn.Texts.NotAllowed;
                    return;
                }
                break;
            default:
                turn.CallbackAnswer = turn.Texts.NotAllowed;
                return;
        }
        turn.CallbackAnswer = turn.Texts.Done;
        await ShowAsync(turn).ConfigureAwait(false);
    }

    public Task OnTextAsync(Turn turn, string step, string text) => Task.CompletedTask;

    public static async Task ShowAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        var ct = turn.CancellationToken;
        var timetable = turn.Settings.Timetable;
        var choice = await turn.Context.ReminderSettings.GetAsync(person.Id, ct).ConfigureAwait(false);
        IReadOnlyList<FollowedChild> children = person.Role == Role.Parent
            ? await turn.Context.ReminderSettings.ChildrenAsync(person.Id, ct).ConfigureAwait(false)
            : [];
        var when = choice.EveningBefore
            ? t.SettingsEveningBefore(timetable.EveningBeforeTime)
            : t.SettingsAt(choice.SendAt ?? timetable.ReminderTime, choice.SendAt is null || choice.SendAt == timetable.ReminderTime);

        var rows = new List<IReadOnlyList<Button>>
        {
            choice.Enabled
                ? [Turn.MenuButton(t.SettingsTurnOff, Verb, "off")]
                : [Turn.MenuButton(t.SettingsTurnOn, Verb, "on")],
        };
        var hours = Offered(timetable.ReminderTime)
            .Select(h => Turn.MenuButton(t.SettingsTimeButton(h, h == timetable.ReminderTime), Verb, "t", h.ToString("HHmm", CultureInfo.InvariantCulture)))
            .ToList();
        rows.AddRange(hours.Chunk(3));
        rows.Add([Turn.MenuButton(t.SettingsEveningButton(timetable.EveningBeforeTime), Verb, "ev")]);
        foreach (var child in children)
        {
            rows.Add([Turn.MenuButton(t.SettingsChildButton(child.Name, child.Follows), Verb, "c", child.Child.ToString(), child.Follows ? "0" : "1")]);
        }
        var (messengers, messengerRows) = await LinkFeature.SettingsSectionAsync(turn).ConfigureAwait(false);
        rows.AddRange(messengerRows);
        turn.Reply(t.SettingsCard(choice.Enabled, when, children.Select(c => t.SettingsChild(c.Name, c.Follows)).ToList()) + messengers,
            new Keyboard(rows));
    }

    /// <summary>The hours on the buttons: the usual ones and the school's own, in order.</summary>
    private static List<TimeOnly> Offered(TimeOnly school) => Hours.Append(school).Distinct().Order().ToList();

    private static TimeOnly? ParseTime(string hhmm) =>
        TimeOnly.TryParseExact(hhmm, "HHmm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
}
