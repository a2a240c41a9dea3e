using System.Text;
using System.Text.Json.Nodes;
using ConsultBot.Domain.Messaging;

namespace ConsultBot.Host.Vk;

/// <summary>
/// Renders our channel-neutral <see cref="Keyboard"/> as VK inline keyboards of callback buttons, once for every
/// dialog. VK allows an inline keyboard at most 6 rows of 5 buttons and 10 buttons in all, labels of 40 characters
/// and payloads of 255 bytes (https://dev.vk.com/ru/api/bots/development/keyboard). A longer keyboard becomes several
/// pages, each sent as its own message, rows kept together where they fit.
/// </summary>
public static class VkKeyboards
{
    public const int MaxRows = 6;
    public const int MaxButtonsPerRow = 5;
    public const int MaxButtons = 10;
    public const int MaxLabelLength = 40;
    public const int MaxPayloadBytes = 255;

    /// <summary>The member of a button's JSON payload that carries our callback data.</summary>
    public const string PayloadKey = "c";

    /// <summary>One VK keyboard JSON per page; empty when there are no buttons.</summary>
    public static IReadOnlyList<string> Render(Keyboard? keyboard) =>
        Paginate(keyboard).Select(page => ToJson(page).ToJsonString(VkApiClient.Json)).ToList();

    /// <summary>Splits the rows into pages within VK's inline limits, keeping the buttons' order.</summary>
    public static IReadOnlyList<IReadOnlyList<IReadOnlyList<Button>>> Paginate(Keyboard? keyboard)
    {
        var pages = new List<IReadOnlyList<IReadOnlyList<Button>>>();
        if (keyboard is null)
        {
            return pages;
        }
        var rows = keyboard.Rows.Where(r => r.Count > 0).SelectMany(r => r.Chunk(MaxButtonsPerRow)).ToList();
        var current = new List<IReadOnlyList<Button>>();
        var buttons = 0;
        foreach (var row in rows)
        {
            if (current.Count == MaxRows || buttons + row.Length > MaxButtons)
            {
                pages.Add(current);
                current = [];
                buttons = 0;
            }
            current.Add(row);
            buttons += row.Length;
        }
        if (current.Count > 0)
        {
            pages.Add(current);
        }
        return pages;
    }

    internal static JsonObject ToJson(IReadOnlyList<IReadOnlyList<Button>> rows) => new()
    {
        ["inline"] = true,
        ["buttons"] = new JsonArray(rows.Select(row => (JsonNode)new JsonArray(row.Select(b => (JsonNode)new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "callback",
                ["label"] = Label(b.Label),
                ["payload"] = Payload(b.Payload),
            },
        }).ToArray())).ToArray()),
    };

    /// <summary>Labels over VK's limit are cut and end with "…".</summary>
    public static string Label(string label) => VkApiClient.Shorten(label, MaxLabelLength);

    /// <summary><c>{"c":"verb:1:args"}</c>: VK wants a JSON payload; ours are at most 64 bytes, far inside 255.</summary>
    public static string Payload(string data)
    {
        var json = new JsonObject { [PayloadKey] = data }.ToJsonString(VkApiClient.Json);
        return Encoding.UTF8.GetByteCount(json) <= MaxPayloadBytes
            ? json
            : throw new ArgumentException("A button payload is longer than VK allows", nameof(data));
    }

    /// <summary>Our callback data from a VK payload (a JSON object or its text); null when it is not ours.</summary>
    public static string? CallbackData(JsonNode? payload)
    {
        if (payload is JsonValue text && text.TryGetValue<string>(out var s))
        {
            try
            {
                payload = JsonNode.Parse(s);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
        return payload is JsonObject o && o[PayloadKey] is JsonValue v && v.TryGetValue<string>(out var data) ? data : null;
    }
}
