namespace ConsultBot.Domain.Messaging;

/// <summary>A messenger the bot talks through. Stored as lower-case text.</summary>
public enum Channel
{
    Telegram,
    Vk,
    Web,
}

public static class ChannelNames
{
    public static string ToKey(this Channel channel) => channel switch
    {
        Channel.Telegram => "telegram",
        Channel.Vk => "vk",
        Channel.Web => "web",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    public static Channel Parse(string key) => key switch
    {
        "telegram" => Channel.Telegram,
        "vk" => Channel.Vk,
        "web" => Channel.Web,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown channel"),
    };
}
