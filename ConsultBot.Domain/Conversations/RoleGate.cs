using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// How a feature answers someone whose role does not allow what they pressed, typed or asked for: a short answer on a
/// button, "not allowed" in the chat, and an open dialog ended (the role changed mid-dialog). True when it may go on.
/// </summary>
internal static class RoleGate
{
    public static bool AllowPress(Turn turn, bool allowed)
    {
        turn.CallbackAnswer = allowed ? string.Empty : turn.Texts.NotAllowed;
        return allowed;
    }

    public static bool AllowCommand(Turn turn, bool allowed)
    {
        if (!allowed)
        {
            turn.Reply(turn.Texts.NotAllowed);
        }
        return allowed;
    }

    public static bool AllowText(Turn turn, bool allowed)
    {
        if (!allowed)
        {
            turn.RequirePerson.EndDialog();
            turn.Reply(turn.Texts.NotAllowed);
        }
        return allowed;
    }
}

/// <summary>The administrators' dialogs: only an administrator may use them.</summary>
internal static class Administrators
{
    private static bool IsAdmin(Turn turn) => turn.RequirePerson.Role == Role.Admin;

    public static bool AllowPress(Turn turn) => RoleGate.AllowPress(turn, IsAdmin(turn));

    public static bool AllowCommand(Turn turn) => RoleGate.AllowCommand(turn, IsAdmin(turn));

    public static bool AllowText(Turn turn) => RoleGate.AllowText(turn, IsAdmin(turn));
}
