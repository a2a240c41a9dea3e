using ConsultBot.Domain.Materials;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// Materials through the fake Bot API and the real host: a teacher posts a material for one class in the chat, the
/// students of that class receive it and the other class does not, and /materials shows it. The dispatcher's polling
/// is slowed to a minute, so the delivery proves the publish wakes it.
/// </summary>
public sealed class TelegramMaterialTests(PostgresFixture db) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly TelegramUser _teacher = new(6001);
    private readonly TelegramUser _anna = new(6002);
    private readonly TelegramUser _boris = new(6003);
    private readonly TelegramUser _vera = new(6004);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AddGroupAsync("7А");
        await AddGroupAsync("7Б");
        await Db.ExecuteAsync("INSERT INTO subjects (name) VALUES ('Математика')");
        var teacherId = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('teacher', 'active', 'Петрова Анна Сергеевна', now()) RETURNING id");
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('telegram', @s, @s, @p)",
            ("s", _teacher.Key), ("p", teacherId));
        await StartWebhookAsync(new Dictionary<string, string?> { ["Outbox:PollIntervalMs"] = "60000" });
    }

    private async Task<FakeSentMessage> SayAsync(TelegramUser user, string text)
    {
        await SendAsync(TelegramUpdates.Text(user.Id, text));
        return await NextMessageAsync(user);
    }

    private async Task<FakeSentMessage> PressNextAsync(TelegramUser user, FakeSentMessage message, string label)
    {
        var button = message.Buttons.FirstOrDefault(b => b.Text == label)
            ?? message.Buttons.FirstOrDefault(b => b.Text.Contains(label, StringComparison.Ordinal))
            ?? message.Button(label);
        await PressDataAsync(user, button.CallbackData);
        return await NextMessageAsync(user);
    }

    [Fact]
    public async Task TeacherPostsForOneClass_ItsStudentsReceiveIt_TheOtherClassDoesNot_AndMaterialsShowsIt()
    {
        await RegisterStudentAsync(_anna, "Анна Белова", "7А");
        await RegisterStudentAsync(_vera, "Вера Громова", "7А");
        await RegisterStudentAsync(_boris, "Борис Волков", "7Б");

        var subject = await SayAsync(_teacher, "/material");
        Assert.Equal(Ru.AskSubject, subject.Text);
        var groups = await PressNextAsync(_teacher, subject, "Математика");
        groups = await PressNextAsync(_teacher, groups, "7А");
        Assert.Contains(groups.Buttons, b => b.Text == "✓ 7А");
        var kind = await PressNextAsync(_teacher, groups, Ru.GroupsDone(1));
        var title = await PressNextAsync(_teacher, kind, "задание");
        Assert.Equal(Ru.AskMaterialTitle(200), title.Text);
        var link = await SayAsync(_teacher, "Дроби: задачи");
        Assert.Equal(Ru.MaterialLinkError(LinkError.NotHttp, 2048), (await SayAsync(_teacher, "javascript:alert(1)")).Text);
        var description = await SayAsync(_teacher, "https://edu.example.org/fractions");
        var due = await PressNextAsync(_teacher, description, Ru.Skip);
        Assert.Equal(Ru.AskDueDate, due.Text);
        var lesson = await PressNextAsync(_teacher, due, Ru.Skip);
        var card = await PressNextAsync(_teacher, lesson, Ru.Skip);
        Assert.Contains("«Дроби: задачи»", card.Text, StringComparison.Ordinal);

        var before = await CountAsync("SELECT coalesce(max(id), 0) FROM outbox");
        var published = await PressNextAsync(_teacher, card, Ru.Publish);

        Assert.StartsWith("Опубликовано ✅ Получателей: 2.", published.Text, StringComparison.Ordinal);
        var notices = new List<FakeSentMessage>();
        foreach (var student in new[] { _anna, _vera })
        {
            var notice = await NextMessageAsync(student);
            notices.Add(notice);
            Assert.StartsWith("Новый материал от учителя", notice.Text, StringComparison.Ordinal);
            Assert.Contains("https://edu.example.org/fractions", notice.Text, StringComparison.Ordinal);
            Assert.Contains("Классы: 7А", notice.Text, StringComparison.Ordinal);
        }
        // The delivery rows were written in the publish's transaction (sent rows keep no text): two, none to the other class.
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM outbox WHERE id > @before AND chat_id <> @teacher",
            ("before", before), ("teacher", _teacher.Key)));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM outbox WHERE id > @before AND chat_id = @boris",
            ("before", before), ("boris", _boris.Key)));

        var subjects = await SayAsync(_anna, "/materials");
        var page = await PressNextAsync(_anna, subjects, "Математика");
        Assert.StartsWith("📚 Математика: материалов 1, страница 1 из 1", page.Text, StringComparison.Ordinal);
        Assert.Contains("📝 Задание · Математика\n«Дроби: задачи»\n🔗 https://edu.example.org/fractions", page.Text, StringComparison.Ordinal);

        var fromNotice = await PressNextAsync(_vera, notices[1], Ru.MenuMaterials);
        Assert.StartsWith("📚 Математика: материалов 1", fromNotice.Text, StringComparison.Ordinal);

        var none = await SayAsync(_boris, "/materials");
        Assert.Equal(Ru.NoMaterials, none.Text);
        Assert.DoesNotContain(Telegram.MessagesTo(_boris.Id), m => m.Text.Contains("Дроби", StringComparison.Ordinal));
    }
}
