using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ConsultBot.Domain.Messaging;

namespace ConsultBot.Host.Vk;

/// <summary>
/// Turns a VK event (<c>{"type","object","group_id","event_id"}</c>, the same shape from Bots Long Poll and the Callback
/// API) into the channel-neutral <see cref="IncomingEvent"/>. The update id is VK's <c>event_id</c>.
/// </summary>
public static class VkUpdateMapper
{
    /// <summary>Peer ids from here up are group chats (conversations), not private dialogs.</summary>
    public const long FirstChatPeerId = 2_000_000_000;

    /// <summary>What VK puts in the payload of the "Start" button a new dialog shows.</summary>
    private const string StartCommand = "start";

    public static IncomingEvent Map(JsonObject update)
    {
        var type = update["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : string.Empty;
        var id = EventId(update);
        var body = update["object"] as JsonObject ?? [];
        return type switch
        {
            "message_new" => FromMessage(id, body),
            "message_event" => FromButton(id, body),
            "message_allow" => Simple(id, body, EventKind.Unblocked),
            "message_deny" => Simple(id, body, EventKind.Blocked),
            _ => new IncomingEvent
            {
                Channel = Channel.Vk,
                UpdateId = id,
                Kind = EventKind.Ignored,
                SenderId = string.Empty,
                ChatId = string.Empty,
                ContentType = type.Length <= 40 ? type : type[..40],
            },
        };
    }

    /// <summary>VK's event_id; an event without one (older API versions) gets a hash of its content, stable across retries.</summary>
    public static string EventId(JsonObject update)
    {
        if (update["event_id"] is JsonValue v && v.TryGetValue<string>(out var id) && id.Length is > 0 and <= 100)
        {
            return id;
        }
        return "h" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(update.ToJsonString())))[..32];
    }

    private static IncomingEvent FromMessage(string id, JsonObject body)
    {
        // API 5.103 and later wrap the message with client_info; older ones send the message itself.
        var message = body["message"] as JsonObject ?? body;
        var peer = Long(message["peer_id"]);
        var from = Long(message["from_id"]);
        var text = message["text"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : string.Empty;
        var hasAttachments = message["attachments"] is JsonArray { Count: > 0 };
        var payload = message["payload"];
        var data = VkKeyboards.CallbackData(payload);
        var start = data is null && IsStart(payload);
        var kind = peer >= FirstChatPeerId ? EventKind.GroupMessage
            : from <= 0 ? EventKind.Ignored
            : data is not null ? EventKind.Callback
            : start || text.Length > 0 ? EventKind.Text
            : hasAttachments ? EventKind.Unsupported
            : EventKind.Ignored;
        return new IncomingEvent
        {
            Channel = Channel.Vk,
            UpdateId = id,
            Kind = kind,
            SenderId = Key(from),
            ChatId = Key(peer),
            Text = kind == EventKind.Text ? (start ? "/start" : text) : null,
            CallbackData = kind == EventKind.Callback ? data : null,
            LanguageCode = Language(body["client_info"]),
            ContentType = hasAttachments ? FirstAttachmentType(message) : "text",
        };
    }

    private static IncomingEvent FromButton(string id, JsonObject body)
    {
        var peer = Long(body["peer_id"]);
        var user = Long(body["user_id"]);
        var payload = body["payload"];
        return new IncomingEvent
        {
            Channel = Channel.Vk,
            UpdateId = id,
            Kind = peer >= FirstChatPeerId || user <= 0 ? EventKind.Ignored : EventKind.Callback,
            SenderId = Key(user),
            ChatId = Key(peer),
            // Not ours (a forged or foreign payload): the raw text, which the engine does not recognise and says so.
            CallbackData = VkKeyboards.CallbackData(payload) ?? payload?.ToJsonString() ?? string.Empty,
            CallbackId = body["event_id"] is JsonValue e && e.TryGetValue<string>(out var eventId) ? eventId : null,
        };
    }

    private static IncomingEvent Simple(string id, JsonObject body, EventKind kind)
    {
        var user = Long(body["user_id"]);
        return new IncomingEvent
        {
            Channel = Channel.Vk,
            UpdateId = id,
            Kind = user > 0 ? kind : EventKind.Ignored,
            SenderId = Key(user),
            ChatId = Key(user),
        };
    }

    private static bool IsStart(JsonNode? payload)
    {
        if (payload is JsonValue v && v.TryGetValue<string>(out var s))
        {
            try
            {
                payload = JsonNode.Parse(s);
            }
            catch (System.Text.Json.JsonException)
            {
                return false;
            }
        }
        return payload is JsonObject o && o["command"] is JsonValue c && c.TryGetValue<string>(out var command) && command == StartCommand;
    }

    /// <summary>VK's lang_id: 0 Russian, 3 English (others fall back to the default language).</summary>
    private static string? Language(JsonNode? clientInfo) =>
        clientInfo?["lang_id"] is JsonValue v && v.TryGetValue<int>(out var lang) ? lang switch { 3 => "en", 0 => "ru", _ => null } : null;

    private static string FirstAttachmentType(JsonObject message) =>
        message["attachments"] is JsonArray { Count: > 0 } list && list[0]?["type"] is JsonValue t && t.TryGetValue<string>(out var s) && s.Length <= 40
            ? s : "attachment";

    internal static long Long(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<long>(out var n) ? n
        : v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) ? p : 0
        : 0;

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);
}
