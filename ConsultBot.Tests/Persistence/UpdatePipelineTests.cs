using ConsultBot.Domain.Messaging;
using ConsultBot.Host.Conversations;
using ConsultBot.Host.Outbox;
using ConsultBot.Host.Admin;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.School;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConsultBot.Tests.Persistence;

/// <summary>The inbound pipeline against the real database: one transaction per update, dedupe, outbox rows.</summary>
public sealed class UpdatePipelineTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private UpdatePipeline _pipeline = null!;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        var engines = new EngineProvider(Options.Create(new SchoolOptions { Name = "Школа №5" }), Options.Create(new AdminOptions()),
            Options.Create(new ConsultationsOptions()), Options.Create(new ConsultBot.Host.Timetable.TimetableOptions()), new SchoolClock(TimeProvider.System),
            Options.Create(new ConsultBot.Host.Questions.QuestionsOptions()));
        _pipeline = new UpdatePipeline(db.DataSource, engines, new OutboxSignal(), new AttachmentReader([]), NullLogger<UpdatePipeline>.Instance);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ProcessAsync_WritesReplyToOutbox_InSameTransactionAsDedupeMark()
    {
        var result = await _pipeline.ProcessAsync(Text("1", "u1", "/start"), CancellationToken.None);

        Assert.Equal(UpdateOutcome.Processed, result.Outcome);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM processed_updates"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE channel = 'web' AND chat_id = 'u1' AND status = 'pending'"));
        Assert.Contains("Школа №5", await db.ScalarAsync<string>("SELECT body->>'text' FROM outbox"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM persons"));
    }

    [Fact]
    public async Task ProcessAsync_HasNoSecondEffect_WhenUpdateIdRepeats()
    {
        await _pipeline.ProcessAsync(Text("7", "u1", "/start"), CancellationToken.None);

        var again = await _pipeline.ProcessAsync(Text("7", "u1", "/start"), CancellationToken.None);

        Assert.Equal(UpdateOutcome.Duplicate, again.Outcome);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task ProcessAsync_ProcessesEachUpdateOnce_WhenDuplicatesArriveConcurrently()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => _pipeline.ProcessAsync(Text("42", "u2", "/start"), CancellationToken.None))));

        Assert.Single(results, r => r.Outcome == UpdateOutcome.Processed);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox"));
    }

    [Fact]
    public async Task ProcessAsync_KeepsChatOrder_WhenUpdatesOfOneChatRunConcurrently()
    {
        await RegisterAsync("u3");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => _pipeline.ProcessAsync(Text("h" + i, "u3", "/help"), CancellationToken.None))));

        // Every update saw the state the previous one committed: the person row was never lost or duplicated.
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM persons"));
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE body->>'text' LIKE '%/menu%'"));
    }

    [Fact]
    public async Task ProcessAsync_StoresPersonWithDialogState_AfterConsent()
    {
        await _pipeline.ProcessAsync(Text("1", "u4", "/start"), CancellationToken.None);
        var accept = await db.ScalarAsync<string>("SELECT body->'keyboard'->'rows'->0->0->>'payload' FROM outbox");

        var result = await _pipeline.ProcessAsync(Press("2", "u4", accept), CancellationToken.None);

        Assert.Equal(UpdateOutcome.Processed, result.Outcome);
        Assert.Equal("registering", await db.ScalarAsync<string>("SELECT status FROM persons"));
        Assert.Equal("reg.role", await db.ScalarAsync<string>("SELECT dialog->>'step' FROM persons"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE channel = 'web' AND sender_id = 'u4'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'consent-given'"));
    }

    [Fact]
    public async Task Forget_ErasesPersonalData_AndKeepsAnonymousAudit()
    {
        var personId = await RegisterAsync("u5");
        await db.ExecuteAsync("INSERT INTO web_messages (user_key, body) VALUES ('u5', '{\"text\":\"Иван Петров\"}'), ('other', '{}')");
        await _pipeline.ProcessAsync(Text("f1", "u5", "/forget"), CancellationToken.None);
        var yes = await db.ScalarAsync<string>(
            "SELECT b->>'payload' FROM outbox, jsonb_array_elements(body->'keyboard'->'rows'->0) b WHERE b->>'payload' LIKE 'fg:%:y' ORDER BY id DESC LIMIT 1");

        await _pipeline.ProcessAsync(Press("f2", "u5", yes), CancellationToken.None);

        Assert.Equal("forgotten", await db.ScalarAsync<string>("SELECT status FROM persons WHERE id = @id", ("id", personId)));
        Assert.True(await db.ScalarAsync<bool>("SELECT full_name IS NULL AND group_id IS NULL FROM persons WHERE id = @id", ("id", personId)));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM accounts"));
        // Messages to and about the person are gone; only the confirmation of the erasure waits, without an owner.
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE chat_id = 'u5' OR person_id = @id", ("id", personId)));
        Assert.True(await db.ScalarAsync<bool>("SELECT person_id IS NULL AND body->>'text' LIKE '%удалены%' FROM outbox WHERE chat_id = 'u5'"));
        Assert.Equal("other", await db.ScalarAsync<string>("SELECT string_agg(user_key, ',') FROM web_messages"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'personal-data-erased' AND subject_id = @id",
            ("id", personId)));

        // The same messenger account starts from scratch afterwards.
        await _pipeline.ProcessAsync(Text("f3", "u5", "/start"), CancellationToken.None);
        Assert.Contains("152-ФЗ", await db.ScalarAsync<string>("SELECT body->>'text' FROM outbox ORDER BY id DESC LIMIT 1"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM persons WHERE status <> 'forgotten'"));
    }

    [Fact]
    public async Task ChildLinkCode_IsStoredHashed()
    {
        await db.ExecuteAsync("INSERT INTO school_groups (name) VALUES ('5А')");
        await RegisterAsync("u6", under14: true);

        var text = await db.ScalarAsync<string>("SELECT body->>'text' FROM outbox WHERE body->>'text' LIKE '%14%' ORDER BY id DESC LIMIT 1");
        var code = System.Text.RegularExpressions.Regex.Match(text, "[A-Z2-9]{4}-[A-Z2-9]{4}").Value.Replace("-", "", StringComparison.Ordinal);

        Assert.Equal(8, code.Length);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM one_time_codes WHERE position(convert_to(@c, 'UTF8') in code_hash) > 0",
            ("c", code)));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM one_time_codes WHERE code_hash = sha256(convert_to(@c, 'UTF8'))",
            ("c", code)));
    }

    private async Task<long> RegisterAsync(string user, bool under14 = false)
    {
        if (await db.ScalarAsync<long>("SELECT count(*) FROM school_groups") == 0)
        {
            await db.ExecuteAsync("INSERT INTO school_groups (name) VALUES ('7Б')");
        }
        var n = 0;
        async Task<string> ButtonAsync(string prefix) => await db.ScalarAsync<string>(
            """
            SELECT b->>'payload' FROM outbox o, jsonb_array_elements(o.body->'keyboard'->'rows') r, jsonb_array_elements(r) b
            WHERE o.chat_id = @chat AND b->>'payload' LIKE @prefix ORDER BY o.id DESC LIMIT 1
            """, ("chat", user), ("prefix", prefix + "%"));
        await _pipeline.ProcessAsync(Text(user + n++, user, "/start"), CancellationToken.None);
        await _pipeline.ProcessAsync(Press(user + n++, user, await ButtonAsync("ca:")), CancellationToken.None);
        await _pipeline.ProcessAsync(Press(user + n++, user, await ButtonAsync("ro:%:s")), CancellationToken.None);
        await _pipeline.ProcessAsync(Text(user + n++, user, "Иван Петров"), CancellationToken.None);
        await _pipeline.ProcessAsync(Press(user + n++, user, await ButtonAsync("gr:")), CancellationToken.None);
        await _pipeline.ProcessAsync(Press(user + n++, user, await ButtonAsync(under14 ? "ag:%:1" : "ag:%:0")), CancellationToken.None);
        Assert.Equal("active", await db.ScalarAsync<string>(
            "SELECT p.status FROM persons p JOIN accounts a ON a.person_id = p.id WHERE a.sender_id = @u", ("u", user)));
        return await db.ScalarAsync<long>("SELECT person_id FROM accounts WHERE sender_id = @u", ("u", user));
    }

    private static IncomingEvent Text(string id, string user, string text) => new()
    {
        Channel = Channel.Web, UpdateId = id, Kind = EventKind.Text, SenderId = user, ChatId = user, Text = text,
    };

    private static IncomingEvent Press(string id, string user, string data) => new()
    {
        Channel = Channel.Web, UpdateId = id, Kind = EventKind.Callback, SenderId = user, ChatId = user, CallbackData = data, CallbackId = id,
    };
}
