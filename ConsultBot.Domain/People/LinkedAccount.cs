using ConsultBot.Domain.Messaging;

namespace ConsultBot.Domain.People;

/// <summary>One of a person's messenger accounts. A person has at most one account per messenger.</summary>
public sealed record LinkedAccount(Channel Channel, string SenderId, string ChatId, bool Reachable, bool Preferred)
{
    public ChatAddress Address => new(Channel, ChatId);
}
