using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>The student registration driven entirely through VK, by Bots Long Poll and by the Callback API.</summary>
public sealed class VkRegistrationTests(PostgresFixture db) : VkEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly VkTestUser _user = new(190001);

    [Fact]
    public async Task Registration_CompletesThroughLongPoll()
    {
        await AddGroupAsync("7Б");
        await StartLongPollAsync();

        await RegisterStudentAsync(_user, "Анна Белова", "7Б");

        Assert.Equal(1, await CountAsync(
            """
            SELECT count(*) FROM accounts a JOIN persons p ON p.id = a.person_id
            WHERE a.channel = 'vk' AND a.sender_id = @s AND p.role = 'student' AND p.status = 'active' AND p.full_name = 'Анна Белова'
            """, ("s", _user.Key)));
        // Every button press stopped spinning, and every message carried a distinct random_id.
        await Vk.WaitUntilAsync(() => Vk.Answers.Count == 4, Patience, () => $"4 answers, have {Vk.Answers.Count}");
        Assert.All(Vk.Answers, a => Assert.Equal(_user.Id, a.UserId));
        Assert.Equal(Vk.Sent.Count, Vk.Sent.Select(m => m.RandomId).Distinct().Count());
        Assert.Equal(0, Vk.TooManyRequests);
    }

    [Fact]
    public async Task Registration_CompletesThroughCallbackApi()
    {
        await AddGroupAsync("7Б");
        await StartCallbackAsync();

        await RegisterStudentAsync(_user, "Анна Белова", "7Б");

        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM accounts a JOIN persons p ON p.id = a.person_id WHERE a.channel = 'vk' AND a.sender_id = @s AND p.status = 'active'",
            ("s", _user.Key)));
        Assert.Equal(0, Vk.Calls("groups.getLongPollServer"));
    }

    [Fact]
    public async Task StartButton_OpensTheConsentScreen()
    {
        await StartLongPollAsync();

        await SendAsync(VkUpdates.StartButton(_user.Id));

        Assert.Equal(Ru.Consent(SchoolName), (await NextMessageAsync(_user)).Text);
    }
}
