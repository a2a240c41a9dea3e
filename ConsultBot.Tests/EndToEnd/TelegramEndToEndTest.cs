using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Host.Telegram;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// The real host (every hosted service, real PostgreSQL) talking to <see cref="FakeTelegramApi"/> on loopback.
/// Each test gets a clean database, a fresh fake and a fresh host; helpers play a Telegram user.
/// Waits poll with a deadline and then assert: nothing here measures time.
/// </summary>
public abstract class TelegramEndToEndTest(PostgresFixture db) : IAsyncLifetime
{
    /// <summary>How long to wait for something that should happen; a deadline, never a measurement.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The school name <see cref="BotHost"/> configures.</summary>
    protected const string SchoolName = "Гимназия №1";

    protected const string WebhookSecret = "e2e_webhook-Secret-42";

    /// <summary>Any loopback URL will do: the fake only records setWebhook, the tests post to the host themselves.</summary>
    protected const string WebhookUrl = "http://127.0.0.1:9/telegram/webhook";

    protected static readonly ITexts Ru = TextCatalog.For(Language.Ru);

    private long _nextWebhookUpdateId = 700_000;

    protected PostgresFixture Db => db;

    protected FakeTelegramApi Telegram { get; private set; } = null!;

    protected BotHost? Host { get; private set; }

    /// <summary>A client for the running host (webhook posts).</summary>
    protected HttpClient HostClient { get; private set; } = null!;

    protected bool WebhookMode { get; private set; }

    /// <summary>The school's clock for the next host started (bookings, reminders, digests); the system clock when null.</summary>
    protected TimeProvider? SchoolTime { get; set; }

    /// <summary>Services the next host started gets on top of its own (see <see cref="BotHost.TestServices"/>).</summary>
    protected Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServices { get; set; }

    public virtual async Task InitializeAsync()
    {
        await db.ResetAsync();
        Telegram = await FakeTelegramApi.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await StopHostAsync();
        await Telegram.DisposeAsync();
    }

    /// <summary>Replaces the fake with one configured differently; call before starting the host.</summary>
    protected async Task ReplaceFakeAsync(FakeTelegramApiOptions options)
    {
        if (Host is not null)
        {
            throw new InvalidOperationException("Replace the fake before starting the host");
        }
        await Telegram.DisposeAsync();
        Telegram = await FakeTelegramApi.StartAsync(options);
    }

    /// <summary>Starts the host in long-polling mode against the fake.</summary>
    protected Task StartPollingAsync(IDictionary<string, string?>? settings = null)
    {
        WebhookMode = false;
        Start(Settings(settings, webhook: false));
        return Task.CompletedTask;
    }

    /// <summary>Starts the host in webhook mode and waits until it has registered the webhook (so it knows its username).</summary>
    protected async Task StartWebhookAsync(IDictionary<string, string?>? settings = null)
    {
        WebhookMode = true;
        var webhooksBefore = Telegram.WebhookRegistrations.Count;
        Start(Settings(settings, webhook: true));
        await Telegram.WaitUntilAsync(() => Telegram.WebhookRegistrations.Count > webhooksBefore, Patience, () => "setWebhook");
    }

    /// <summary>Stops the host gracefully (what a deployment or a crash-free restart does).</summary>
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
        if (Host is not null)
        {
            throw new InvalidOperationException("A host is already running; stop it first");
        }
        var host = new BotHost(db.ConnectionString, settings) { SchoolTime = SchoolTime, TestServices = TestServices };
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

