using System.Diagnostics;
using System.Globalization;
using System.Net;
using ConsultBot.Domain.People;
using ConsultBot.Host.Operations;
using ConsultBot.Tests.Fakes;
using ConsultBot.Tests.Infrastructure;
using ConsultBot.Tests.Operations;
using Xunit.Abstractions;

namespace ConsultBot.Tests.EndToEnd;

/// <summary>
/// The per-person rate limit through the webhook and the fake Bot API, as issue 8 puts it: one user sends 1,000 updates
/// in about a second (20 batches of 50, one batch every 50 ms, each batch's posts at once), gets answers to exactly the
/// allowed ones and exactly one "please slow down"; another user writing at the same time is answered as usual. The
/// bucket is production's size (40) but refills one message a minute here, so nothing refills while the flood lasts and
/// the counts are exact.
/// </summary>
public sealed class TelegramThrottleTests(PostgresFixture db, ITestOutputHelper output) : TelegramEndToEndTest(db), IClassFixture<PostgresFixture>
{
    private const int Allowance = 40; // MessagesPerMinute 1 + Burst 39
    private const int Flood = 1000;
    private const int Batches = 20;
    private static readonly TimeSpan BatchEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>The "1,000 updates per second", with room for a busy machine's scheduling.</summary>
    private static readonly TimeSpan FloodWithin = TimeSpan.FromSeconds(1.5);

    /// <summary>The calm user writes during every fourth batch: five messages, all within the allowance.</summary>
    private const int CalmEvery = 4;

    private readonly TelegramUser _flooder = new(8101);
    private readonly TelegramUser _calm = new(8102);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await StartWebhookAsync(new Dictionary<string, string?> { ["Abuse:MessagesPerMinute"] = "1", ["Abuse:Burst"] = "39" });
    }

    [Fact]
    public async Task Flood_Of1000InASecond_GetsTheAllowedAnswersAndOneSlowDown_WhileAnotherUserIsAnswered()
    {
        // Bodies are made before the clock starts; the flood's ids are 1..1000, the calm user's 2001.. .
        var floodBodies = Enumerable.Range(1, Flood)
            .Select(i => TelegramUpdates.Text(_flooder.Id, "/help").WithUpdateId(i).ToJsonString()).ToList();
        var calmBodies = Enumerable.Range(1, Batches / CalmEvery)
            .Select(i => TelegramUpdates.Text(_calm.Id, "/help").WithUpdateId(2000 + i).ToJsonString()).ToList();
        var perBatch = Flood / Batches;

        var clock = Stopwatch.StartNew();
        var flood = new List<Task<HttpStatusCode>>(Flood);
        var calm = new List<Task<(HttpStatusCode Status, TimeSpan RoundTrip)>>();
        for (var b = 0; b < Batches; b++)
        {
            // Paced by the batch's start time, not by the answers: a slow host gets the same offered rate.
            var wait = b * BatchEvery - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }
            flood.AddRange(floodBodies.Skip(b * perBatch).Take(perBatch).Select(PostAsync));
            if (b % CalmEvery == CalmEvery - 1)
            {
                calm.Add(TimedPostAsync(calmBodies[b / CalmEvery]));
            }
        }
        var issued = clock.Elapsed;
        var floodStatuses = await Task.WhenAll(flood);
        var answered = clock.Elapsed;
        var calmResults = await Task.WhenAll(calm);
        var rate = $"1000 updates issued in {issued.TotalSeconds:F2} s ({Flood / issued.TotalSeconds:F0}/s), all answered by the " +
                   $"webhook in {answered.TotalSeconds:F2} s ({Flood / answered.TotalSeconds:F0}/s); the calm user's round trips " +
                   string.Join(", ", calmResults.Select(r => $"{r.RoundTrip.TotalMilliseconds:F0} ms"));
        output.WriteLine(rate);

        Assert.True(issued <= FloodWithin, $"the flood was not sent within {FloodWithin.TotalSeconds} s: {rate}");
        Assert.True(floodStatuses.All(s => s == HttpStatusCode.OK), $"not every flood update got 200: " +
            string.Join(", ", floodStatuses.GroupBy(s => s).Select(g => $"{(int)g.Key} × {g.Count()}")) + $"; {rate}");
        Assert.All(calmResults, r => Assert.Equal(HttpStatusCode.OK, r.Status));

        // The other user: every message answered as usual, nothing about slowing down.
        var help = Ru.Help(Role.Student, registered: false);
        var calmAnswers = await NextMessagesAsync(_calm, calmBodies.Count);
        Assert.All(calmAnswers, m => Assert.Equal(help, m.Text));

        // The flooder: exactly the allowance answered and one "slow down", in whatever order the commits fell.
        var answers = await NextMessagesAsync(_flooder, Allowance + 1);
        Assert.Equal(Allowance, answers.Count(m => m.Text == help));
        Assert.Equal(1, answers.Count(m => m.Text == Ru.SlowDown));

        // Nothing lost: each of the 1,000 marked processed once, the throttled ones included; nothing more to send.
        Assert.Equal(Flood, await CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'telegram' AND update_id::bigint BETWEEN 1 AND 1000"));
        Assert.Equal(calmBodies.Count, await CountAsync("SELECT count(*) FROM processed_updates WHERE channel = 'telegram' AND update_id::bigint > 2000"));
        await EventuallyAsync(() => CountAsync("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"), n => n == 0, "the outbox to drain");
        Assert.Equal(Allowance + 1, await CountAsync("SELECT count(*) FROM outbox WHERE chat_id = @chat", ("chat", _flooder.Key)));
        Assert.Equal(calmBodies.Count, await CountAsync("SELECT count(*) FROM outbox WHERE chat_id = @chat", ("chat", _calm.Key)));
        // No duplicate replies: what the messenger got is what the outbox holds.
        Assert.Equal(Allowance + 1, Telegram.MessagesTo(_flooder.Id).Count);
        Assert.Equal(calmBodies.Count, Telegram.MessagesTo(_calm.Id).Count);

        var metrics = await HostClient.GetStringAsync(OperationsExtensions.MetricsPath);
        Assert.Equal(Flood - Allowance, MetricsText.Value(metrics, "consultbot_updates_received_total", "channel=\"telegram\"", "outcome=\"throttled\""));
        Assert.Equal(Allowance + calmBodies.Count,
            MetricsText.Value(metrics, "consultbot_updates_received_total", "channel=\"telegram\"", "outcome=\"processed\""));
        Assert.Equal(0, MetricsText.Value(metrics, "consultbot_updates_received_total", "channel=\"telegram\"", "outcome=\"duplicate\"") ?? 0);
    }

    private async Task<HttpStatusCode> PostAsync(string body)
    {
        using var response = await PostWebhookAsync(body, WebhookSecret);
        return response.StatusCode;
    }

    private async Task<(HttpStatusCode, TimeSpan)> TimedPostAsync(string body)
    {
        var started = Stopwatch.GetTimestamp();
        var status = await PostAsync(body);
        return (status, Stopwatch.GetElapsedTime(started));
    }
}
