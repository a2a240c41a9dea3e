namespace ConsultBot.Domain.Messaging;

/// <summary>A file someone sent to the bot: the channel's handle for it, its name and size as the messenger reports them.</summary>
public sealed record Attachment(string FileId, string? FileName, long? Size);

/// <summary>Reads a file someone sent, through the channel it came from.</summary>
public interface IAttachmentReader
{
    /// <summary>The file's bytes; null when the channel cannot read it or it is larger than <paramref name="maxBytes"/>.</summary>
    Task<byte[]?> ReadAsync(Channel channel, Attachment attachment, int maxBytes, CancellationToken cancellationToken);
}
