using System.Globalization;
using System.Text;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>An administrator sends the timetable file to the bot through the fake Bot API: getFile, the download, the import and the answer.</summary>
public sealed class TelegramTimetableTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly TelegramUser _admin = new(6001);
    private readonly TelegramUser _teacher = new(6002);
    private static readonly DateOnly TermStart = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddGroupAsync("5А");
        await AddPersonAsync(_admin, "admin", "Директор Школы");
        await AddPersonAsync(_teacher, "teacher", "Иванова Анна");
        await StartWebhookAsync(new Dictionary<string, string?>
        {
            ["School:TimeZone"] = "Europe/Moscow",
            ["Timetable:TermStart"] = TermStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Timetable:TermEnd"] = TermStart.AddDays(27).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
    }

    private async Task AddPersonAsync(TelegramUser user, string role, string name)
    {
        var id = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES (@r, 'active', @n, now()) RETURNING id", ("r", role), ("n", name));
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)",
            ("s", user.Key), ("p", id));
    }

    private async Task<FakeSentMessage> SendFileAsync(TelegramUser user, string fileId, byte[] content, long? reportedSize)
    {
        Telegram.RegisterFile(fileId, content);
        await SendAsync(TelegramUpdates.Document(user.Id, fileId, "timetable.csv", reportedSize));
        return await NextMessageAsync(user);
    }

    [Fact]
    public async Task AdminSendsTimetable_GetsCounts_AndTheSameFileAgainChangesNothing()
    {
        var cp1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;
        var file = cp1251.GetBytes("класс;день;начало;конец;предмет;учитель;кабинет;ссылка\r\n5А;пн;8:30;9:15;Математика;Иванова Анна;12;\r\n5А;вт;8:30;9:15;Русский язык;;;https://meet.example.org/5a\r\n");

        var answer = await SendFileAsync(_admin, "tt-1", file, file.Length);

        Assert.Equal(Ru.TimetableImported(new(8, 0, 0, 0)), answer.Text);
        Assert.Equal(8L, await CountAsync("SELECT count(*) FROM lessons"));
        Assert.Equal(4L, await CountAsync("SELECT count(*) FROM lessons l JOIN subjects s ON s.id = l.subject_id WHERE s.name = 'Русский язык'"));
        Assert.Equal(1, Telegram.FileDownloads);

        var again = await SendFileAsync(_admin, "tt-2", file, null);

        Assert.Equal(Ru.TimetableImported(new(0, 0, 0, 8)), again.Text);
    }

    [Fact]
    public async Task AdminSendsBadFile_GetsLineNumberedErrors_AndNothingIsStored()
    {
        var file = Encoding.UTF8.GetBytes("класс;день;начало;конец;предмет;учитель\n5А;пн;8.30;9:15;Математика;\n9Я;вт;8:30;9:15;Математика;\n5А;ср;9:15;8:30;Математика;\n");

        var answer = await SendFileAsync(_admin, "tt-bad", file, file.Length);

        Assert.StartsWith(Ru.TimetableRejected([], 0).TrimEnd(), answer.Text, StringComparison.Ordinal);
        Assert.Contains("Строка 2: непонятное время «8.30»", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Строка 4: урок заканчивается раньше", answer.Text, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM lessons"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM subjects"));
    }

    [Fact]
    public async Task TenMegabyteFile_IsRefusedBySize_BeforeDownloading()
    {
        var big = new byte[10 * 1024 * 1024];

        var answer = await SendFileAsync(_admin, "tt-big", big, big.Length);

        Assert.Equal(Ru.TimetableTooLarge(2048), answer.Text);
        Assert.Equal(0, Telegram.FileDownloads);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM lessons"));
    }

    [Fact]
    public async Task TenMegabyteFile_WithoutReportedSize_IsRefused()
    {
        var big = Encoding.UTF8.GetBytes("класс;день;начало;конец;предмет\n" + string.Concat(Enumerable.Repeat("5А;пн;8:30;9:15;Математика\n", 400_000)));

        var answer = await SendFileAsync(_admin, "tt-big2", big, null);

        Assert.Equal(Ru.TimetableCannotRead(2048), answer.Text);
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM lessons"));
    }

    [Fact]
    public async Task TeacherSendingAFile_GetsTheUnsupportedAnswer()
    {
        var answer = await SendFileAsync(_teacher, "tt-t", Encoding.UTF8.GetBytes("класс;день\n"), 10);

        Assert.Equal(Ru.UnsupportedContent, answer.Text);
        Assert.Equal(0, Telegram.FileDownloads);
    }

    [Fact]
    public async Task TimetableCommand_ExplainsTheFormat()
    {
        await SendAsync(TelegramUpdates.Text(_admin.Id, "/timetable"));
        var answer = await NextMessageAsync(_admin);

        Assert.Equal(Ru.TimetableHelp(2048), answer.Text);
    }
}
