using ConsultBot.Domain.Messaging;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// A part of the bot's conversation (registration, profile, administration, consultations…). The engine routes
/// commands, button verbs and typed answers to the feature that declares them; a new feature slots in by
/// declaring its own.
/// </summary>
public interface IConversationFeature
{
    /// <summary>Commands without the slash ("profile").</summary>
    IReadOnlyCollection<string> Commands { get; }

    /// <summary>Callback verbs (the first field of <see cref="CallbackPayload"/>).</summary>
    IReadOnlyCollection<string> Verbs { get; }

    /// <summary>Dialog steps in which this feature waits for typed text.</summary>
    IReadOnlyCollection<string> Steps { get; }

    Task OnCommandAsync(Turn turn, string command, string argument);

    Task OnCallbackAsync(Turn turn, CallbackPayload payload);

    Task OnTextAsync(Turn turn, string step, string text);
}

/// <summary>A feature that takes files people send (an administrator's timetable, for one).</summary>
public interface IDocumentFeature
{
    /// <summary>True when it handled the file; false lets the next feature (or the "cannot read this" reply) have it.</summary>
    Task<bool> OnDocumentAsync(Turn turn, Attachment document);
}

/// <summary>
/// A feature whose steps answer texts over the messengers' limit themselves (to name their own, smaller limit) instead
/// of the engine's generic "too long" reply.
/// </summary>
public interface ILongTextSteps
{
    bool AnswersLongText(string step);
}
