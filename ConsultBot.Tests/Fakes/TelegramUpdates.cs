using System.Globalization;
using System.Text.Json.Nodes;

namespace ConsultBot.Tests.Fakes;

/// <summary>
/// Builds Telegram updates the way the Bot API sends them (snake_case JSON). The result has no <c>update_id</c>:
/// <see cref="FakeTelegramApi.EnqueueUpdate(JsonObject)"/> assigns one, or set it with <see cref="WithUpdateId"/>
/// before posting to a webhook.
/// </summary>
public static class TelegramUpdates
{
    /// <summary>The bot's id with the default token "123456:…".</summary>
    public const long DefaultBotId = 123456;

    private static long _messageId = 10_000;
    private static long _callbackId = 4_000_000_000_000_000;

    public static JsonObject WithUpdateId(this JsonObject update, long updateId)
    {
        ArgumentNullException.ThrowIfNull(update);
        update["update_id"] = updateId;
        return update;
    }

    public static JsonObject User(long id, string firstName = "Иван", string? languageCode = "ru", bool isBot = false)
    {
        var user = new JsonObject { ["id"] = id, ["is_bot"] = isBot, ["first_name"] = firstName };
        if (languageCode is not null)
        {
            user["language_code"] = languageCode;
        }
        return user;
    }

    public static JsonObject BotUser(long botId = DefaultBotId, string username = "consultbot_test_bot") =>
        new() { ["id"] = botId, ["is_bot"] = true, ["first_name"] = "ConsultBot", ["username"] = username };

    public static JsonObject PrivateChat(long userId, string firstName = "Иван") =>
        new() { ["id"] = userId, ["type"] = "private", ["first_name"] = firstName };

    /// <summary>A text message in the user's private chat with the bot; commands get their bot_command entity.</summary>
    public static JsonObject Text(long userId, string text, string? languageCode = "ru") =>
        new() { ["message"] = TextMessage(PrivateChat(userId), User(userId, languageCode: languageCode), text) };

    /// <summary>A private message carrying <paramref name="content"/> (e.g. <c>{"sticker": {...}}</c>) instead of text.</summary>
    public static JsonObject Content(long userId, JsonObject content, string? languageCode = "ru")
    {
        ArgumentNullException.ThrowIfNull(content);
        var message = MessageHeader(PrivateChat(userId), User(userId, languageCode: languageCode));
        foreach (var (key, value) in content)
        {
            message[key] = value?.DeepClone();
        }
        return new JsonObject { ["message"] = message };
    }

    public static JsonObject Sticker(long userId) => Content(userId, new JsonObject
    {
        ["sticker"] = new JsonObject
        {
            ["file_id"] = "CAACAgIAAxkBAAIBY2Zsticker",
            ["file_unique_id"] = "AgADsticker",
            ["type"] = "regular",
            ["width"] = 512,
            ["height"] = 512,
            ["is_animated"] = false,
            ["is_video"] = false,
            ["emoji"] = "😀",
        },
    });

    public static JsonObject Photo(long userId) => Content(userId, new JsonObject
    {
        ["photo"] = new JsonArray(
            new JsonObject { ["file_id"] = "AgACAgIAAxkBAAIBZGZphoto1", ["file_unique_id"] = "AQADphoto1", ["width"] = 90, ["height"] = 67, ["file_size"] = 1200 },
            new JsonObject { ["file_id"] = "AgACAgIAAxkBAAIBZGZphoto2", ["file_unique_id"] = "AQADphoto2", ["width"] = 800, ["height"] = 600, ["file_size"] = 52000 }),
    });

    public static JsonObject Voice(long userId) => Content(userId, new JsonObject
    {
        ["voice"] = new JsonObject
        {
            ["file_id"] = "AwACAgIAAxkBAAIBZWZvoice",
            ["file_unique_id"] = "AgADvoice",
            ["duration"] = 3,
            ["mime_type"] = "audio/ogg",
            ["file_size"] = 9000,
        },
    });

    /// <summary>A file sent as a document; register its content with <c>FakeTelegramApi.RegisterFile</c> under <paramref name="fileId"/>.</summary>
    public static JsonObject Document(long userId, string fileId, string fileName, long? fileSize, string mimeType = "text/csv")
    {
        var document = new JsonObject
        {
            ["file_id"] = fileId,
            ["file_unique_id"] = "AgAD" + fileId,
            ["file_name"] = fileName,
            ["mime_type"] = mimeType,
        };
        if (fileSize is { } size)
        {
            document["file_size"] = size;
        }
        return Content(userId, new JsonObject { ["document"] = document });
    }

    public static JsonObject Location(long userId) => Content(userId, new JsonObject
    {
        ["location"] = new JsonObject { ["latitude"] = 55.751244, ["longitude"] = 37.618423 },
    });

