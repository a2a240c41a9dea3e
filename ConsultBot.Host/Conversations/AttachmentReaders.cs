using ConsultBot.Domain.Messaging;

namespace ConsultBot.Host.Conversations;

/// <summary>A channel that can hand over files people send it.</summary>
public interface IChannelAttachmentReader
{
    Channel Channel { get; }

    Task<byte[]?> ReadAsync(Attachment attachment, int maxBytes, CancellationToken cancellationToken);
}

/// <summary>Reads a sent file through the channel it came from; channels without a reader cannot hand files over.</summary>
public sealed class AttachmentReader(IEnumerable<IChannelAttachmentReader> readers) : IAttachmentReader
{
    private readonly Dictionary<Channel, IChannelAttachmentReader> _byChannel = readers.ToDictionary(r => r.Channel);

    public Task<byte[]?> ReadAsync(Channel channel, Attachment attachment, int maxBytes, CancellationToken cancellationToken) =>
        _byChannel.TryGetValue(channel, out var reader) ? reader.ReadAsync(attachment, maxBytes, cancellationToken) : Task.FromResult<byte[]?>(null);
}
