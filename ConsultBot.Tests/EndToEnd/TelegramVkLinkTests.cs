using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Timetable;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// Telegram and VK in one host, each against its fake: a student registered in Telegram links their VK account with a
/// /link code; one person, two accounts; the daily reminder reaches the preferred messenger only (Telegram, then VK
/// after switching), exactly once each day.
/// </summary>
public sealed partial class TelegramVkLinkTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private const long VkUser = 515151;
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly TelegramUser _admin = new(7201);
    private readonly TelegramUser _anna = new(7203);
    private readonly DateOnly _day1 = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime).AddDays(1);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private FakeVkApi _vk = null!;

    [GeneratedRegex("[A-Z2-9]{4}-[A-Z2-9]{4}")]
    private static partial Regex CodePattern();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _vk = await FakeVkApi.StartAsync();
        SchoolTime = _clock;
        await AddGroupAsync("5А");
        var admin = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('admin', 'active', 'Директор Школы', now()) RETURNING id");
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)",
            ("s", _admin.Key), ("p", admin));
        await StartWebhookAsync(new Dictionary<string, string?>
        {
            ["School:TimeZone"] = "Europe/Moscow",
            ["Timetable:TermStart"] = _day1.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Timetable:TermEnd"] = _day1.AddDays(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Vk:GroupId"] = _vk.GroupId.ToString(CultureInfo.InvariantCulture),
            ["Vk:AccessToken"] = _vk.AccessToken,
            ["Vk:ApiBaseUrl"] = _vk.BaseUrl,
            ["Vk:RequestTimeoutSeconds"] = "2",
            ["Vk:LongPollWaitSeconds"] = "1",
        });
        await _vk.WaitUntilAsync(() => _vk.Calls("groups.getLongPollServer") > 0, Patience, () => "groups.getLongPollServer");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _vk.DisposeAsync();
    }

    private void SetSchoolTime(DateOnly day, int hour, int minute)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        _clock.SetUtcNow(new DateTimeOffset(local, Moscow.GetUtcOffset(local)).ToUniversalTime());
    }

    private Task<long> RemindersAsync(string channel, string chat) =>
        CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%' AND channel = @c AND chat_id = @chat", ("c", channel), ("chat", chat));

    [Fact]
    public async Task LinkedVkAccount_GetsTheReminder_OnlyWhenPreferred()
    {
        string D(DateOnly d) => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        var csv = Encoding.UTF8.GetBytes(
            "класс;день;начало;конец;предмет;учитель;кабинет;ссылка\n"
            + $"5А;{D(_day1)};8:30;9:15;Математика;;12;\n"
            + $"5А;{D(_day1.AddDays(1))};8:30;9:15;Физика;;14;\n");
        Telegram.RegisterFile("tt", csv);
        await SendAsync(TelegramUpdates.Document(_admin.Id, "tt", "timetable.csv", csv.Length));
        Assert.Equal(Ru.TimetableImported(new(2, 0, 0, 0)), (await NextMessageAsync(_admin)).Text);
        await RegisterStudentAsync(_anna, "Анна Белова", "5А");

        // /link in Telegram, the code typed in VK, confirmed with VK's callback button; Telegram is told.
        await SendAsync(TelegramUpdates.Text(_anna.Id, "/link"));
        var code = CodePattern().Match((await NextMessageAsync(_anna)).Text).Value;
        Assert.NotEmpty(code);
        _vk.Enqueue(VkUpdates.Text(VkUser, "/link " + code));
        var confirm = (await _vk.WaitForMessagesAsync(VkUser, 1, Patience))[0];
        Assert.Contains("«Анна Белова»", confirm.Text, StringComparison.Ordinal);
        _vk.Enqueue(VkUpdates.Press(VkUser, confirm.Button(Ru.LinkYes).Payload));
        var done = (await _vk.WaitForMessagesAsync(VkUser, 2, Patience))[1];
        Assert.Equal(Ru.LinkDone("Анна Белова", Channel.Vk), done.Text);
        Assert.Equal(Ru.LinkDoneElsewhere(Channel.Vk), (await NextMessageAsync(_anna)).Text);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM persons WHERE full_name = 'Анна Белова'"));
        Assert.Equal(2, await CountAsync(
            "SELECT count(*) FROM accounts a JOIN persons p ON p.id = a.person_id WHERE p.full_name = 'Анна Белова'"));

        // Day 1: Telegram (preferred since registration) gets the reminder, once; VK nothing.
        var reminders = Host!.Services.GetRequiredService<DailyRemindersJob>();
        SetSchoolTime(_day1, 7, 31);
        await reminders.RunAsync(CancellationToken.None);
        await reminders.RunAsync(CancellationToken.None);
        Assert.Contains("Математика", (await NextMessageAsync(_anna)).Text, StringComparison.Ordinal);
        Assert.Equal(1, await RemindersAsync("telegram", _anna.Key));
        Assert.Equal(0, await RemindersAsync("vk", VkUser.ToString(CultureInfo.InvariantCulture)));

        // VK becomes the preferred messenger (chosen in Telegram's /settings).
        await SendAsync(TelegramUpdates.Text(_anna.Id, "/settings"));
        var settings = await NextMessageAsync(_anna);
        await PressAsync(_anna, settings, Ru.SettingsPreferButton(Channel.Vk, current: false));
        Assert.Contains(Ru.SettingsMessengerLine(Channel.Vk, gets: true, reachable: true), (await NextMessageAsync(_anna)).Text,
            StringComparison.Ordinal);

        // Day 2: VK only, once.
        SetSchoolTime(_day1.AddDays(1), 7, 31);
        await reminders.RunAsync(CancellationToken.None);
        await reminders.RunAsync(CancellationToken.None);
        await _vk.WaitUntilAsync(() => _vk.SentTo(VkUser).Any(m => m.Text.StartsWith("📚 Уроки", StringComparison.Ordinal)), Patience,
            () => "the reminder in VK");
        var vkReminder = Assert.Single(_vk.SentTo(VkUser), m => m.Text.StartsWith("📚 Уроки", StringComparison.Ordinal));
        Assert.StartsWith("📚 Уроки", vkReminder.Text, StringComparison.Ordinal);
        Assert.Contains("Физика", vkReminder.Text, StringComparison.Ordinal);
        Assert.Equal(1, await RemindersAsync("telegram", _anna.Key));
        Assert.Equal(1, await RemindersAsync("vk", VkUser.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%'"));
    }
}
