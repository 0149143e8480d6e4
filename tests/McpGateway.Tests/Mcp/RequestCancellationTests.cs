using McpGateway.Mcp;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Mcp;

public sealed class RequestCancellationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Running_out_of_time_cancels_the_request_as_timed_out()
    {
        using var stopping = new CancellationTokenSource();
        using var cancellation = new RequestCancellation(Timeout, _time, stopping.Token);

        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(cancellation.IsCancellationRequested);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(cancellation.IsCancellationRequested);
        Assert.True(cancellation.TimedOut);
    }

    [Fact]
    public async Task The_browsers_cancellation_is_not_a_timeout()
    {
        using var stopping = new CancellationTokenSource();
        using var cancellation = new RequestCancellation(Timeout, _time, stopping.Token);

        await cancellation.CancelByBrowserAsync();
        _time.Advance(Timeout);

        Assert.True(cancellation.IsCancellationRequested);
        Assert.False(cancellation.TimedOut);
    }

    [Fact]
    public async Task The_socket_stopping_cancels_the_request_and_is_not_a_timeout()
    {
        using var stopping = new CancellationTokenSource();
        using var cancellation = new RequestCancellation(Timeout, _time, stopping.Token);

        await stopping.CancelAsync();

        Assert.True(cancellation.IsCancellationRequested);
        Assert.False(cancellation.TimedOut);
    }

    [Fact]
    public async Task A_socket_already_stopping_gives_a_cancelled_request()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        using var cancellation = new RequestCancellation(Timeout, _time, stopping.Token);

        Assert.True(cancellation.IsCancellationRequested);
        Assert.False(cancellation.TimedOut);
    }

    [Fact]
    public async Task A_finished_request_is_no_longer_touched_by_the_socket_stopping_or_a_late_browser_cancellation()
    {
        using var stopping = new CancellationTokenSource();
        var cancellation = new RequestCancellation(Timeout, _time, stopping.Token);
        cancellation.Dispose();

        await stopping.CancelAsync();
        await cancellation.CancelByBrowserAsync();

        Assert.True(stopping.IsCancellationRequested);
    }
}
