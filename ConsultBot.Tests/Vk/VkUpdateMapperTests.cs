using System.Text.Json.Nodes;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Vk;
using ConsultBot.Tests.Fakes;

namespace ConsultBot.Tests.Vk;

public sealed class VkUpdateMapperTests
{
    private static JsonObject WithId(JsonObject update, string id = "ev-1")
    {
        update["event_id"] = id;
        update["group_id"] = 1;
        return update;
    }

    [Fact]
    public void Map_IsText_ForAPrivateMessage()
    {
        var e = VkUpdateMapper.Map(WithId(VkUpdates.Text(42, "/start")));

        Assert.Equal((Channel.Vk, "ev-1", EventKind.Text, "42", "42", "/start", "ru"),
            (e.Channel, e.UpdateId, e.Kind, e.SenderId, e.ChatId, e.Text, e.LanguageCode));
    }

    [Fact]
    public void Map_IsUnsupported_ForAMessageWithOnlyAnAttachment()
    {
        var e = VkUpdateMapper.Map(WithId(VkUpdates.Attachment(42, "sticker")));

        Assert.Equal(EventKind.Unsupported, e.Kind);
        Assert.Equal("sticker", e.ContentType);
        Assert.Null(e.Text);
    }

    [Fact]
    public void Map_IsGroupMessage_ForAPeerIdOfAConversation()
    {
        var e = VkUpdateMapper.Map(WithId(VkUpdates.Text(42, "бот?", peerId: 2_000_000_007)));

        Assert.Equal((EventKind.GroupMessage, "2000000007", "42"), (e.Kind, e.ChatId, e.SenderId));
    }

    [Fact]
    public void Map_IsCallback_ForAMessageEvent_WithOurDataAndTheButtonsEventId()
    {
        var press = WithId(VkUpdates.Press(42, JsonNode.Parse("{\"c\":\"role:1:student\"}")!));

        var e = VkUpdateMapper.Map(press);

        Assert.Equal((EventKind.Callback, "role:1:student", VkUpdates.ButtonEventId(press), "42", "42"),
            (e.Kind, e.CallbackData, e.CallbackId, e.SenderId, e.ChatId));
    }

    [Fact]
    public void Map_KeepsAForeignPayloadAsText_SoTheEngineRefusesIt()
    {
        var e = VkUpdateMapper.Map(WithId(VkUpdates.Press(42, JsonNode.Parse("{\"cmd\":\"buy\"}")!)));

        Assert.Equal(EventKind.Callback, e.Kind);
        Assert.Equal("{\"cmd\":\"buy\"}", e.CallbackData);
    }

    [Fact]
    public void Map_IsTextStart_ForVksStartButton() =>
        Assert.Equal("/start", VkUpdateMapper.Map(WithId(VkUpdates.StartButton(42))).Text);

    [Fact]
    public void Map_IsCallback_ForATextButtonWithOurPayload()
    {
        var update = WithId(VkUpdates.Text(42, "Ученик"));
        update["object"]!["message"]!["payload"] = "{\"c\":\"role:1:student\"}";

        var e = VkUpdateMapper.Map(update);

        Assert.Equal((EventKind.Callback, "role:1:student", null), (e.Kind, e.CallbackData, e.CallbackId));
    }

    [Fact]
    public void Map_AllowAndDeny_AreUnblockedAndBlocked()
    {
        Assert.Equal(EventKind.Unblocked, VkUpdateMapper.Map(WithId(VkUpdates.Allow(42))).Kind);
        Assert.Equal(EventKind.Blocked, VkUpdateMapper.Map(WithId(VkUpdates.Deny(42))).Kind);
    }

    [Fact]
    public void Map_IsIgnored_ForUnknownTypes()
    {
        var e = VkUpdateMapper.Map(WithId(new JsonObject { ["type"] = "wall_post_new", ["object"] = new JsonObject() }));

        Assert.Equal((EventKind.Ignored, "ev-1"), (e.Kind, e.UpdateId));
    }

    [Fact]
    public void EventId_IsAStableHash_WhenVkSentNone()
    {
        var update = VkUpdates.Text(42, "hi");

        Assert.Equal(VkUpdateMapper.EventId(update), VkUpdateMapper.EventId(JsonNode.Parse(update.ToJsonString())!.AsObject()));
    }
}
