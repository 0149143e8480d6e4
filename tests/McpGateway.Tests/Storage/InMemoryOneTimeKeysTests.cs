using McpGateway.Storage;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Storage;

public sealed class InMemoryOneTimeKeysTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Key_is_accepted_once_and_refused_the_second_time()
    {
        var keys = new InMemoryOneTimeKeys(_time);

        Assert.True(await keys.TryUseAsync("logout-jti:a", Window, Cancellation));
        Assert.False(await keys.TryUseAsync("logout-jti:a", Window, Cancellation));
    }

    [Fact]
    public async Task Key_is_still_refused_just_before_the_window_ends()
    {
        var keys = new InMemoryOneTimeKeys(_time);
        await keys.TryUseAsync("a", Window, Cancellation);

        _time.Advance(Window - TimeSpan.FromSeconds(1));

        Assert.False(await keys.TryUseAsync("a", Window, Cancellation));
    }

    [Fact]
    public async Task Key_is_usable_again_once_the_window_has_passed()
    {
        var keys = new InMemoryOneTimeKeys(_time);
        await keys.TryUseAsync("a", Window, Cancellation);

        _time.Advance(Window);

        Assert.True(await keys.TryUseAsync("a", Window, Cancellation));
        Assert.False(await keys.TryUseAsync("a", Window, Cancellation));
    }

    [Fact]
    public async Task A_refused_reuse_does_not_extend_the_window()
    {
        var keys = new InMemoryOneTimeKeys(_time);
        await keys.TryUseAsync("a", Window, Cancellation);
        _time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(await keys.TryUseAsync("a", Window, Cancellation));

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(await keys.TryUseAsync("a", Window, Cancellation));
    }

    [Fact]
    public async Task Keys_are_independent_and_case_sensitive()
    {
        var keys = new InMemoryOneTimeKeys(_time);
        await keys.TryUseAsync("a", Window, Cancellation);

        Assert.True(await keys.TryUseAsync("b", Window, Cancellation));
        Assert.True(await keys.TryUseAsync("A", Window, Cancellation));
    }

    [Fact]
    public async Task Each_key_keeps_its_own_window()
    {
        var keys = new InMemoryOneTimeKeys(_time);
        await keys.TryUseAsync("short", TimeSpan.FromMinutes(1), Cancellation);
        await keys.TryUseAsync("long", TimeSpan.FromMinutes(30), Cancellation);

        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.True(await keys.TryUseAsync("short", Window, Cancellation));
        Assert.False(await keys.TryUseAsync("long", Window, Cancellation));
    }

    [Fact]
    public async Task Concurrent_uses_of_one_key_accept_exactly_one()
    {
        var keys = new InMemoryOneTimeKeys(_time);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => keys.TryUseAsync("race", Window, Cancellation), Cancellation)));

        Assert.Single(results, accepted => accepted);
    }
}
