namespace ConsultBot.Domain.Conversations;

/// <summary>
/// Wrong one-time codes are counted per person over an hour in the audit log, so leaving and re-entering a dialog
/// (or restarting the bot) does not reset the count.
/// </summary>
internal static class CodeAttempts
{
    public const string RejectedAction = "code-rejected";
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static async Task<bool> ExhaustedAsync(Turn turn) =>
        await turn.Context.Audit.CountSinceAsync(RejectedAction, turn.RequirePerson.Id, turn.Now - Window, turn.CancellationToken)
            .ConfigureAwait(false) >= turn.Settings.MaxCodeAttempts;

    /// <summary>Records a wrong code; true when that was the last allowed one.</summary>
    public static async Task<bool> RejectAsync(Turn turn)
    {
        var person = turn.RequirePerson;
        await turn.Context.Audit.WriteAsync(RejectedAction, person.Id, person.Id, turn.CancellationToken).ConfigureAwait(false);
        return await ExhaustedAsync(turn).ConfigureAwait(false);
    }
}

/// <summary>
/// The same limit for a sender who is not registered yet (a link code typed in a second messenger): counted per
/// messenger account, since there is no person yet.
/// </summary>
internal static class AccountCodeAttempts
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static async Task<bool> ExhaustedAsync(Turn turn) =>
        await turn.Context.Codes.CountRejectedSinceAsync(turn.Event.Channel, turn.Event.SenderId, turn.Now - Window, turn.CancellationToken)
            .ConfigureAwait(false) >= turn.Settings.MaxCodeAttempts;

    /// <summary>Records a wrong code; true when that was the last allowed one.</summary>
    public static async Task<bool> RejectAsync(Turn turn)
    {
        await turn.Context.Codes.RecordRejectedAsync(turn.Event.Channel, turn.Event.SenderId, turn.Now, turn.CancellationToken)
            .ConfigureAwait(false);
        return await ExhaustedAsync(turn).ConfigureAwait(false);
    }
}
