namespace McpGateway.Mcp;

/// <summary>
/// One browser request's cancellation in a single source: its timeout (<see cref="McpOptions.RequestTimeout"/>), the
/// socket stopping, and the browser's <c>notifications/cancelled</c>. It replaces a linked source per request plus a
/// timeout source plus a second linked one; <see cref="TimedOut"/> tells the three causes apart.
/// </summary>
internal sealed class RequestCancellation : CancellationTokenSource
{
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _onStopping;
    private volatile bool _byBrowser;

    public RequestCancellation(TimeSpan timeout, TimeProvider time, CancellationToken stopping)
        : base(timeout, time)
    {
        _stopping = stopping;
        _onStopping = stopping.UnsafeRegister(static state => ((RequestCancellation)state!).CancelQuietly(), this);
    }

    /// <summary>Cancelled, neither by the browser nor by the socket stopping: the request ran out of time.</summary>
    public bool TimedOut => IsCancellationRequested && !_byBrowser && !_stopping.IsCancellationRequested;

    /// <summary>The browser cancelled the request (MCP: no answer follows).</summary>
    public async Task CancelByBrowserAsync()
    {
        _byBrowser = true;
        try
        {
            await CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The request finished meanwhile.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _onStopping.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CancelQuietly()
    {
        try
        {
            Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
