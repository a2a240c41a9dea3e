using System.Text;
using System.Text.Json.Nodes;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Vk;
using ConsultBot.Tests.Fakes;

namespace ConsultBot.Tests.Vk;

public sealed class VkKeyboardsTests
{
    private static Button B(int i) => new($"Кнопка {i}", $"pick:1:{i}");

    [Fact]
    public void Render_MakesAnInlineKeyboardOfCallbackButtons_WithOurDataInThePayload()
    {
        var json = JsonNode.Parse(Assert.Single(VkKeyboards.Render(Keyboard.Of([B(1), B(2)], [B(3)]))))!.AsObject();

        Assert.True(json["inline"]!.GetValue<bool>());
        var rows = json["buttons"]!.AsArray();
        Assert.Equal(2, rows.Count);
        var action = rows[0]![1]!["action"]!;
        Assert.Equal("callback", action["type"]!.GetValue<string>());
        Assert.Equal("Кнопка 2", action["label"]!.GetValue<string>());
        Assert.Equal("{\"c\":\"pick:1:2\"}", action["payload"]!.GetValue<string>());
        Assert.Null(FakeVkApi.KeyboardProblem(json));
    }

    [Fact]
    public void Render_ReturnsNothing_WhenThereAreNoButtons()
    {
        Assert.Empty(VkKeyboards.Render(null));
        Assert.Empty(VkKeyboards.Render(Keyboard.Of()));
    }

    [Fact]
    public void Label_IsCutTo40CharactersWithAnEllipsis_WhenLonger()
    {
        var label = VkKeyboards.Label(new string('ж', 55));

        Assert.Equal(40, label.Length);
        Assert.EndsWith("…", label, StringComparison.Ordinal);
        Assert.Equal("коротко", VkKeyboards.Label("коротко"));
    }

    [Fact]
    public void Payload_StaysWithin255Bytes_ForOurLongest64BytePayload()
    {
        var data = "x:1:" + new string('я', 30); // 64 bytes of UTF-8

        Assert.True(Encoding.UTF8.GetByteCount(VkKeyboards.Payload(data)) <= VkKeyboards.MaxPayloadBytes);
        Assert.Equal(data, VkKeyboards.CallbackData(JsonNode.Parse(VkKeyboards.Payload(data))));
    }

    [Fact]
    public void Paginate_SplitsAColumnOf15Buttons_IntoPagesOfAtMost6RowsAnd10Buttons()
    {
        var pages = VkKeyboards.Paginate(Keyboard.Column(Enumerable.Range(1, 15).Select(B)));

        Assert.Equal([6, 6, 3], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(1, 15).Select(i => $"pick:1:{i}"), pages.SelectMany(p => p.SelectMany(r => r)).Select(b => b.Payload));
    }

    [Fact]
    public void Paginate_SplitsWideRowsInto5s_AndKeepsTotalsWithin10()
    {
        var pages = VkKeyboards.Paginate(Keyboard.Of(Enumerable.Range(1, 7).Select(B).ToArray(), Enumerable.Range(8, 7).Select(B).ToArray()));

        Assert.All(pages, p =>
        {
            Assert.True(p.Count <= VkKeyboards.MaxRows);
            Assert.All(p, r => Assert.InRange(r.Count, 1, VkKeyboards.MaxButtonsPerRow));
            Assert.True(p.Sum(r => r.Count) <= VkKeyboards.MaxButtons);
        });
        Assert.Equal(14, pages.Sum(p => p.Sum(r => r.Count)));
        Assert.All(VkKeyboards.Render(Keyboard.Of(Enumerable.Range(1, 7).Select(B).ToArray())),
            json => Assert.Null(FakeVkApi.KeyboardProblem(JsonNode.Parse(json)!.AsObject())));
    }

    [Theory]
    [InlineData("{\"c\":\"a:1:b\"}", "a:1:b")]
    [InlineData("{\"command\":\"start\"}", null)]
    [InlineData("{\"c\":5}", null)]
    [InlineData("not json", null)]
    public void CallbackData_ReadsOnlyOurPayloads(string payloadText, string? expected) =>
        Assert.Equal(expected, VkKeyboards.CallbackData(JsonValue.Create(payloadText)));
}
