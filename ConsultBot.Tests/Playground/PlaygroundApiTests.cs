using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ConsultBot.Tests.Infrastructure;
using Npgsql;

namespace ConsultBot.Tests.Playground;

/// <summary>
/// The playground's test classes run one after another, not side by side, and start as few hosts as they can:
/// Hangfire keeps one process-wide log provider tied to the last host started, so a host stopped while another one
/// starts can break that one's start (ObjectDisposedException from Hangfire's logger).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PlaygroundHostsCollection
{
    public const string Name = "Playground hosts";
}

/// <summary>
/// A database of its own and one host with the playground on, shared by the tests of a class. Each test starts from
/// empty tables: <see cref="ResetAsync"/> first waits until the host has delivered everything in the outbox, so no
/// reply of an earlier test can arrive after the reset.
/// </summary>
public sealed class PlaygroundHostFixture : IAsyncLifetime
{
    private readonly PostgresFixture _db = new();
    private BotHost _host = null!;

    public HttpClient Http { get; private set; } = null!;
    public NpgsqlDataSource DataSource => _db.DataSource;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _host = new BotHost(_db.ConnectionString, new Dictionary<string, string?> { ["Playground:Enabled"] = "true" });
        Http = _host.Start();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _db.DisposeAsync();
    }

    public async Task ResetAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await _db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')") > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the outbox did not drain between tests");
            await Task.Delay(50);
        }
        await _db.ResetAsync();
    }

    public Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) => _db.ScalarAsync<T>(sql, parameters);

    public Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters) => _db.ExecuteAsync(sql, parameters);
}

