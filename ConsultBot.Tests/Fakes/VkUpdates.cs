using System.Text.Json.Nodes;

namespace ConsultBot.Tests.Fakes;

/// <summary>VK events as API 5.199 sends them (Bots Long Poll and the Callback API share the shape).</summary>
public static class VkUpdates
{
    private static long _nextMessageId = 1000;

    public static JsonObject Text(long userId, string text, long? peerId = null) => MessageNew(userId, peerId ?? userId, text, null, null);

    public static JsonObject Attachment(long userId, string type = "photo") =>
        MessageNew(userId, userId, string.Empty, new JsonArray(new JsonObject { ["type"] = type, [type] = new JsonObject { ["id"] = 1 } }), null);

    /// <summary>The "Start" button VK shows in a new dialog: no text of ours, a <c>{"command":"start"}</c> payload.</summary>
    public static JsonObject StartButton(long userId) => MessageNew(userId, userId, "Начать", null, "{\"command\":\"start\"}");

    /// <summary>A callback button press (message_event) with this payload (usually <c>{"c":…}</c>).</summary>
    public static JsonObject Press(long userId, JsonNode payload, long? peerId = null) => new()
    {
        ["type"] = "message_event",
        ["object"] = new JsonObject
        {
            ["user_id"] = userId,
            ["peer_id"] = peerId ?? userId,
            ["event_id"] = "b" + Guid.NewGuid().ToString("N")[..12],
            ["payload"] = payload.DeepClone(),
            ["conversation_message_id"] = 1,
        },
    };

    public static JsonObject Allow(long userId) => new() { ["type"] = "message_allow", ["object"] = new JsonObject { ["user_id"] = userId, ["key"] = "k" } };

    public static JsonObject Deny(long userId) => new() { ["type"] = "message_deny", ["object"] = new JsonObject { ["user_id"] = userId } };

    public static string ButtonEventId(JsonObject press) => press["object"]!["event_id"]!.GetValue<string>();

    private static JsonObject MessageNew(long userId, long peerId, string text, JsonArray? attachments, string? payload)
    {
        var message = new JsonObject
        {
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["from_id"] = userId,
            ["id"] = Interlocked.Increment(ref _nextMessageId),
            ["out"] = 0,
            ["peer_id"] = peerId,
            ["text"] = text,
            ["conversation_message_id"] = 1,
            ["attachments"] = attachments ?? [],
            ["is_hidden"] = false,
        };
        if (payload is not null)
        {
            message["payload"] = payload;
        }
        return new JsonObject
        {
            ["type"] = "message_new",
            ["object"] = new JsonObject
            {
                ["message"] = message,
                ["client_info"] = new JsonObject
                {
                    ["button_actions"] = new JsonArray("text", "vkpay", "open_app", "location", "open_link", "callback"),
                    ["keyboard"] = true,
                    ["inline_keyboard"] = true,
                    ["carousel"] = true,
                    ["lang_id"] = 0,
                },
            },
        };
    }
}
