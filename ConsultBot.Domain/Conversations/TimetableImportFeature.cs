using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Timetable;

namespace ConsultBot.Domain.Conversations;

/// <summary>Administrators: the timetable file (format help, import of a sent CSV) and holidays.</summary>
internal sealed class TimetableImportFeature : IConversationFeature, IDocumentFeature
{
    public const string Verb = "tt";
    private const string StepAddHoliday = "tt.hadd";
    private const string StepRemoveHoliday = "tt.hdel";
    private const int MaxHolidayDays = 366;

    public IReadOnlyCollection<string> Commands { get; } = ["timetable", "holidays"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [StepAddHoliday, StepRemoveHoliday];

    public async Task OnCommandAsync(Turn turn, string command, string argument)
    {
        if (!Administrators.AllowCommand(turn))
        {
            return;
        }
        if (command == "holidays")
        {
            await ShowHolidaysAsync(turn).ConfigureAwait(false);
            return;
        }
        ShowHelp(turn);
    }

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var person = turn.RequirePerson;
        var t = turn.Texts;
        if (!Administrators.AllowPress(turn))
        {
            return;
        }
        switch (payload.Arg(0))
        {
            case "h":
                ShowHelp(turn);
                return;
            case "hol":
                await ShowHolidaysAsync(turn).ConfigureAwait(false);
                return;
            case "hadd":
                person.BeginStep(StepAddHoliday);
                turn.Reply(t.AskHoliday);
                return;
            case "hdel":
                person.BeginStep(StepRemoveHoliday);
                turn.Reply(t.AskHolidayToRemove);
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
        if (!Administrators.AllowText(turn))
        {
            return;
        }
        if (ParseHoliday(text) is not { } holiday || (step == StepRemoveHoliday && holiday.Name.Length > 0))
        {
            turn.Reply(t.HolidayInvalid);
            return;
        }
        var ct = turn.CancellationToken;
        person.EndDialog();
        if (step == StepAddHoliday)
        {
            var added = await turn.Context.Timetable.AddHolidaysAsync(holiday.From, holiday.To, holiday.Name, ct).ConfigureAwait(false);
            await turn.Context.Audit.WriteAsync("holidays-added", null, person.Id, ct).ConfigureAwait(false);
            turn.Reply(t.HolidayAdded(holiday.From, holiday.To, added.CancelledLessons));
            foreach (var group in added.Groups)
            {
                foreach (var listener in await turn.Context.Lessons.ListenersAsync(group, ct).ConfigureAwait(false))
                {
                    turn.Notify(listener.Id, listener.Language, tt => tt.HolidayAlert(holiday.From, holiday.To, holiday.Name, listener.ChildName));
                }
            }
        }
        else
        {
            var removed = await turn.Context.Timetable.RemoveHolidaysAsync(holiday.From, holiday.To, ct).ConfigureAwait(false);
            await turn.Context.Audit.WriteAsync("holidays-removed", null, person.Id, ct).ConfigureAwait(false);
            turn.Reply(t.HolidaysRemoved(removed));
        }
        await ShowHolidaysAsync(turn).ConfigureAwait(false);
    }

    public async Task<bool> OnDocumentAsync(Turn turn, Attachment document)
    {
        var person = turn.RequirePerson;
        if (person.Role != Role.Admin)
        {
            return false;
        }
        var t = turn.Texts;
        var settings = turn.Settings.Timetable;
        var maxKilobytes = settings.MaxImportBytes / 1024;
        if (document.Size > settings.MaxImportBytes)
        {
            turn.Reply(t.TimetableTooLarge(maxKilobytes));
            return true;
        }
        var ct = turn.CancellationToken;
        // One byte over the limit is read so that an over-size file the messenger did not measure is told apart.
        var bytes = await turn.Context.Attachments.ReadAsync(turn.Event.Channel, document, settings.MaxImportBytes + 1, ct).ConfigureAwait(false);
        if (bytes is null)
        {
            turn.Reply(t.TimetableCannotRead(maxKilobytes));
            return true;
        }
        var result = await TimetableImporter.ImportAsync(bytes, turn.Context.Timetable, settings, turn.Settings.TimeZone, turn.Now, ct)
            .ConfigureAwait(false);
        if (result.Counts is { } counts)
        {
            await turn.Context.Audit.WriteAsync("timetable-imported", null, person.Id, ct).ConfigureAwait(false);
            turn.Reply(t.TimetableImported(counts));
        }
        else
        {
            turn.Reply(TimetableImporter.Rejection(t, result.Errors));
        }
        return true;
    }

    private static void ShowHelp(Turn turn)
    {
        var t = turn.Texts;
        turn.Reply(t.TimetableHelp(turn.Settings.Timetable.MaxImportBytes / 1024), Keyboard.Of([Turn.MenuButton(t.Holidays, Verb, "hol")]));
    }

    private static async Task ShowHolidaysAsync(Turn turn)
    {
        var t = turn.Texts;
        var today = Consultations.SchoolTime.Today(turn.Now, turn.Settings.TimeZone);
        var holidays = await turn.Context.Timetable.HolidaysAsync(today, turn.CancellationToken).ConfigureAwait(false);
        turn.Reply(t.HolidayList(holidays),
            Keyboard.Of([Turn.MenuButton(t.AddHoliday, Verb, "hadd"), Turn.MenuButton(t.RemoveHoliday, Verb, "hdel")]));
    }

    /// <summary>"30.12.2026-08.01.2027 Зимние каникулы", "04.11.2026 День народного единства", "04.11.2026".</summary>
    internal static (DateOnly From, DateOnly To, string Name)? ParseHoliday(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', '\t', '\n']);
        var dates = space < 0 ? trimmed : trimmed[..space];
        var name = space < 0 ? string.Empty : trimmed[(space + 1)..].Trim();
        var parts = dates.Split(['-', '–', '—'], 2);
        if (TimetableCsv.ParseDate(parts[0]) is not { } from)
        {
            return null;
        }
        var to = from;
        if (parts.Length == 2 && TimetableCsv.ParseDate(parts[1]) is not { } end)
        {
            return null;
        }
        else if (parts.Length == 2)
        {
            to = TimetableCsv.ParseDate(parts[1])!.Value;
        }
        if (to < from || to.DayNumber - from.DayNumber >= MaxHolidayDays || name.Length > TimetableCsv.MaxNameLength)
        {
            return null;
        }
        return (from, to, name);
    }
}
