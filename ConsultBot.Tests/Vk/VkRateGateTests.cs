using ConsultBot.Host.Vk;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Vk;

public sealed class VkRateGateTests
{
    private readonly FakeTimeProvider _time = new();

    private VkRateGate Gate(double perSecond) => new(Options.Create(new VkOptions { RequestsPerSecond = perSecond }), _time);

    [Fact]
    public async Task WaitAsync_WaitsForTheWindow_WhenTheLimitIsUsed()
    {
        using var gate = Gate(2);
        (await gate.WaitAsync(CancellationToken.None)).Dispose();
        (await gate.WaitAsync(CancellationToken.None)).Dispose();

        var third = gate.WaitAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1.1));
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task WaitAsync_KeepsHalfThePermitsForReplies_WhenButtonAnswersPileUp()
    {
        using var gate = Gate(4);
        (await gate.WaitAsync(CancellationToken.None, buttonAnswer: true)).Dispose();
        (await gate.WaitAsync(CancellationToken.None, buttonAnswer: true)).Dispose();

        var thirdAnswer = gate.WaitAsync(CancellationToken.None, buttonAnswer: true);
        var reply = gate.WaitAsync(CancellationToken.None);

        Assert.False(thirdAnswer.IsCompleted);
        Assert.True(reply.IsCompletedSuccessfully);
        (await reply).Dispose();
        _time.Advance(TimeSpan.FromSeconds(1.1));
        (await thirdAnswer.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task Lease_HoldsItsPermitUntilAfterTheCallEnded()
    {
        using var gate = Gate(1);
        var lease = await gate.WaitAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3)); // a slow call: the second must still wait a full second after it

        lease.Dispose();
        var next = gate.WaitAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1.1));
        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }
}
