using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Conversations;

namespace ConsultBot.Host.Vk;

/// <summary>Runs one VK event through the shared pipeline and answers a pressed button once it committed.</summary>
public sealed class VkChannel(UpdatePipeline pipeline, VkEventAnswerer answerer)
{
    public async Task<PipelineResult> HandleAsync(IncomingEvent incoming, CancellationToken cancellationToken)
    {
        var result = await pipeline.ProcessAsync(incoming, cancellationToken);
        if (incoming.CallbackId is { } id && result.Outcome != UpdateOutcome.Duplicate)
        {
            answerer.Enqueue(id, incoming.SenderId, incoming.ChatId, result.CallbackAnswer);
        }
        return result;
    }
}
