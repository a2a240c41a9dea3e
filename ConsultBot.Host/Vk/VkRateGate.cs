using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Vk;

/// <summary>
/// Keeps every call made with the community token (sends, button answers, start-up checks) within VK's limit: at most
/// <see cref="VkOptions.RequestsPerSecond"/> calls in any one second, which is how VK counts. A call holds one of the
/// permits from before it is sent until a second after its answer came: VK saw it somewhere in between, so no second
/// of VK's clock can see more calls than permits, whatever the network's jitter. The dispatcher's lane limiter paces
/// rows; this gate also covers what the lane does not see (button answers, the extra pages of a long keyboard).
/// Button answers may hold at most half of the permits, so a burst of presses never starves the replies (and a
/// backlog of replies leaves the other half to the answers).
/// </summary>
public sealed class VkRateGate(IOptions<VkOptions> options, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(5);
    private readonly SemaphoreSlim _permits = new(Math.Max(1, (int)Math.Floor(options.Value.RequestsPerSecond)));
    private readonly SemaphoreSlim _answerPermits = new(Math.Max(1, (int)Math.Floor(options.Value.RequestsPerSecond) / 2));

    /// <summary>Waits for a permit; dispose the lease when the call's answer arrived (or it failed).</summary>
    public async Task<Lease> WaitAsync(CancellationToken cancellationToken, bool buttonAnswer = false)
    {
        if (buttonAnswer)
        {
            await _answerPermits.WaitAsync(cancellationToken);
        }
        try
        {
            await _permits.WaitAsync(cancellationToken);
        }
        catch
        {
            if (buttonAnswer)
            {
                _answerPermits.Release();
            }
            throw;
        }
        return new Lease(this, buttonAnswer);
    }

    private async Task ReleaseLaterAsync(bool buttonAnswer)
    {
        await Task.Delay(Window, time);
        try
        {
            _permits.Release();
            if (buttonAnswer)
            {
                _answerPermits.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // The host is stopping; nobody waits for permits any more.
        }
    }

    public void Dispose()
    {
        _permits.Dispose();
        _answerPermits.Dispose();
    }

    public readonly struct Lease(VkRateGate gate, bool buttonAnswer) : IDisposable
    {
        public void Dispose() => _ = gate.ReleaseLaterAsync(buttonAnswer);
    }
}
