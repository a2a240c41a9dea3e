using ConsultBot.Domain.Announcements;
using ConsultBot.Host.Announcements;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// An announcement through the fake Bot API and the real host: an administrator announces to a class of three students,
/// one of whom blocked the bot (the fake answers 403 for that chat). Two get it, the blocked one is tried once and
/// counted unreachable, and the report job tells the administrator exactly once. A teacher sees only the class they
/// teach and a forged press for another class stores nothing; an audience nobody would receive is refused.
/// </summary>
public sealed class TelegramAnnouncementTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly TelegramUser _admin = new(8001);
    private readonly TelegramUser _anna = new(8002);
    private readonly TelegramUser _boris = new(8003);
    private readonly TelegramUser _vera = new(8004);
    private readonly TelegramUser _other = new(8005);
    private readonly TelegramUser _teacher = new(8006);
    private long _7a;
    private long _7b;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _7a = await AddGroupAsync("7А");
        _7b = await AddGroupAsync("7Б");
        await AddPersonAsync(_admin, "admin", "Директор Ольга Петровна", null);
        await AddPersonAsync(_anna, "student", "Белова Анна", _7a);
        await AddPersonAsync(_boris, "student", "Волков Борис", _7a);
        await AddPersonAsync(_vera, "student", "Громова Вера", _7a);
        await AddPersonAsync(_other, "student", "Дятлов Денис", _7b);
        var teacher = await AddPersonAsync(_teacher, "teacher", "Петрова Анна Сергеевна", null);
        var subject = await Db.ScalarAsync<long>("INSERT INTO subjects (name) VALUES ('Математика') RETURNING id");
        await Db.ExecuteAsync(
            """
            INSERT INTO lessons (group_id, day, starts_at, ends_at, origin_starts_at, subject_id, teacher_id)
            VALUES (@g, '2026-11-26', '2026-11-26 06:00Z', '2026-11-26 06:45Z', '2026-11-26 06:00Z', @s, @t)
            """, ("g", _7a), ("s", subject), ("t", teacher));
        await StartWebhookAsync();
    }

    private async Task<long> AddPersonAsync(TelegramUser user, string role, string name, long? group)
    {
        var id = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, group_id, consented_at) VALUES (@r, 'active', @n, @g, now()) RETURNING id",
            ("r", role), ("n", name), ("g", (object?)group ?? DBNull.Value));
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)", ("s", user.Key), ("p", id));
        return id;
    }

    private async Task<FakeSentMessage> PressNextAsync(TelegramUser user, FakeSentMessage message, string label)
    {
        await PressAsync(user, message, label);
        return await NextMessageAsync(user);
    }

    [Fact]
    public async Task AdminAnnouncesToAClass_TwoDelivered_TheBlockedOneUnreachableWithoutRetry_AndTheAdminGetsTheSummaryOnce()
    {
        Telegram.FailNextForChat(_boris.Id, FakeFault.BlockedByUser(), count: 100);

        await SendAsync(TelegramUpdates.Text(_admin.Id, "/announce"));
        var audience = await NextMessageAsync(_admin);
        Assert.Equal(Ru.AskAnnouncementAudience, audience.Text);
        var groups = await PressNextAsync(_admin, audience, Ru.AudienceButton(AnnouncementAudience.Group));
        var ask = await PressNextAsync(_admin, groups, "7А");
        Assert.Equal(Ru.AskAnnouncementText("7А (ученики и родители)", 3500), ask.Text);
        await SendAsync(TelegramUpdates.Text(_admin.Id, "Завтра, 26 ноября, уроки начнутся в 9:00."));
        var preview = await NextMessageAsync(_admin);
        const string Body = "📣 Объявление · Директор Ольга Петровна\n\nЗавтра, 26 ноября, уроки начнутся в 9:00.";
        Assert.Equal(Ru.AnnouncementPreview("7А (ученики и родители)", 3, 0, Body), preview.Text);

        var send = preview.Button(Ru.SendAnnouncement).CallbackData;
        await PressDataAsync(_admin, send);
        Assert.Equal(Ru.AnnouncementQueued("7А (ученики и родители)", 3), (await NextMessageAsync(_admin)).Text);
        var again = await PressDataAsync(_admin, send); // a double press
        Assert.Equal(Ru.ButtonStale, (await AnswerToAsync(again)).Text);

        Assert.Equal(Body, (await NextMessageAsync(_anna)).Text);
        Assert.Equal(Body, (await NextMessageAsync(_vera)).Text);
        var blocked = await EventuallyAsync(() => OutboxAsync(_boris.Id), r => r.Count == 1 && r[0].Status is not ("pending" or "sending"),
            "the blocked student's row to be tried");
        Assert.Equal(("undeliverable", 1), (blocked[0].Status, blocked[0].Attempts));
        Assert.Equal(1, Telegram.FaultCount("sendMessage"));
        Assert.Empty(Telegram.MessagesTo(_boris.Id));
        Assert.Empty(Telegram.MessagesTo(_other.Id));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM announcements"));
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM outbox WHERE announcement_id IS NOT NULL"));
        await EventuallyAsync(() => CountAsync("SELECT count(*) FROM outbox WHERE announcement_id IS NOT NULL AND status = 'sent'"), n => n == 2,
            "both deliveries to be recorded");

        var job = Host!.Services.GetRequiredService<AnnouncementReportsJob>();
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        var summary = await NextMessageAsync(_admin);
        Assert.Equal(Ru.AnnouncementReport("7А (ученики и родители)", "Завтра, 26 ноября, уроки начнутся в 9:00…", 2, 1, 0), summary.Text);
        Assert.Contains("Доставлено: 2.", summary.Text, StringComparison.Ordinal);
        Assert.Contains("Недоступны (заблокировали бота или нет мессенджера): 1.", summary.Text, StringComparison.Ordinal);
        await EventuallyAsync(() => CountAsync("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"), n => n == 0, "the outbox to drain");
        Assert.Equal(_admin.Seen, Telegram.MessagesTo(_admin.Id).Count); // no second summary

        // The administrator's list shows it with its counts.
        await SendAsync(TelegramUpdates.Text(_admin.Id, "/menu"));
        var menu = await NextMessageAsync(_admin);
        var recent = await PressNextAsync(_admin, menu, Ru.MenuRecentAnnouncements);
        Assert.Contains("Директор Ольга Петровна → 7А (ученики и родители)", recent.Text, StringComparison.Ordinal);
        Assert.Contains("Получателей: 3, доставлено: 2, недоступны: 1", recent.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeacherSeesOnlyTheirClass_AndAForgedPressForAnotherClassIsRefusedAndStoresNothing()
    {
        await SendAsync(TelegramUpdates.Text(_teacher.Id, "/announce"));
        var groups = await NextMessageAsync(_teacher);
        Assert.Equal(Ru.AskTeacherAnnouncementGroup, groups.Text);
        Assert.Equal(["7А"], groups.Buttons.Select(b => b.Text));

        var own = groups.Button("7А").CallbackData!;
        var forged = own[..(own.LastIndexOf(':') + 1)] + _7b.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var press = await PressDataAsync(_teacher, forged);

        Assert.Equal(Ru.NotYourGroup, (await AnswerToAsync(press)).Text);
        Assert.Equal(Ru.NotYourGroup, (await NextMessageAsync(_teacher)).Text);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM announcements"));
        Assert.Empty(Telegram.MessagesTo(_other.Id));
    }

    [Fact]
    public async Task AnnouncementToNobody_IsRefusedWithAFriendlyAnswer_AndStoresNothing()
    {
        await SendAsync(TelegramUpdates.Text(_admin.Id, "/announce"));
        var audience = await NextMessageAsync(_admin);
        await PressAsync(_admin, audience, Ru.AudienceButton(AnnouncementAudience.Parents)); // the school has no parents yet

        Assert.Equal(Ru.NobodyToReceive("все родители"), (await NextMessageAsync(_admin)).Text);
        Assert.Equal(Ru.AskAnnouncementAudience, (await NextMessageAsync(_admin)).Text);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM announcements"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox WHERE announcement_id IS NOT NULL"));
    }
}
