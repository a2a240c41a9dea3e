using ConsultBot.Domain.Reports;
using ConsultBot.Host.Reports;
using Microsoft.Extensions.DependencyInjection;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using ConsultBot.Tests.Reports;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>/report in Telegram through the fake Bot API: the CSV arrives by sendDocument and its bytes read back as the report.</summary>
public sealed class TelegramReportTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly TelegramUser _admin = new(7001);
    private readonly TelegramUser _student = new(7002);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var group = await AddGroupAsync("7Б");
        await AddPersonAsync(_admin, "admin", "Директор Школы", null);
        await AddPersonAsync(_student, "student", "Белова Анна", group);
        await StartWebhookAsync(new Dictionary<string, string?> { ["School:TimeZone"] = "Europe/Moscow" });
    }

    private async Task AddPersonAsync(TelegramUser user, string role, string name, long? group)
    {
        var id = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, group_id, consented_at) VALUES (@r, 'active', @n, @g, now()) RETURNING id",
            ("r", role), ("n", name), ("g", (object?)group ?? DBNull.Value));
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)", ("s", user.Key), ("p", id));
    }

    [Fact]
    public async Task Report_DeliversTheCsvBySendDocument_WhoseBytesReadBackAsTheMonthsRows()
    {
        // The student's two messages this month are what the report counts for her.
        await SendAsync(TelegramUpdates.Text(_student.Id, "/help"));
        await SendAsync(TelegramUpdates.Text(_student.Id, "/profile"));
        await NextMessagesAsync(_student, 2);

        await SendAsync(TelegramUpdates.Text(_admin.Id, "/report"));
        var picker = await NextMessageAsync(_admin);
        var month = ReportMonth.Of(DateTimeOffset.UtcNow, Moscow);
        await PressAsync(_admin, picker, Ru.ReportSoFarButton(month));
        var reply = await NextMessageAsync(_admin);

        Assert.NotNull(reply.Document);
        Assert.Equal(1, Telegram.CallCount("sendDocument"));
        Assert.Equal($"activity-{month.Key}.csv", reply.Document.FileName);
        Assert.Equal(Ru.ReportCaption(month, 1, 0, soFar: true), reply.Text);
        var rows = CsvRows.Parse(reply.Document.Content);
        Assert.Equal(Ru.ReportHeader, rows[0]);
        Assert.Equal(["ученик", "Белова Анна", "7Б", "1", "2", "0", "0", "", "0", "", "0", "0", ""], Assert.Single(rows.Skip(1)));
    }

    [Fact]
    public async Task MonthlyJob_DeliversOneDocumentPerAdministrator_WhenItRunsTwice()
    {
        await Db.ExecuteAsync("DELETE FROM monthly_reports"); // the fixture's reset does not know this table
        var deputy = new TelegramUser(7003);
        await AddPersonAsync(deputy, "admin", "Завуч Школы", null);
        var job = Host!.Services.GetRequiredService<MonthlyReportJob>();
        var month = ReportMonth.Of(DateTimeOffset.UtcNow, Moscow).Previous;

        await job.RunAsync(CancellationToken.None);
        await job.RunAsync(CancellationToken.None);

        var toAdmin = await NextMessageAsync(_admin);
        var toDeputy = await NextMessageAsync(deputy);
        await EventuallyAsync(() => CountAsync("SELECT count(*) FROM outbox WHERE status <> 'sent'"), n => n == 0, "the outbox to drain");
        Assert.Equal(2, Telegram.CallCount("sendDocument"));
        Assert.All([toAdmin, toDeputy], m => Assert.Equal(ActivityCsv.FileName(month), m.Document?.FileName));
        Assert.Equal(Ru.MonthlyReportCaption(month, 0, 0), toAdmin.Text);
        Assert.Empty(Telegram.MessagesTo(_student.Id));
    }

    [Fact]
    public async Task Report_ExplainsAndSendsNoFile_For13Slash2026_OrAFutureMonth()
    {
        var future = ReportMonth.Of(DateTimeOffset.UtcNow, Moscow).FirstDay.AddMonths(2);

        await SendAsync(TelegramUpdates.Text(_admin.Id, "/report 13/2026"));
        await SendAsync(TelegramUpdates.Text(_admin.Id, $"/report {future:MM.yyyy}"));
        var replies = await NextMessagesAsync(_admin, 2);

        Assert.Equal(Ru.ReportMonthInvalid("13/2026"), replies[0].Text);
        Assert.Equal(Ru.ReportMonthInFuture(ReportMonth.FromDate(future)), replies[1].Text);
        Assert.All(replies, r => Assert.Null(r.Document));
        Assert.Equal(0, Telegram.CallCount("sendDocument"));
    }

    [Fact]
    public async Task Report_IsNotAllowed_ForAStudent()
    {
        await SendAsync(TelegramUpdates.Text(_student.Id, "/report 11.2026"));

        Assert.Equal(Ru.NotAllowed, (await NextMessageAsync(_student)).Text);
        Assert.Equal(0, Telegram.CallCount("sendDocument"));
    }

    [Fact]
    public async Task Report_IsDeliveredOnce_AfterTelegramAnswers429ToTheDocument()
    {
        Telegram.FailNextForChat(_admin.Id, FakeFault.TooManyRequests(retryAfterSeconds: 1), method: "sendDocument");

        await SendAsync(TelegramUpdates.Text(_admin.Id, "/report " + ReportMonth.Of(DateTimeOffset.UtcNow, Moscow).Previous.Key));
        var reply = await NextMessageAsync(_admin);

        Assert.NotNull(reply.Document);
        Assert.Equal(2, Telegram.CallCount("sendDocument"));
        Assert.Single(Telegram.MessagesTo(_admin.Id));
        Assert.Equal("sent", (await EventuallyAsync(() => OutboxAsync(_admin.Id), r => r.All(x => x.Status == "sent"), "the row marked sent"))[0].Status);
    }
}
