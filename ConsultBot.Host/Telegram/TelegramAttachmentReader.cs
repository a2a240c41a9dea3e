using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Conversations;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;

namespace ConsultBot.Host.Telegram;

/// <summary>
/// Files sent to the bot in Telegram: getFile, then a download from <c>{ApiBaseUrl}/file/bot{token}/{file_path}</c> (the
/// client builds that URL from the configured base). A file larger than the limit is refused before it is downloaded when
/// Telegram reports its size, and the download stops as soon as it passes the limit otherwise. The URLs carry the token:
/// only the error's type is logged, and the client's HttpClient never logs.
/// </summary>
public sealed partial class TelegramAttachmentReader(TelegramClients clients, IOptions<TelegramOptions> options,
    ILogger<TelegramAttachmentReader> logger) : IChannelAttachmentReader
{
    public Channel Channel => Channel.Telegram;

    public async Task<byte[]?> ReadAsync(Attachment attachment, int maxBytes, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled || attachment.Size > maxBytes)
        {
            return null;
        }
        try
        {
            var file = await clients.Sender.GetFile(attachment.FileId, cancellationToken);
            if (file.FileSize > maxBytes || string.IsNullOrEmpty(file.FilePath))
            {
                return null;
            }
            using var buffer = new CappedStream(maxBytes);
            await clients.Sender.DownloadFile(file.FilePath, buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (Exception e) when (e is ApiRequestException or RequestException or HttpRequestException or CappedStream.FullException
                                  or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogNotRead(e.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Telegram file could not be read ({Error})")]
    private partial void LogNotRead(string error);

    /// <summary>A memory stream that refuses to grow past a limit.</summary>
    private sealed class CappedStream(int maxBytes) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Check(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Check(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        private void Check(int count)
        {
            if (Length + count > maxBytes)
            {
                throw new FullException();
            }
        }

        internal sealed class FullException : Exception;
    }
}
