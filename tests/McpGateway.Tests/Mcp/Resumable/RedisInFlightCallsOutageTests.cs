using McpGateway.Mcp.Resumable;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using StackExchange.Redis;

namespace McpGateway.Tests.Mcp.Resumable;

/// <summary>
/// The in-flight record while Redis cannot be reached, with the gateway's fail-fast client: recording and forgetting
/// (fire and forget, on the call's path) drop the write without throwing, and reading fails loudly, which the resumed
/// socket turns into "nothing pending" (the browser sends its calls again).
/// </summary>
public sealed class RedisInFlightCallsOutageTests : IAsyncLifetime
{
    private ConnectionMultiplexer _unreachable = null!;

    public async ValueTask InitializeAsync() => _unreachable = await UnreachableRedis.ConnectAsync(BacklogPolicy.FailFast);

    public async ValueTask DisposeAsync() => await _unreachable.DisposeAsync();

    [Fact]
    public async Task Recording_and_forgetting_a_call_without_redis_do_not_throw_and_reading_fails_loudly()
    {
        var calls = new RedisInFlightCalls(_unreachable, new RedisKeyspace(Options.Create(new RedisOptions { KeyPrefix = "test:" })));

        calls.Record("ws-key", new InFlightCall(new InFlightCallKey("two", 7), new RequestId(3), "event-1"), TimeSpan.FromMinutes(5));
        calls.Remove("ws-key", new InFlightCallKey("two", 7));

        await Assert.ThrowsAsync<RedisConnectionException>(() => calls.ListAsync("ws-key", TestContext.Current.CancellationToken));
    }
}
