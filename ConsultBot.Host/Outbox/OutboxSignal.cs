using System.Threading.Channels;

namespace ConsultBot.Host.Outbox;

/// <summary>
/// Wakes dispatchers after outbox rows are committed: this instance's at once, other instances' through a
/// coalesced NOTIFY sent by <see cref="OutboxNotifier"/> outside the business transaction (a NOTIFY inside every
/// transaction would serialise all commits on PostgreSQL's notify lock).
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<bool> _notify = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Identifies this instance's notifications, so its own listener ignores them.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>New rows were committed by this instance: wake the local dispatcher and tell the other instances.</summary>
    public void Committed()
    {
        Set();
        _notify.Writer.TryWrite(true);
    }

    /// <summary>Wakes the local dispatcher only.</summary>
    public void Set() => _wake.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _wake.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // timeout: time to look for due retries
        }
    }

    internal ValueTask<bool> WaitForCommitAsync(CancellationToken cancellationToken) => _notify.Reader.ReadAsync(cancellationToken);
}
