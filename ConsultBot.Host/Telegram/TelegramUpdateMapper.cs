using System.Globalization;
using ConsultBot.Domain.Messaging;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ConsultBot.Host.Telegram;

/// <summary>Turns a Telegram <see cref="Update"/> into the channel-neutral <see cref="IncomingEvent"/>.</summary>
public static class TelegramUpdateMapper
{
    public static IncomingEvent Map(Update update)
    {
        var id = update.Id.ToString(CultureInfo.InvariantCulture);
        switch (update)
        {
            case { Message: { } message }:
                return FromMessage(id, message, edited: false);
            case { EditedMessage: { } edited }:
                return FromMessage(id, edited, edited: true);
            case { CallbackQuery: { } query }:
                return new IncomingEvent
                {
                    Channel = Channel.Telegram,
                    UpdateId = id,
                    Kind = query.Message is { Chat.Type: not ChatType.Private } ? EventKind.Ignored : EventKind.Callback,
                    SenderId = Key(query.From.Id),
                    ChatId = Key(query.Message?.Chat.Id ?? query.From.Id),
                    CallbackData = query.Data,
                    CallbackId = query.Id,
                    LanguageCode = query.From.LanguageCode,
                };
            case { MyChatMember: { } member }:
                var status = member.NewChatMember.Status;
                var kind = member.Chat.Type == ChatType.Private
                    ? status is ChatMemberStatus.Kicked ? EventKind.Blocked : EventKind.Unblocked
                    : status is ChatMemberStatus.Member or ChatMemberStatus.Administrator ? EventKind.GroupMessage : EventKind.Ignored;
                return new IncomingEvent
                {
                    Channel = Channel.Telegram,
                    UpdateId = id,
                    Kind = member.Chat.Type == ChatType.Channel ? EventKind.Ignored : kind,
                    SenderId = Key(member.From.Id),
                    ChatId = Key(member.Chat.Id),
                    LanguageCode = member.From.LanguageCode,
                };
            default:
                // Channel posts, inline queries, polls and the rest: nothing to answer.
                return new IncomingEvent
                {
                    Channel = Channel.Telegram,
                    UpdateId = id,
                    Kind = EventKind.Ignored,
                    SenderId = string.Empty,
                    ChatId = string.Empty,
                    ContentType = update.Type.ToString(),
                };
        }
    }

    private static IncomingEvent FromMessage(string id, Message message, bool edited)
    {
        var kind = message.Chat.Type switch
        {
            ChatType.Private when edited => EventKind.Edited,
            ChatType.Private when message.Type == MessageType.Text => EventKind.Text,
            ChatType.Private when message is { Type: MessageType.Document, Document: not null } => EventKind.Document,
            ChatType.Private => EventKind.Unsupported,
            ChatType.Group or ChatType.Supergroup when !edited => EventKind.GroupMessage,
            _ => EventKind.Ignored,
        };
        return new IncomingEvent
        {
            Channel = Channel.Telegram,
            UpdateId = id,
            Kind = kind,
            SenderId = Key(message.From?.Id ?? message.Chat.Id),
            ChatId = Key(message.Chat.Id),
            Text = kind == EventKind.Text ? message.Text : null,
            LanguageCode = message.From?.LanguageCode,
            ContentType = message.Type.ToString(),
            Document = kind == EventKind.Document ? new Attachment(message.Document!.FileId, message.Document.FileName, message.Document.FileSize) : null,
        };
    }

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);
}