[Collection(PlaygroundHostsCollection.Name)]
public sealed class PlaygroundApiTests(PlaygroundHostFixture db) : IClassFixture<PlaygroundHostFixture>, IAsyncLifetime
{
    private readonly HttpClient _http = db.Http;

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Start_RepliesWithConsent_ThroughOutboxToPage()
    {
        var response = await _http.PostAsJsonAsync("/playground/api/messages", new { user = "student1", text = "/start" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var messages = await PollAsync("student1", 1);
        var text = messages[0].GetProperty("body").GetProperty("text").GetString();
        Assert.Contains("Гимназия №1", text);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM persons"));
    }

    [Theory]
    [InlineData("/playground/")]
    [InlineData("/playground")]
    public async Task GetPage_ReturnsSelfContainedHtml_WhenEnabled(string path)
    {
        var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>ConsultBot — песочница</title>", html);
        // Calls its own API and loads nothing from elsewhere (no CDNs, no external scripts or fonts).
        Assert.Contains("api/", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public async Task GetPeople_ListsConfiguredPeopleOnce_WhenDefaultsUsed()
    {
        var people = await _http.GetFromJsonAsync<string[]>("/playground/api/people");

        Assert.Equal(["student1", "student2", "parent1", "teacher1", "psych1", "admin1"], people!);
    }

    [Fact]
    public async Task Registration_CreatesActiveStudentInGroup_WhenDoneThroughButtonsAndText()
    {
        var groupId = await db.ScalarAsync<long>("INSERT INTO school_groups (name) VALUES ('7Б') RETURNING id");
        await db.ExecuteAsync("INSERT INTO school_groups (name) VALUES ('8В')");
        var chat = new PlaygroundChat(_http, "student1");

        await chat.SendTextAsync("/start");
        var consent = await chat.WaitForAsync("согласие");
        await chat.PressAsync(consent, label => label.Contains("Согласен", StringComparison.Ordinal) && !label.StartsWith("Не ", StringComparison.Ordinal));
        var roles = await chat.WaitForAsync("Кто вы?");
        await chat.PressAsync(roles, label => label == "Ученик");
        await chat.WaitForAsync("Как вас зовут?");
        await chat.SendTextAsync("Иван Петров");
        var groups = await chat.WaitForAsync("Выберите свой класс");
        await chat.PressAsync(groups, label => label == "7Б");
        var age = await chat.WaitForAsync("14 лет");
        await chat.PressAsync(age, label => label.StartsWith("Да", StringComparison.Ordinal));
        var done = await chat.WaitForAsync("зарегистрированы");

        Assert.Contains("Иван Петров", PlaygroundChat.TextOf(done));
        Assert.Contains("7Б", PlaygroundChat.TextOf(done));
        await using var command = db.DataSource.CreateCommand(
            """
            SELECT p.status, p.role, p.group_id, p.full_name, p.under14
            FROM accounts a JOIN persons p ON p.id = a.person_id
            WHERE a.channel = 'web' AND a.sender_id = 'student1'
            """);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "no person for student1");
        Assert.Equal("active", reader.GetString(0));
        Assert.Equal("student", reader.GetString(1));
        Assert.Equal(groupId, reader.GetInt64(2));
        Assert.Equal("Иван Петров", reader.GetString(3));
        Assert.False(reader.GetBoolean(4));
        Assert.False(await reader.ReadAsync(), "more than one person for student1");
    }

    [Theory]
    [InlineData("""{"user":"mallory","text":"/start"}""", "Unknown playground person")]
    [InlineData("""{"text":"/start"}""", "Unknown playground person")]
    [InlineData("""{"user":"student1","text":"/start","callback":"m:0:p"}""", "either text or callback")]
    [InlineData("""{"user":"student1"}""", "either text or callback")]
    [InlineData("""{"user":"student1","text":""", "Malformed JSON")]
    [InlineData("not json at all", "Malformed JSON")]
    [InlineData("""{"user":["student1"],"text":"/start"}""", "Malformed JSON")]
    [InlineData("""{"user":"student1","text":"/start","id":"bad id!"}""", "id must be")]
    [InlineData("""{"user":"student1","text":"/start","id":""}""", "id must be")]
    [InlineData("""{"user":"student1","text":"/start","id":"a123456789b123456789c123456789d123456789e123456789f123456789g1234"}""", "id must be")]
    public async Task PostMessage_Returns400WithReasonAndStoresNothing_WhenRequestInvalid(string json, string reason)
    {
        var response = await _http.PostAsync("/playground/api/messages", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var title = await ProblemTitleAsync(response);
        Assert.Contains(reason, title, StringComparison.Ordinal);
        Assert.True(title.Length <= 100, $"reason too long: {title}");
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task PostMessage_Returns413AndStoresNothing_WhenBodyOver64Kb()
    {
        var json = JsonSerializer.Serialize(new { user = "student1", text = new string('я', 40 * 1024) });
        Assert.True(Encoding.UTF8.GetByteCount(json) > 64 * 1024);

        var response = await _http.PostAsync("/playground/api/messages", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("too large", await ProblemTitleAsync(response), StringComparison.OrdinalIgnoreCase);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task GetMessages_Returns400_WhenUserUnknown()
    {
        var response = await _http.GetAsync("/playground/api/messages?user=mallory&after=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown playground person", await ProblemTitleAsync(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7")]
    public async Task Playground_Returns403_WhenRequestCameThroughAProxy(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/playground/api/people");
        request.Headers.Add(header, value);

        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostMessage_RepliesOnce_WhenSameIdSentTwice()
    {
        var request = new { user = "student2", text = "/start", id = "page-1234_abc" };

        var first = await _http.PostAsJsonAsync("/playground/api/messages", request);
        var second = await _http.PostAsJsonAsync("/playground/api/messages", request);

        Assert.Equal("processed", await OutcomeAsync(first));
        Assert.Equal("duplicate", await OutcomeAsync(second));
        // Replies are written to the outbox in the request's own transaction, so this count is final.
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE channel = 'web' AND chat_id = 'student2'"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM processed_updates WHERE channel = 'web'"));
        var delivered = await PollAsync("student2", 1);
        Assert.Single(delivered);
    }

    [Fact]
    public async Task Start_RepliesInEnglish_WhenLangIsEn()
    {
        var response = await _http.PostAsJsonAsync("/playground/api/messages", new { user = "student2", text = "/start", lang = "en" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var chat = new PlaygroundChat(_http, "student2");
        var consent = await chat.WaitForAsync("Hello!");
        Assert.Contains("Гимназия №1", PlaygroundChat.TextOf(consent));
    }

    [Fact]
    public async Task PressButton_ReturnsAnswer_WhenCallbackHandled()
    {
        var chat = new PlaygroundChat(_http, "parent1");
        await chat.SendTextAsync("/start");
        var consent = await chat.WaitForAsync("согласие");

        var answer = await chat.PressAsync(consent, label => label.StartsWith("Не ", StringComparison.Ordinal));

        Assert.Equal("Готово", answer);
        await chat.WaitForAsync("Без согласия");
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM persons"));
    }

    private async Task AssertNothingStoredAsync()
    {
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM processed_updates"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM persons"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM web_messages"));
    }

    private static async Task<string> ProblemTitleAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("title").GetString() ?? string.Empty;
    }

    private static async Task<string?> OutcomeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        return result.GetProperty("outcome").GetString();
    }

    private async Task<List<JsonElement>> PollAsync(string user, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var list = await _http.GetFromJsonAsync<List<JsonElement>>($"/playground/api/messages?user={user}&after=0");
            if (list!.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(list.Count >= count, $"expected {count} messages, got {list.Count}");
                return list;
            }
            await Task.Delay(50);
        }
    }
}

/// <summary>Playground settings other than the defaults: a demo school, custom people, the playground switched off.</summary>
[Collection(PlaygroundHostsCollection.Name)]
public sealed class PlaygroundHostSettingsTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> DemoSettings = new()
    {
        ["Playground:Enabled"] = "true",
        ["Playground:SeedDemo"] = "true",
    };

    public Task InitializeAsync() => db.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task DemoSeed_CreatesTeacherAdminAndGroupsOnce_WhenHostStartsTwice()
    {
        await using (var first = new BotHost(db.ConnectionString, DemoSettings))
        {
            first.Start();
        }
        var groupsAfterFirst = await db.ScalarAsync<long>("SELECT count(*) FROM school_groups");
        await using (var second = new BotHost(db.ConnectionString, DemoSettings))
        {
            second.Start();
        }

        Assert.True(groupsAfterFirst > 0, "the demo school has no groups");
        Assert.Equal(groupsAfterFirst, await db.ScalarAsync<long>("SELECT count(*) FROM school_groups"));
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM persons"));
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM accounts"));
        Assert.Equal("teacher", await RoleOfActiveAsync("teacher1"));
        Assert.Equal("teacher", await RoleOfActiveAsync("psych1"));
        Assert.Equal("admin", await RoleOfActiveAsync("admin1"));
        Assert.Equal(4, await db.ScalarAsync<long>("SELECT count(*) FROM subjects"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM subjects WHERE confidential"));
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM teacher_subjects"));
        Assert.Equal(4, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_slots WHERE status = 'open' AND starts_at > now()"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM associations"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM teacher_profiles WHERE association_id IS NOT NULL AND office_hours_note IS NOT NULL"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM school_contacts"));
    }

    [Fact]
    public async Task Student_BooksADemoConsultation_AndTheTeacherSeesIt()
    {
        await using var host = new BotHost(db.ConnectionString, DemoSettings);
        var http = host.Start();
        var student = new PlaygroundChat(http, "student1");
        var teacher = new PlaygroundChat(http, "teacher1");
        await student.SendTextAsync("/start");
        await student.PressAsync(await student.WaitForAsync("согласие"),
            label => label.Contains("Согласен", StringComparison.Ordinal) && !label.StartsWith("Не ", StringComparison.Ordinal));
        await student.PressAsync(await student.WaitForAsync("Кто вы?"), label => label == "Ученик");
        await student.WaitForAsync("Как вас зовут?");
        await student.SendTextAsync("Иван Петров");
        await student.PressAsync(await student.WaitForAsync("Выберите свой класс"), label => label == "7А");
        await student.PressAsync(await student.WaitForAsync("14 лет"), label => label.StartsWith("Да", StringComparison.Ordinal));
        await student.WaitForAsync("зарегистрированы");

        await student.SendTextAsync("/book");
        await student.PressAsync(await student.WaitForAsync("Выберите предмет"), label => label == "Математика");
        await student.PressAsync(await student.WaitForAsync("Выберите учителя"), label => label.Contains("Петрова", StringComparison.Ordinal));
        await student.PressAsync(await student.WaitForAsync("Выберите время"), label => label.EndsWith("15:00", StringComparison.Ordinal));
        await student.PressAsync(await student.WaitForAsync("Мария Ивановна Петрова"), label => label.Contains("Записаться", StringComparison.Ordinal));
        await student.WaitForAsync("Вы записаны");

        var notice = await teacher.WaitForAsync("Новая запись: Иван Петров, 7А");
        Assert.Contains("Математика", PlaygroundChat.TextOf(notice));
        await teacher.SendTextAsync("/slots");
        var slots = await teacher.WaitForAsync("Ваши ближайшие консультации");
        await teacher.PressAsync(slots, label => label.Contains("✓", StringComparison.Ordinal) || label.Contains("1/", StringComparison.Ordinal));
        await teacher.WaitForAsync("1. Иван Петров, 7А");
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM consultation_bookings WHERE status = 'active'"));
    }

    [Fact]
    public async Task Student_AsksTheDemoPsychologistAnonymously_AndThePsychologistSeesNoName()
    {
        await using var host = new BotHost(db.ConnectionString, DemoSettings);
        var http = host.Start();
        var student = new PlaygroundChat(http, "student2");
        var psychologist = new PlaygroundChat(http, "psych1");
        await student.SendTextAsync("/start");
        await student.PressAsync(await student.WaitForAsync("согласие"),
            label => label.Contains("Согласен", StringComparison.Ordinal) && !label.StartsWith("Не ", StringComparison.Ordinal));
        await student.PressAsync(await student.WaitForAsync("Кто вы?"), label => label == "Ученик");
        await student.WaitForAsync("Как вас зовут?");
        await student.SendTextAsync("Пётр Соколов");
        await student.PressAsync(await student.WaitForAsync("Выберите свой класс"), label => label == "8В");
        await student.PressAsync(await student.WaitForAsync("14 лет"), label => label.StartsWith("Да", StringComparison.Ordinal));
        await student.WaitForAsync("зарегистрированы");

        await student.SendTextAsync("/ask");
        await student.PressAsync(await student.WaitForAsync("О каком предмете"), label => label == "Психология");
        await student.PressAsync(await student.WaitForAsync("конфиденциальный"), label => label.Contains("Лебедева", StringComparison.Ordinal));
        await student.PressAsync(await student.WaitForAsync("Анонимно:"), label => label.Contains("Анонимно", StringComparison.Ordinal));
        await student.WaitForAsync("Напишите вопрос");
        await student.SendTextAsync("Как справиться со страхом перед контрольной?");
        await student.WaitForAsync("отправлен");

        var notice = PlaygroundChat.TextOf(await psychologist.WaitForAsync("Новый вопрос"));
        Assert.Contains("Аноним", notice);
        Assert.Contains("страхом перед контрольной", notice);
        Assert.DoesNotContain("Соколов", notice);
        Assert.DoesNotContain("8В", notice);
    }

    [Fact]
    public async Task Start_RepliesAlreadyRegistered_WhenTeacherSeeded()
    {
        await using var host = new BotHost(db.ConnectionString, DemoSettings);
        var chat = new PlaygroundChat(host.Start(), "teacher1");

        await chat.SendTextAsync("/start");

        await chat.WaitForAsync("уже зарегистрированы");
        var menu = await chat.WaitForAsync("что будем делать?");
        Assert.Contains("Мария Ивановна Петрова", PlaygroundChat.TextOf(menu));
    }

    [Fact]
    public async Task AdminMenu_AddsGroup_WhenAdminUsesButtons()
    {
        await using var host = new BotHost(db.ConnectionString, DemoSettings);
        var chat = new PlaygroundChat(host.Start(), "admin1");

        await chat.SendTextAsync("/menu");
        var menu = await chat.WaitForAsync("что будем делать?");
        await chat.PressAsync(menu, label => label.Contains("Классы и группы", StringComparison.Ordinal));
        var groups = await chat.WaitForAsync("Классы и группы (");
        await chat.PressAsync(groups, label => label.Contains("Добавить", StringComparison.Ordinal));
        await chat.WaitForAsync("Как называется класс");
        await chat.SendTextAsync("12Г");
        await chat.WaitForAsync("«12Г» добавлен");

        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM school_groups WHERE name = '12Г' AND NOT archived"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'group-added'"));
    }

    [Fact]
    public async Task GetPeople_ListsExactlyConfiguredPeople_WhenPeopleConfigured()
    {
        var settings = new Dictionary<string, string?>(DemoSettings) { ["Playground:SeedDemo"] = "false" };
        string[] people = ["anna", "boris", "vera_1", "grisha-2", "dasha"];
        for (var i = 0; i < people.Length; i++)
        {
            settings[$"Playground:People:{i}"] = people[i];
        }
        await using var host = new BotHost(db.ConnectionString, settings);
        var http = host.Start();

        Assert.Equal(people, (await http.GetFromJsonAsync<string[]>("/playground/api/people"))!);
        var unknown = await http.PostAsJsonAsync("/playground/api/messages", new { user = "student1", text = "/start" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task PlaygroundRoutes_Return404AndStoreNothing_WhenPlaygroundDisabled()
    {
        await using var host = new BotHost(db.ConnectionString, new Dictionary<string, string?> { ["Playground:Enabled"] = "false" });
        var http = host.Start();

        foreach (var path in (string[])["/playground/", "/playground", "/playground/api/people", "/playground/api/messages?user=student1&after=0"])
        {
            var get = await http.GetAsync(path);
            Assert.True(get.StatusCode == HttpStatusCode.NotFound, $"GET {path}: {(int)get.StatusCode}");
        }
        var post = await http.PostAsJsonAsync("/playground/api/messages", new { user = "student1", text = "/start" });

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM processed_updates"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    private async Task<string?> RoleOfActiveAsync(string sender)
    {
        await using var command = db.DataSource.CreateCommand(
            """
            SELECT p.role FROM accounts a JOIN persons p ON p.id = a.person_id
            WHERE a.channel = 'web' AND a.sender_id = @sender AND p.status = 'active' AND p.full_name IS NOT NULL
            """);
        command.Parameters.AddWithValue("sender", sender);
        return (string?)await command.ExecuteScalarAsync();
    }
}

/// <summary>
/// One pretend person talking to the bot through the playground API, as the page does. Replies arrive through the
/// outbox dispatcher, so waits poll with a deadline; each wait looks only at messages after the last one it matched.
/// </summary>
internal sealed class PlaygroundChat(HttpClient http, string user)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private long _seen;

    public static string TextOf(JsonElement message) => message.GetProperty("body").GetProperty("text").GetString() ?? string.Empty;

    public async Task SendTextAsync(string text)
    {
        var response = await http.PostAsJsonAsync("/playground/api/messages", new { user, text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("processed", result.GetProperty("outcome").GetString());
    }

    /// <summary>Presses the button of <paramref name="message"/> whose label matches and returns the callback answer.</summary>
    public async Task<string?> PressAsync(JsonElement message, Func<string, bool> label)
    {
        var keyboard = message.GetProperty("body").GetProperty("keyboard");
        Assert.Equal(JsonValueKind.Object, keyboard.ValueKind);
        var buttons = keyboard.GetProperty("rows").EnumerateArray().SelectMany(row => row.EnumerateArray()).ToList();
        var button = buttons.FirstOrDefault(b => label(b.GetProperty("label").GetString() ?? string.Empty));
        Assert.True(button.ValueKind == JsonValueKind.Object,
            $"no such button under \"{TextOf(message)}\"; buttons: {string.Join(", ", buttons.Select(b => b.GetProperty("label").GetString()))}");

        var response = await http.PostAsJsonAsync("/playground/api/messages",
            new { user, callback = button.GetProperty("payload").GetString() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("processed", result.GetProperty("outcome").GetString());
        return result.GetProperty("answer").GetString();
    }

    /// <summary>Waits for a message whose text contains <paramref name="fragment"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string fragment)
    {
        var deadline = DateTime.UtcNow + Deadline;
        var seen = new List<string>();
        while (true)
        {
            var list = await http.GetFromJsonAsync<List<JsonElement>>($"/playground/api/messages?user={user}&after={_seen}");
            foreach (var message in list!)
            {
                if (TextOf(message).Contains(fragment, StringComparison.Ordinal))
                {
                    _seen = message.GetProperty("id").GetInt64();
                    return message;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                seen.AddRange(list.Select(TextOf));
                Assert.Fail($"{user}: no message containing \"{fragment}\" within {Deadline.TotalSeconds} s; got: {string.Join(" | ", seen)}");
            }
            await Task.Delay(50);
        }
    }
}
