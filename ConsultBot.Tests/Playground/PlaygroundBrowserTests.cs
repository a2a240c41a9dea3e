using ConsultBot.Host.Consultations;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace ConsultBot.Tests.Playground;

/// <summary>
/// The web playground in headless Chromium, used as a person would: only the page's own controls (the person tabs,
/// the message box, the bot's buttons), waits on what the page shows, and a clean browser console at the end. The
/// host is the real one with the demo school; the school's clock is a fake the test moves to the reminder's moment.
/// </summary>
[Collection(PlaygroundHostsCollection.Name)]
public sealed class PlaygroundBrowserTests(PostgresFixture db, ITestOutputHelper output) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> DemoSettings = new()
    {
        ["Playground:Enabled"] = "true",
        ["Playground:SeedDemo"] = "true",
    };

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>On a desktop window and on a phone-wide one (the page's narrow layout, where everything is one column).</summary>
    [Theory]
    [InlineData(1100, 900)]
    [InlineData(500, 860)]
    public async Task Student_RegistersBooksAndSeesTheReminder_InHeadlessChromiumWithoutConsoleErrors(int width, int height)
    {
        await using var host = new BotHost(db.ConnectionString, DemoSettings) { SchoolTime = _clock };
        host.Start();
        using var chromium = new HeadlessChromium(width, height);
        var page = new PlaygroundPage(chromium);
        page.Open(new Uri(host.BaseAddress, "/playground/"));
        await page.ChooseAsync("student1");
        Assert.Equal(["ученик", "ученик", "родитель", "учитель", "психолог", "администратор"],
            (string[])[.. new[] { "student1", "student2", "parent1", "teacher1", "psych1", "admin1" }.Select(page.RoleShownFor)]);

        await page.SendAsync("/start");
        await page.PressAsync(await page.WaitForBotAsync("согласие"), label => label.Contains("Согласен", StringComparison.Ordinal) && !label.StartsWith("Не ", StringComparison.Ordinal));
        await page.PressAsync(await page.WaitForBotAsync("Кто вы?"), label => label == "Ученик");
        await page.WaitForBotAsync("Как вас зовут?");
        await page.SendAsync("Иван Петров");
        await page.PressAsync(await page.WaitForBotAsync("Выберите свой класс"), label => label == "7А");
        await page.PressAsync(await page.WaitForBotAsync("14 лет"), label => label.StartsWith("Да", StringComparison.Ordinal));
        var registered = await page.WaitForBotAsync("зарегистрированы");
        Assert.Contains("Иван Петров", registered.Text, StringComparison.Ordinal);

        await page.SendAsync("/book");
        await page.PressAsync(await page.WaitForBotAsync("Выберите предмет"), label => label == "Математика");
        await page.PressAsync(await page.WaitForBotAsync("Выберите учителя"), label => label.Contains("Петрова", StringComparison.Ordinal));
        await page.PressAsync(await page.WaitForBotAsync("Выберите время"), label => label.EndsWith("15:00", StringComparison.Ordinal));
        await page.PressAsync(await page.WaitForBotAsync("Мария Ивановна Петрова"), label => label == "✅ Записаться");
        await page.WaitForBotAsync("Вы записаны");
        Assert.Equal(1, await db.ScalarAsync<long>(
            """
            SELECT count(*) FROM consultation_bookings b JOIN accounts a ON a.person_id = b.student_id
            WHERE b.status = 'active' AND a.channel = 'web' AND a.sender_id = 'student1'
            """));

        // An hour before the consultation: the reminder job (Hangfire runs it every minute) plans the reminder, the
        // outbox delivers it to the web channel, and the page's own polling shows it.
        var start = await db.ScalarAsync<DateTime>(
            "SELECT s.starts_at FROM consultation_slots s JOIN consultation_bookings b ON b.slot_id = s.id WHERE b.status = 'active'");
        _clock.SetUtcNow(new DateTimeOffset(start, TimeSpan.Zero).AddHours(-1));
        await host.Services.GetRequiredService<ConsultationRemindersJob>().RunAsync(CancellationToken.None);
        var reminder = await page.WaitForBotAsync("⏰ Напоминание: через 1 ч консультация");
        Assert.Contains("Математика", reminder.Text, StringComparison.Ordinal);
        Assert.Contains("Мария Ивановна Петрова", reminder.Text, StringComparison.Ordinal);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", $"playground-reminder-{width}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        chromium.Driver.GetScreenshot().SaveAsFile(screenshot);
        output.WriteLine($"screenshot: {screenshot}");

        Assert.Empty(page.UnsentMessages());
        var errors = chromium.Errors;
        Assert.True(errors.Count == 0, "the browser console has errors:\n" + string.Join("\n", errors));
    }

    /// <summary>The console check above is only worth something if it sees each kind of error it claims to.</summary>
    [Fact]
    public async Task ConsoleWatch_SeesConsoleErrorUncaughtExceptionAndFailedLoad_WhenThePageHasThem()
    {
        await using var host = new BotHost(db.ConnectionString, DemoSettings);
        host.Start();
        using var chromium = new HeadlessChromium();
        var page = new PlaygroundPage(chromium);
        page.Open(new Uri(host.BaseAddress, "/playground/"));
        await page.ChooseAsync("student2");
        Assert.Empty(chromium.Errors);

        chromium.Driver.ExecuteScript(
            """
            console.error('probe: console.error');
            setTimeout(() => { throw new Error('probe: uncaught'); }, 0);
            const img = document.createElement('img');
            img.src = '/playground/probe-missing.png';
            document.body.append(img);
            """);

        var errors = await HeadlessChromium.WaitForAsync(
            () => chromium.Errors is { Count: >= 3 } e ? e : null, () => "errors seen: " + string.Join(" | ", chromium.Errors));
        Assert.Contains(errors, e => e.Contains("probe: console.error", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("probe: uncaught", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("probe-missing.png", StringComparison.Ordinal));
    }
}

/// <summary>
/// The playground page as seen by a person: the tab of whom one writes as, the message box and its button, the bot's
/// messages and their buttons. Each wait looks only at bot messages after the last one it matched.
/// </summary>
internal sealed class PlaygroundPage(HeadlessChromium chromium)
{
    private readonly IWebDriver _driver = chromium.Driver;
    private int _seen;

    public void Open(Uri address) => _driver.Navigate().GoToUrl(address);

    /// <summary>Clicks the person's tab and waits until it is the chosen one.</summary>
    public async Task ChooseAsync(string person)
    {
        var tab = await HeadlessChromium.WaitForAsync(
            () => _driver.FindElements(By.CssSelector("#people .person")).FirstOrDefault(t => t.FindElement(By.TagName("b")).Text == person),
            () => $"no tab for {person}; tabs: {string.Join(", ", _driver.FindElements(By.CssSelector("#people .person")).Select(t => t.Text))}");
        tab.Click();
        await HeadlessChromium.WaitForAsync(() => tab.GetAttribute("aria-selected") == "true" ? tab : null, () => $"the tab of {person} is not selected");
        _seen = 0;
    }

    /// <summary>Types into the message box and presses «Отправить».</summary>
    public async Task SendAsync(string text)
    {
        var box = _driver.FindElement(By.Id("text"));
        box.SendKeys(text);
        _driver.FindElement(By.Id("send")).Click();
        await HeadlessChromium.WaitForAsync(() => box.GetAttribute("value") == string.Empty ? box : null, () => $"«{text}» was not sent");
    }

    /// <summary>Waits for a bot message (after the last one matched) whose text contains <paramref name="fragment"/>.</summary>
    public Task<BotMessage> WaitForBotAsync(string fragment) =>
        HeadlessChromium.WaitForAsync(
            () =>
            {
                var messages = _driver.FindElements(By.CssSelector("#log .msg.bot"));
                for (var i = _seen; i < messages.Count; i++)
                {
                    var text = messages[i].FindElement(By.CssSelector(".text")).Text;
                    if (text.Contains(fragment, StringComparison.Ordinal))
                    {
                        _seen = i + 1;
                        return new BotMessage(messages[i], text);
                    }
                }
                return null;
            },
            () => $"no bot message containing «{fragment}»; the page shows: "
                + string.Join(" | ", _driver.FindElements(By.CssSelector("#log .msg .text")).Select(t => t.Text)));

    /// <summary>
    /// Clicks the button under <paramref name="message"/> whose label matches. The driver clicks where a person would
    /// and refuses when something else is on that spot (a message arriving scrolls the log): then it tries again.
    /// </summary>
    public async Task PressAsync(BotMessage message, Func<string, bool> label)
    {
        var buttons = message.Element.FindElements(By.CssSelector(".kb-row button"));
        var button = buttons.FirstOrDefault(b => label(b.Text));
        Assert.True(button is not null, $"no such button under «{message.Text}»; buttons: {string.Join(", ", buttons.Select(b => b.Text))}");
        string? refused = null;
        await HeadlessChromium.WaitForAsync(() =>
        {
            try
            {
                button.Click();
                return button;
            }
            catch (ElementClickInterceptedException e)
            {
                refused = e.Message;
                return null;
            }
        }, () => $"the button «{button.Text}» could not be clicked: {refused}");
    }

    /// <summary>What the person's tab says they are (ученик, учитель…).</summary>
    public string RoleShownFor(string person) =>
        _driver.FindElements(By.CssSelector("#people .person")).Single(t => t.FindElement(By.TagName("b")).Text == person)
            .FindElement(By.TagName("small")).Text;

    /// <summary>The person's own messages the page marks as not sent.</summary>
    public IReadOnlyList<string> UnsentMessages() =>
        [.. _driver.FindElements(By.CssSelector("#log .msg.me.error .text")).Select(t => t.Text)];
}

internal sealed record BotMessage(IWebElement Element, string Text);
