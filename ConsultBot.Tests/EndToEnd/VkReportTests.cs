using ConsultBot.Domain.Reports;
using ConsultBot.Tests.Infrastructure;
using ConsultBot.Tests.Reports;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>/report from an administrator in VK: the CSV arrives as a document attached to messages.send.</summary>
public sealed class VkReportTests(PostgresFixture db) : VkEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly VkTestUser _admin = new(380001);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var id = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('admin', 'active', 'Директор Школы', now()) RETURNING id");
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('vk', @s, @s, @p)", ("s", _admin.Key), ("p", id));
        await StartCallbackAsync(new Dictionary<string, string?> { ["School:TimeZone"] = "Europe/Moscow" });
    }

    [Fact]
    public async Task Report_ArrivesAsAVkDocument_WhoseBytesAreTheCsv()
    {
        var month = ReportMonth.Of(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).Previous;

        var reply = await SayAsync(_admin, "/report " + month.Key);

        Assert.NotNull(reply.Document);
        Assert.Equal(ActivityCsv.FileName(month), reply.Document.FileName);
        Assert.Equal(Ru.ReportCaption(month, 0, 0, soFar: false), reply.Text);
        Assert.Equal(Ru.ReportHeader, Assert.Single(CsvRows.Parse(reply.Document.Content)));
        Assert.Equal(1, Vk.Calls("docs.save"));
    }
}
