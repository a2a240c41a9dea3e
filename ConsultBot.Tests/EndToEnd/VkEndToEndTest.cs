using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Vk;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// The real host (every hosted service, real PostgreSQL) talking to <see cref="FakeVkApi"/> on loopback, in Bots Long
/// Poll mode (events queued in the fake) or Callback API mode (events posted to /vk/callback). Telegram is off.
/// </summary>
public abstract class VkEndToEndTest(PostgresFixture db) : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    protected const string SchoolName = "Гимназия №1";
    protected const string CallbackSecret = "e2eVkSecret42";
    protected const string Confirmation = "a1b2c3d4";
    protected static readonly ITexts Ru = TextCatalog.For(Language.Ru);

    protected PostgresFixture Db => db;
    protected FakeVkApi Vk { get; private set; } = null!;
    protected BotHost? Host { get; private set; }
    protected HttpClient HostClient { get; private set; } = null!;
    protected bool CallbackMode { get; private set; }
    protected TimeProvider? SchoolTime { get; set; }

    public virtual async Task InitializeAsync()
    {
        await db.ResetAsync();
        Vk = await FakeVkApi.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await StopHostAsync();
        await Vk.DisposeAsync();
    }

    protected async Task ReplaceFakeAsync(FakeVkApiOptions options)
    {
        await Vk.DisposeAsync();
        Vk = await FakeVkApi.StartAsync(options);
    }

    /// <summary>Starts the host in long poll mode and waits until it asked for the long poll server.</summary>
    protected async Task StartLongPollAsync(IDictionary<string, string?>? settings = null)
    {
        CallbackMode = false;
        Start(Settings(settings, callback: false));
        await Vk.WaitUntilAsync(() => Vk.Calls("groups.getLongPollServer") > 0, Patience, () => "groups.getLongPollServer");
    }

    protected Task StartCallbackAsync(IDictionary<string, string?>? settings = null)
    {
        CallbackMode = true;
        Start(Settings(settings, callback: true));
        return Task.CompletedTask;
    }

    protected async Task StopHostAsync()
    {
        if (Host is null)
        {
            return;
        }
        HostClient.Dispose();
        await Host.DisposeAsync();
        Host = null;
    }

    private void Start(Dictionary<string, string?> settings)
    {
        var host = new BotHost(db.ConnectionString, settings) { SchoolTime = SchoolTime };
        try
        {
            HostClient = host.Start();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        Host = host;
    }

    private Dictionary<string, string?> Settings(IDictionary<string, string?>? overrides, bool callback)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Vk:GroupId"] = Vk.GroupId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vk:AccessToken"] = Vk.AccessToken,
            ["Vk:ApiBaseUrl"] = Vk.BaseUrl,
            ["Vk:RequestTimeoutSeconds"] = "2",
            ["Vk:LongPollWaitSeconds"] = "1",
        };
        if (callback)
        {
            settings["Vk:CallbackConfirmation"] = Confirmation;
            settings["Vk:CallbackSecret"] = CallbackSecret;
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    // ---------------------------------------------------------------- playing a user

    /// <summary>Delivers an event: queued for the long poll, or posted with the secret (asserting 200 "ok"). Returns its event_id.</summary>
    protected async Task<string> SendAsync(JsonObject update)
    {
        if (!CallbackMode)
        {
            return Vk.Enqueue(update)["event_id"]!.GetValue<string>();
        }
        Vk.Stamp(update);
        update["secret"] = CallbackSecret;
        using var response = await PostCallbackAsync(update.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        return update["event_id"]!.GetValue<string>();
    }

    protected async Task<HttpResponseMessage> PostCallbackAsync(string body, int? retry = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, VkCallback.Path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (retry is { } n)
        {
            request.Headers.Add("X-Retry-Counter", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return await HostClient.SendAsync(request);
    }

    protected async Task<FakeVkMessage> NextMessageAsync(VkTestUser user) => (await NextMessagesAsync(user, 1))[0];

    protected async Task<IReadOnlyList<FakeVkMessage>> NextMessagesAsync(VkTestUser user, int count)
    {
        var all = await Vk.WaitForMessagesAsync(user.Id, user.Seen + count, Patience);
        var next = all.Skip(user.Seen).Take(count).ToList();
        user.Seen += count;
        return next;
    }

    /// <summary>Presses the button with this label (or the first containing it); returns the event_id of the press.</summary>
    protected async Task<string> PressAsync(VkTestUser user, FakeVkMessage message, string label)
    {
        var button = message.Buttons().FirstOrDefault(b => b.Label == label);
        if (button.Label is null)
        {
            button = message.Buttons().FirstOrDefault(b => b.Label.Contains(label, StringComparison.Ordinal));
        }
        var payload = button.Label is null ? message.Button(label).Payload : button.Payload;
        var press = VkUpdates.Press(user.Id, payload);
        await SendAsync(press);
        return VkUpdates.ButtonEventId(press);
    }

    protected async Task<FakeVkMessage> SayAsync(VkTestUser user, string text)
    {
        await SendAsync(VkUpdates.Text(user.Id, text));
        return await NextMessageAsync(user);
    }

    protected async Task<FakeVkMessage> PressNextAsync(VkTestUser user, FakeVkMessage message, string label)
    {
        await PressAsync(user, message, label);
        return await NextMessageAsync(user);
    }

    protected Task<FakeVkEventAnswer> AnswerToAsync(string buttonEventId) =>
        WaitAsync(() => Vk.Answers.FirstOrDefault(a => a.EventId == buttonEventId), $"an answer to button {buttonEventId}");

    protected async Task<T> WaitAsync<T>(Func<T?> probe, string what) where T : class
    {
        await Vk.WaitUntilAsync(() => probe() is not null, Patience, () => what);
        return probe()!;
    }

    /// <summary>/start, consent, the student role: the bot now waits for the name.</summary>
    protected async Task ReachNameStepAsync(VkTestUser user)
    {
        var consent = await SayAsync(user, "/start");
        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        var roles = await PressNextAsync(user, consent, Ru.ConsentAccept);
        Assert.Equal(Ru.ChooseRole, roles.Text);
        var askName = await PressNextAsync(user, roles, Ru.RoleStudent);
        Assert.Equal(Ru.AskName, askName.Text);
    }

    /// <summary>The whole student registration through VK: consent → role → name → class → age.</summary>
    protected async Task RegisterStudentAsync(VkTestUser user, string name, string group)
    {
        await ReachNameStepAsync(user);
        var groups = await SayAsync(user, name);
        var age = await PressNextAsync(user, groups, group);
        await PressAsync(user, age, Ru.Age14OrOlder);
        var done = await NextMessagesAsync(user, 2);
        Assert.Equal(Ru.StudentRegistered(name, group), done[0].Text);
    }

    // ---------------------------------------------------------------- the database

    protected Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) => db.ScalarAsync<long>(sql, parameters);

    protected async Task<long> AddGroupAsync(string name) =>
        await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES (@name) RETURNING id", ("name", name));

    protected Task WaitForProcessedAsync(string eventId) => EventuallyAsync(
        () => CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'vk' AND update_id = @id", ("id", eventId)),
        n => n == 1, $"event {eventId} to be processed");

    protected static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}; last seen: {value}");
            }
            await Task.Delay(25);
        }
    }
}

/// <summary>A VK user writing to the community privately (peer id = user id), and how many replies the test has read.</summary>
public sealed class VkTestUser(long id)
{
    public long Id { get; } = id;
    public string Key => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public int Seen { get; set; }
}