    private Dictionary<string, string?> Settings(IDictionary<string, string?>? overrides, bool webhook)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Telegram:BotToken"] = Telegram.Token,
            ["Telegram:ApiBaseUrl"] = Telegram.BaseUrl,
            ["Telegram:RequestTimeoutSeconds"] = "2",
            ["Telegram:PollingTimeoutSeconds"] = "1",
            // A registration sends seven messages to one chat in quick succession; at Telegram's real 1/s after a
            // burst of 3 every test would wait seconds. The fake does not enforce limits unless a test asks it to.
            ["Telegram:PerChatPerSecond"] = "50",
            ["Telegram:PerChatBurst"] = "50",
        };
        if (webhook)
        {
            settings["Telegram:WebhookUrl"] = WebhookUrl;
            settings["Telegram:WebhookSecret"] = WebhookSecret;
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    // ---------------------------------------------------------------- playing a user

    /// <summary>
    /// Delivers an update the way the running host receives them: queued for getUpdates (polling) or posted to
    /// /telegram/webhook with the secret (webhook, asserting 200). Returns the update id.
    /// </summary>
    protected async Task<long> SendAsync(JsonObject update)
    {
        if (!WebhookMode)
        {
            return Telegram.EnqueueUpdate(update);
        }
        var id = Interlocked.Increment(ref _nextWebhookUpdateId);
        update.WithUpdateId(id);
        using var response = await PostWebhookAsync(update.ToJsonString(), WebhookSecret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await RunWebhookReplyMethodAsync(response);
        return id;
    }

    /// <summary>
    /// Does what Telegram does with a method in a webhook's reply (the bot answers button presses that way): calls it
    /// on the Bot API, here the fake, so the tests see the answer where they would see any other.
    /// </summary>
    protected async Task RunWebhookReplyMethodAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (body.Length == 0 || JsonNode.Parse(body) is not JsonObject reply || reply["method"]?.GetValue<string>() is not { } method)
        {
            return;
        }
        using var api = new HttpClient();
        using var call = await api.PostAsync($"{Telegram.BaseUrl}/bot{Telegram.Token}/{method}",
            new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(call.IsSuccessStatusCode, $"{method} from the webhook reply failed: {(int)call.StatusCode}");
    }

    protected Task<HttpResponseMessage> PostWebhookAsync(string body, string? secret) =>
        PostWebhookAsync(new StringContent(body, Encoding.UTF8, "application/json"), secret);

    protected async Task<HttpResponseMessage> PostWebhookAsync(HttpContent content, string? secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TelegramWebhook.Path) { Content = content };
        if (secret is not null)
        {
            request.Headers.Add(TelegramWebhook.SecretHeader, secret);
        }
        return await HostClient.SendAsync(request);
    }

    /// <summary>The next message the bot sent to this user that the test has not looked at yet.</summary>
    protected async Task<FakeSentMessage> NextMessageAsync(TelegramUser user) => (await NextMessagesAsync(user, 1))[0];

    protected async Task<IReadOnlyList<FakeSentMessage>> NextMessagesAsync(TelegramUser user, int count)
    {
        var all = await Telegram.WaitForMessagesAsync(user.Id, user.Seen + count, Patience);
        var next = all.Skip(user.Seen).Take(count).ToList();
        user.Seen += count;
        return next;
    }

    /// <summary>Presses the button with this label under a message the user received; returns the callback query id.</summary>
    protected async Task<string> PressAsync(TelegramUser user, FakeSentMessage message, string label)
    {
        var data = message.Button(label).CallbackData ?? throw new InvalidOperationException($"\"{label}\" is not a callback button");
        return await PressDataAsync(user, data);
    }

    /// <summary>Sends a callback query with any data (forged ones included); returns the callback query id.</summary>
    protected async Task<string> PressDataAsync(TelegramUser user, string? data)
    {
        var update = TelegramUpdates.Callback(user.Id, data);
        await SendAsync(update);
        return TelegramUpdates.CallbackId(update);
    }

    protected Task<FakeCallbackAnswer> AnswerToAsync(string callbackId) => Telegram.WaitForCallbackAnswerAsync(callbackId, Patience);

    /// <summary>/start, the consent screen, accept: returns the role question.</summary>
    protected async Task<FakeSentMessage> ConsentAsync(TelegramUser user)
    {
        await SendAsync(TelegramUpdates.Text(user.Id, "/start"));
        var consent = await NextMessageAsync(user);
        Assert.Equal(Ru.Consent(SchoolName), consent.Text);
        await PressAsync(user, consent, Ru.ConsentAccept);
        var roles = await NextMessageAsync(user);
        Assert.Equal(Ru.ChooseRole, roles.Text);
        return roles;
    }

    /// <summary>Consent and the student role: the bot now waits for the name.</summary>
    protected async Task<FakeSentMessage> ReachNameStepAsync(TelegramUser user)
    {
        var roles = await ConsentAsync(user);
        await PressAsync(user, roles, Ru.RoleStudent);
        var askName = await NextMessageAsync(user);
        Assert.Equal(Ru.AskName, askName.Text);
        return roles;
    }

    /// <summary>The whole student registration with a group that exists.</summary>
    protected async Task RegisterStudentAsync(TelegramUser user, string name, string group)
    {
        await ReachNameStepAsync(user);
        await SendAsync(TelegramUpdates.Text(user.Id, name));
        var groups = await NextMessageAsync(user);
        await PressAsync(user, groups, group);
        var age = await NextMessageAsync(user);
        await PressAsync(user, age, Ru.Age14OrOlder);
        var done = await NextMessagesAsync(user, 2);
        Assert.Equal(Ru.StudentRegistered(name, group), done[0].Text);
    }

    // ---------------------------------------------------------------- the database

    protected Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) => db.ScalarAsync<long>(sql, parameters);

    protected async Task<long> AddGroupAsync(string name) =>
        await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES (@name) RETURNING id", ("name", name));

    /// <summary>The person behind a Telegram account, or null.</summary>
    protected async Task<PersonRow?> PersonAsync(TelegramUser user)
    {
        await using var command = db.DataSource.CreateCommand(
            """
            SELECT p.role, p.status, p.full_name, p.group_id, p.dialog::text, a.reachable
            FROM accounts a JOIN persons p ON p.id = a.person_id
            WHERE a.channel = 'telegram' AND a.sender_id = @sender
            """);
        command.Parameters.AddWithValue("sender", user.Key);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }
        return new PersonRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetString(4), reader.GetBoolean(5));
    }

    /// <summary>The outbox rows of one chat, oldest first.</summary>
    protected async Task<List<OutboxRowState>> OutboxAsync(long chatId)
    {
        await using var command = db.DataSource.CreateCommand(
            "SELECT status, attempts, last_error, body->>'text' FROM outbox WHERE channel = 'telegram' AND chat_id = @chat ORDER BY id");
        command.Parameters.AddWithValue("chat", chatId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var rows = new List<OutboxRowState>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new OutboxRowState(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        return rows;
    }

    /// <summary>Polls the database until <paramref name="done"/> holds for the probe's value, then returns it.</summary>
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
                Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}; last seen: {Describe(value)}");
            }
            await Task.Delay(25);
        }
    }

    /// <summary>Waits until the host has committed an update (its dedupe mark exists).</summary>
    protected Task WaitForProcessedAsync(long updateId) =>
        EventuallyAsync(() => CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'telegram' AND update_id = @id",
            ("id", updateId.ToString(System.Globalization.CultureInfo.InvariantCulture))), n => n == 1, $"update {updateId} to be processed");

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Collections.IEnumerable list and not string => "[" + string.Join(", ", list.Cast<object?>()) + "]",
        _ => value.ToString() ?? string.Empty,
    };
}

/// <summary>A Telegram user in a private chat with the bot (chat id = user id), and how many replies the test has read.</summary>
public sealed class TelegramUser(long id)
{
    public long Id { get; } = id;
    public string Key => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public int Seen { get; set; }
}

public sealed record PersonRow(string Role, string Status, string? FullName, long? GroupId, string Dialog, bool Reachable);

public sealed record OutboxRowState(string Status, int Attempts, string? LastError, string? Text);
