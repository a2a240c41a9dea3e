using System.Globalization;
using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>What the consulting staff's dialogs share: who may consult, and choosing or naming a subject.</summary>
internal static class Consultants
{
    public const int MaxSubjectLength = 60;

    /// <summary>Teachers, and administrators (a deputy head may consult too).</summary>
    public static bool CanConsult(Person person) => person.IsActive && person.Role is Role.Teacher or Role.Admin;

    /// <summary>Answers a button press of someone who may not consult; true when the press may go on.</summary>
    public static bool AllowPress(Turn turn) => RoleGate.AllowPress(turn, CanConsult(turn.RequirePerson));

    /// <summary>Answers a command of someone who may not consult; true when it may go on.</summary>
    public static bool AllowCommand(Turn turn) => RoleGate.AllowCommand(turn, CanConsult(turn.RequirePerson));

    /// <summary>Ends the dialog of someone who may no longer consult (the role changed mid-dialog); true when the text may go on.</summary>
    public static bool AllowText(Turn turn) => RoleGate.AllowText(turn, CanConsult(turn.RequirePerson));

    /// <summary>Asks for the subject: the school's subjects as step buttons (<c>verb:v:field:id</c>), or a typed name.</summary>
    public static async Task AskSubjectAsync(Turn turn, string verb, string field)
    {
        var subjects = await turn.Context.Consultations.SubjectsAsync(turn.CancellationToken).ConfigureAwait(false);
        var rows = subjects.Take(24).Select(s => turn.StepButton(s.Name, verb, field, s.Id.ToString(CultureInfo.InvariantCulture)))
            .Chunk(2).Select(r => (IReadOnlyList<Button>)r).ToList();
        turn.Reply(turn.Texts.AskSubject, rows.Count == 0 ? null : new Keyboard(rows));
    }

    /// <summary>A typed subject name: the existing subject of that name or a new one; null (and the reason said) when invalid.</summary>
    public static async Task<Subject?> SubjectFromTextAsync(Turn turn, string text)
    {
        var name = TextInput.Normalize(text);
        if (name.Length is < 2 or > MaxSubjectLength)
        {
            turn.Reply(turn.Texts.SubjectNameInvalid(MaxSubjectLength));
            return null;
        }
        return await turn.Context.Consultations.AddSubjectAsync(name, turn.CancellationToken).ConfigureAwait(false);
    }
}
