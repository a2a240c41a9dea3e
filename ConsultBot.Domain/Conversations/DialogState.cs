namespace ConsultBot.Domain.Conversations;

/// <summary>
/// Where a person is in a dialog: the step waiting for their input, values collected so far, and a version
/// that grows with every step so buttons from older steps can be recognised as stale.
/// </summary>
public sealed record DialogState(string? Step, IReadOnlyDictionary<string, string> Data, int Version)
{
    public static DialogState Empty { get; } = new(null, new Dictionary<string, string>(), 1);

    public string? Get(string key) => Data.TryGetValue(key, out var v) ? v : null;
}
