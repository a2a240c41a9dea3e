using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Timetable;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using ConsultBot.Tests.Playground;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// One person in two messengers, end to end: a student registered in Telegram (fake Bot API) attaches the web
/// playground with a /link code; there is still one person, with two accounts; the daily lesson reminder goes to the
/// preferred messenger only, and after switching the preference in /settings the next one goes to the other, once.
/// </summary>
public sealed partial class TelegramLinkPlaygroundTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private const string WebUser = "student1";
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly TelegramUser _admin = new(7101);
    private readonly TelegramUser _anna = new(7103);
    private readonly DateOnly _day1 = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime).AddDays(1);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [GeneratedRegex("[A-Z2-9]{4}-[A-Z2-9]{4}")]
    private static partial Regex CodePattern();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SchoolTime = _clock;
        await AddGroupAsync("5А");
        var admin = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('admin', 'active', 'Директор Школы', now()) RETURNING id");
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)",
            ("s", _admin.Key), ("p", admin));
        await StartWebhookAsync(new Dictionary<string, string?>
        {
            ["Playground:Enabled"] = "true",
            ["School:TimeZone"] = "Europe/Moscow",
            ["Timetable:TermStart"] = _day1.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Timetable:TermEnd"] = _day1.AddDays(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
    }

    private void SetSchoolTime(DateOnly day, int hour, int minute)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        _clock.SetUtcNow(new DateTimeOffset(local, Moscow.GetUtcOffset(local)).ToUniversalTime());
    }

    private async Task<FakeSentMessage> SayAsync(TelegramUser user, string text)
    {
        await SendAsync(TelegramUpdates.Text(user.Id, text));
        return await NextMessageAsync(user);
    }

    private Task<long> RemindersAsync(string channel, string chat) =>
        CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%' AND channel = @c AND chat_id = @chat", ("c", channel), ("chat", chat));

    [Fact]
    public async Task LinkedPlayground_GetsTheReminder_OnlyWhenPreferred()
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

        // /link in Telegram; the code entered in the playground, confirmed; Telegram is told.
        var code = CodePattern().Match((await SayAsync(_anna, "/link")).Text).Value;
        Assert.NotEmpty(code);
        var web = new PlaygroundChat(HostClient, WebUser);
        await web.SendTextAsync("/link " + code);
        var confirm = await web.WaitForAsync("«Анна Белова»");
        await web.PressAsync(confirm, label => label.Contains(Ru.LinkYes, StringComparison.Ordinal));
        await web.WaitForAsync(Ru.LinkDone("Анна Белова", Channel.Web));
        Assert.Equal(Ru.LinkDoneElsewhere(Channel.Web), (await NextMessageAsync(_anna)).Text);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM persons WHERE full_name = 'Анна Белова'"));
        Assert.Equal(2, await CountAsync(
            "SELECT count(*) FROM accounts a JOIN persons p ON p.id = a.person_id WHERE p.full_name = 'Анна Белова'"));

        // Day 1: the reminder goes to Telegram (preferred since registration), once.
        var reminders = Host!.Services.GetRequiredService<DailyRemindersJob>();
        SetSchoolTime(_day1, 7, 31);
        await reminders.RunAsync(CancellationToken.None);
        await reminders.RunAsync(CancellationToken.None);
        Assert.Contains("Математика", (await NextMessageAsync(_anna)).Text, StringComparison.Ordinal);
        Assert.Equal(1, await RemindersAsync("telegram", _anna.Key));
        Assert.Equal(0, await RemindersAsync("web", WebUser));

        // The playground becomes the preferred messenger (chosen in Telegram's /settings).
        var settings = await SayAsync(_anna, "/settings");
        Assert.Contains(Ru.SettingsMessengerLine(Channel.Telegram, gets: true, reachable: true), settings.Text, StringComparison.Ordinal);
        await PressAsync(_anna, settings, Ru.SettingsPreferButton(Channel.Web, current: false));
        var updated = await NextMessageAsync(_anna);
        Assert.Contains(Ru.SettingsMessengerLine(Channel.Web, gets: true, reachable: true), updated.Text, StringComparison.Ordinal);

        // Day 2: the reminder goes to the playground only, once.
        SetSchoolTime(_day1.AddDays(1), 7, 31);
        await reminders.RunAsync(CancellationToken.None);
        await reminders.RunAsync(CancellationToken.None);
        var reminder = await web.WaitForAsync("📚 Уроки");
        Assert.Contains("Физика", reminder.GetProperty("body").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await RemindersAsync("telegram", _anna.Key));
        Assert.Equal(1, await RemindersAsync("web", WebUser));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'daily:%'"));
    }
}
