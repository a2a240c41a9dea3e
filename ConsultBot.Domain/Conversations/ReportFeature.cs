using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Reports;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// /report (administrators): the monthly activity report as a CSV document in the chat. Buttons for the current month
/// (so far) and the six before it, or a typed month ("/report 11.2026", "2026-11", "ноябрь 2026"). A month that has not
/// begun and anything that is no month get an explanation and nothing is sent. The month in a button is parsed and
/// checked again on every press.
/// </summary>
internal sealed class ReportFeature : IConversationFeature
{
    public const string Verb = "rp";
    public const int PastMonthsOffered = 6;

    public IReadOnlyCollection<string> Commands { get; } = ["report"];
    public IReadOnlyCollection<string> Verbs { get; } = [Verb];
    public IReadOnlyCollection<string> Steps { get; } = [];

    public Task OnTextAsync(Turn turn, string step, string text) => Task.CompletedTask;

    public async Task OnCommandAsync(Turn turn, string command, string argument)
    {
        if (!IsAdmin(turn.RequirePerson))
        {
            turn.Reply(turn.Texts.NotAllowed);
            return;
        }
        if (argument.Length == 0)
        {
            ShowMonths(turn);
            return;
        }
        if (!ReportMonth.TryParse(argument, out var month))
        {
            turn.Reply(turn.Texts.ReportMonthInvalid(argument));
            return;
        }
        await SendAsync(turn, month).ConfigureAwait(false);
    }

    public async Task OnCallbackAsync(Turn turn, CallbackPayload payload)
    {
        var t = turn.Texts;
        if (!IsAdmin(turn.RequirePerson))
        {
            turn.CallbackAnswer = t.NotAllowed;
            return;
        }
        turn.CallbackAnswer = string.Empty;
        if (payload.Arg(0).Length == 0)
        {
            ShowMonths(turn);
            return;
        }
        if (!ReportMonth.TryParseKey(payload.Arg(0), out var month))
        {
            turn.CallbackAnswer = t.ButtonInvalid;
            return;
        }
        await SendAsync(turn, month).ConfigureAwait(false);
    }

    private static bool IsAdmin(Person person) => person.IsActive && person.Role == Role.Admin;

    private static void ShowMonths(Turn turn)
    {
        var t = turn.Texts;
        var current = ReportMonth.Of(turn.Now, turn.Settings.TimeZone);
        var past = new List<Button>();
        var month = current;
        for (var i = 0; i < PastMonthsOffered && month.Year > ReportMonth.MinYear; i++)
        {
            month = month.Previous;
            past.Add(Turn.MenuButton(t.ReportMonthName(month), Verb, month.Key));
        }
        var rows = new List<IReadOnlyList<Button>> { new[] { Turn.MenuButton(t.ReportSoFarButton(current), Verb, current.Key) } };
        rows.AddRange(past.Chunk(2).Select(r => (IReadOnlyList<Button>)r));
        turn.Reply(t.ReportChooseMonth, new Keyboard(rows));
    }

    private static async Task SendAsync(Turn turn, ReportMonth month)
    {
        var t = turn.Texts;
        var zone = turn.Settings.TimeZone;
        var current = ReportMonth.Of(turn.Now, zone);
        if (month > current)
        {
            turn.Reply(t.ReportMonthInFuture(month));
            return;
        }
        var rows = await turn.Context.Reports.BuildAsync(month, zone, turn.Now, turn.CancellationToken).ConfigureAwait(false);
        var csv = ActivityCsv.Render(rows, turn.RequirePerson.Language);
        var students = rows.Count(r => r.Role == ReportRole.Student);
        turn.ReplyDocument(t.ReportCaption(month, students, rows.Count - students, month == current),
            new OutgoingDocument(ActivityCsv.FileName(month), csv));
    }
}