    public static JsonObject Contact(long userId) => Content(userId, new JsonObject
    {
        ["contact"] = new JsonObject { ["phone_number"] = "+79990000000", ["first_name"] = "Мама", ["user_id"] = userId + 1 },
    });

    /// <summary>An edit of an earlier private text message.</summary>
    public static JsonObject EditedText(long userId, string text)
    {
        var message = TextMessage(PrivateChat(userId), User(userId), text);
        message["edit_date"] = Now();
        return new JsonObject { ["edited_message"] = message };
    }

    /// <summary>A text message written in a group chat (ids of supergroups look like -100…).</summary>
    public static JsonObject GroupText(long groupChatId, long userId, string text, string title = "7Б — родители")
    {
        var chat = new JsonObject
        {
            ["id"] = groupChatId,
            ["type"] = groupChatId <= -1_000_000_000_000 ? "supergroup" : "group",
            ["title"] = title,
        };
        return new JsonObject { ["message"] = TextMessage(chat, User(userId), text) };
    }

    /// <summary>A post in a channel the bot is in: no sender.</summary>
    public static JsonObject ChannelPost(long channelId, string text, string title = "Новости школы")
    {
        var chat = new JsonObject { ["id"] = channelId, ["type"] = "channel", ["title"] = title };
        var post = new JsonObject
        {
            ["message_id"] = NextMessageId(),
            ["sender_chat"] = chat.DeepClone(),
            ["chat"] = chat,
            ["date"] = Now(),
            ["text"] = text,
        };
        return new JsonObject { ["channel_post"] = post };
    }

    /// <summary>
    /// A button press on a message the bot sent in the user's private chat (or in <paramref name="groupChatId"/>).
    /// <paramref name="data"/> may be anything (forged, oversized); the callback query id is fresh unless given.
    /// </summary>
    public static JsonObject Callback(long userId, string? data, string? callbackId = null, long? messageId = null,
        string? languageCode = "ru", long botId = DefaultBotId, long? groupChatId = null)
    {
        var chat = groupChatId is { } group
            ? new JsonObject { ["id"] = group, ["type"] = group <= -1_000_000_000_000 ? "supergroup" : "group", ["title"] = "7Б — родители" }
            : PrivateChat(userId);
        var message = new JsonObject
        {
            ["message_id"] = messageId ?? NextMessageId(),
            ["from"] = BotUser(botId),
            ["chat"] = chat,
            ["date"] = Now(),
            ["text"] = "…",
        };
        var query = new JsonObject
        {
            ["id"] = callbackId ?? NextCallbackId(),
            ["from"] = User(userId, languageCode: languageCode),
            ["message"] = message,
            ["chat_instance"] = "-" + userId.ToString(CultureInfo.InvariantCulture) + "77",
        };
        if (data is not null)
        {
            query["data"] = data;
        }
        return new JsonObject { ["callback_query"] = query };
    }

    /// <summary>The callback query id inside an update built by <see cref="Callback"/>.</summary>
    public static string CallbackId(JsonObject update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return (string?)update["callback_query"]?["id"] ?? throw new ArgumentException("Not a callback_query update", nameof(update));
    }

    /// <summary>
    /// The bot's membership in the user's private chat changed: "kicked" when the user blocked the bot,
    /// "member" when they unblocked it.
    /// </summary>
    public static JsonObject MyChatMember(long userId, string newStatus, string oldStatus = "member", long botId = DefaultBotId)
    {
        var newMember = new JsonObject { ["status"] = newStatus, ["user"] = BotUser(botId) };
        if (newStatus == "kicked")
        {
            newMember["until_date"] = 0;
        }
        var oldMember = new JsonObject { ["status"] = oldStatus, ["user"] = BotUser(botId) };
        if (oldStatus == "kicked")
        {
            oldMember["until_date"] = 0;
        }
        return new JsonObject
        {
            ["my_chat_member"] = new JsonObject
            {
                ["chat"] = PrivateChat(userId),
                ["from"] = User(userId),
                ["date"] = Now(),
                ["old_chat_member"] = oldMember,
                ["new_chat_member"] = newMember,
            },
        };
    }

    private static JsonObject TextMessage(JsonObject chat, JsonObject from, string text)
    {
        var message = MessageHeader(chat, from);
        message["text"] = text;
        if (text.StartsWith('/'))
        {
            var end = text.IndexOfAny([' ', '\n', '\t']);
            message["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "bot_command",
                ["offset"] = 0,
                ["length"] = end < 0 ? text.Length : end,
            });
        }
        return message;
    }

    private static JsonObject MessageHeader(JsonObject chat, JsonObject from) => new()
    {
        ["message_id"] = NextMessageId(),
        ["from"] = from,
        ["chat"] = chat,
        ["date"] = Now(),
    };

    private static long NextMessageId() => Interlocked.Increment(ref _messageId);

    private static string NextCallbackId() => Interlocked.Increment(ref _callbackId).ToString(CultureInfo.InvariantCulture);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
