using System.Globalization;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// A consultation published by a teacher and booked by a student, both in VK (by Bots Long Poll, and again by the
/// Callback API): the same dialogs and texts as in Telegram, buttons rendered as VK inline keyboards.
/// </summary>
public abstract class VkConsultationTests(PostgresFixture db) : VkEndToEndTest(db)
{
    /// <summary>Events posted to /vk/callback instead of queued for the long poll.</summary>
    protected abstract bool ThroughCallbackApi { get; }

    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private readonly VkTestUser _teacher = new(190501);
    private readonly VkTestUser _anna = new(190502);
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SchoolTime = _clock;
        await AddGroupAsync("7Б");
        await Db.ExecuteAsync("INSERT INTO subjects (name) VALUES ('Математика')");
        var teacherId = await Db.ScalarAsync<long>(
            "INSERT INTO persons (role, status, full_name, consented_at) VALUES ('teacher', 'active', 'Петрова Анна Сергеевна', now()) RETURNING id");
        await Db.ExecuteAsync("INSERT INTO accounts (channel, sender_id, chat_id, person_id) VALUES ('vk', @s, @s, @p)",
            ("s", _teacher.Key), ("p", teacherId));
        var settings = new Dictionary<string, string?> { ["School:TimeZone"] = "Europe/Moscow" };
        if (ThroughCallbackApi)
        {
            await StartCallbackAsync(settings);
        }
        else
        {
            await StartLongPollAsync(settings);
        }
    }

    private DateTimeOffset Start
    {
        get
        {
            var local = TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), Moscow).Date.AddDays(2).AddHours(15);
            return new DateTimeOffset(local, Moscow.GetUtcOffset(local));
        }
    }

    [Fact]
    public async Task TeacherPublishes_StudentBooks_TeacherIsNotified_AllInVk()
    {
        var subject = await SayAsync(_teacher, "/publish");
        var when = await PressNextAsync(_teacher, subject, "Математика");
        Assert.Equal(Ru.AskStart, when.Text);
        var duration = await SayAsync(_teacher, TimeZoneInfo.ConvertTime(Start, Moscow).ToString("dd.MM HH:mm", CultureInfo.InvariantCulture));
        var kind = await PressNextAsync(_teacher, duration, "45 мин");
        var capacity = await PressNextAsync(_teacher, kind, "групповая");
        var purpose = await SayAsync(_teacher, "5");
        await PressNextAsync(_teacher, purpose, "тематическая");
        var prep = await SayAsync(_teacher, "Дроби");
        var format = await PressNextAsync(_teacher, prep, "Нет");
        await PressNextAsync(_teacher, format, "Онлайн");
        var note = await SayAsync(_teacher, "https://meet.example.org/math-7b");
        var card = await PressNextAsync(_teacher, note, Ru.Skip);
        Assert.Contains("тема «Дроби»", card.Text, StringComparison.Ordinal);
        var published = await PressNextAsync(_teacher, card, Ru.Publish);
        Assert.StartsWith("Консультация опубликована", published.Text, StringComparison.Ordinal);

        await RegisterStudentAsync(_anna, "Анна Белова", "7Б");
        var subjects = await SayAsync(_anna, "/book");
        var teachers = await PressNextAsync(_anna, subjects, "Математика");
        var times = await PressNextAsync(_anna, teachers, "Петрова");
        var slot = await PressNextAsync(_anna, times, times.Buttons().First().Label);
        var booked = await PressNextAsync(_anna, slot, Ru.Book);

        Assert.StartsWith("Вы записаны", booked.Text, StringComparison.Ordinal);
        Assert.StartsWith("Новая запись: Анна Белова, 7Б", (await NextMessageAsync(_teacher)).Text, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM consultation_bookings WHERE status = 'active'"));
        Assert.All(Vk.Sent.Where(m => m.Keyboard is not null), m => Assert.Null(FakeVkApi.KeyboardProblem(m.Keyboard)));
        Assert.Equal(0, Vk.TooManyRequests);
    }
}

public sealed class VkLongPollConsultationTests(PostgresFixture db) : VkConsultationTests(db), IClassFixture<PostgresFixture>
{
    protected override bool ThroughCallbackApi => false;
}

public sealed class VkCallbackConsultationTests(PostgresFixture db) : VkConsultationTests(db), IClassFixture<PostgresFixture>
{
    protected override bool ThroughCallbackApi => true;
}
