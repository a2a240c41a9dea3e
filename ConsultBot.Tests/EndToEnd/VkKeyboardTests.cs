using ConsultBot.Host.Vk;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>Keyboards larger than VK's inline limit arrive as several messages, each within the rules, every button working.</summary>
public sealed class VkKeyboardTests(PostgresFixture db) : VkEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private readonly VkTestUser _user = new(190601);

    [Fact]
    public async Task ManyClasses_ArePagedByTheDialog_AndEveryPageFitsVk()
    {
        var names = Enumerable.Range(1, 11).Select(i => $"{i}А").ToList();
        foreach (var name in names)
        {
            await AddGroupAsync(name);
        }
        await StartLongPollAsync();
        await ReachNameStepAsync(_user);

        var first = await SayAsync(_user, "Анна Белова");
        var second = await PressNextAsync(_user, first, Ru.NextPage);
        var age = await PressNextAsync(_user, second, "9А");
        await PressAsync(_user, age, Ru.Age14OrOlder);

        Assert.Equal(Ru.ChooseGroup, first.Text);
        Assert.Equal(Ru.StudentRegistered("Анна Белова", "9А"), (await NextMessageAsync(_user)).Text);
        Assert.All(Vk.Sent.Where(m => m.Keyboard is not null), m => Assert.Null(FakeVkApi.KeyboardProblem(m.Keyboard)));
    }
}
