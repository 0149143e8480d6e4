using McpGateway.Connectors.StepUp;
using McpGateway.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace McpGateway.Tests.Connectors.StepUp;

public sealed class ConnectorStepUpsTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ConnectorStepUps _stepUps;
    private readonly SessionId _session = SessionId.New();
    private readonly CancellationToken _cancellation = TestContext.Current.CancellationToken;

    public ConnectorStepUpsTests() => _stepUps = new ConnectorStepUps(new InMemoryConnectorStepUps(_time), NullLogger<ConnectorStepUps>.Instance);

    [Fact]
    public async Task A_demanded_scope_is_remembered_per_session_and_connector()
    {
        await _stepUps.RememberAsync(_session, "vault", "mcp mcp:admin", _cancellation);

        Assert.Equal("mcp mcp:admin", await _stepUps.DemandedAsync(_session, "vault", _cancellation));
        Assert.Null(await _stepUps.DemandedAsync(_session, "other", _cancellation));
        Assert.Null(await _stepUps.DemandedAsync(SessionId.New(), "vault", _cancellation));
    }

    [Fact]
    public async Task Later_demands_add_to_earlier_ones()
    {
        await _stepUps.RememberAsync(_session, "vault", "mcp:admin", _cancellation);
        await _stepUps.RememberAsync(_session, "vault", "files:write mcp:admin", _cancellation);

        Assert.Equal("mcp:admin files:write", await _stepUps.DemandedAsync(_session, "vault", _cancellation));
    }

    [Theory]
    [InlineData("")]
    [InlineData("mcp \"admin\"")]
    [InlineData("caf\u00e9")]
    public async Task A_malformed_or_empty_demand_is_ignored_and_keeps_the_earlier_one(string scope)
    {
        await _stepUps.RememberAsync(_session, "vault", "mcp:admin", _cancellation);
        await _stepUps.RememberAsync(_session, "vault", scope, _cancellation);

        Assert.Equal("mcp:admin", await _stepUps.DemandedAsync(_session, "vault", _cancellation));
    }

    [Fact]
    public async Task Too_many_piled_up_demands_keep_the_latest()
    {
        var many = string.Join(' ', Enumerable.Range(0, ScopeTokens.MaxTokens).Select(i => "s" + i));
        await _stepUps.RememberAsync(_session, "vault", many, _cancellation);
        await _stepUps.RememberAsync(_session, "vault", "mcp:admin", _cancellation);

        Assert.Equal("mcp:admin", await _stepUps.DemandedAsync(_session, "vault", _cancellation));
    }

    [Fact]
    public async Task A_demand_expires_and_can_be_forgotten()
    {
        await _stepUps.RememberAsync(_session, "vault", "mcp:admin", _cancellation);
        _time.Advance(ConnectorStepUps.Lifetime);
        Assert.Null(await _stepUps.DemandedAsync(_session, "vault", _cancellation));

        await _stepUps.RememberAsync(_session, "vault", "mcp:admin", _cancellation);
        await _stepUps.ForgetAsync(_session, "vault", _cancellation);
        Assert.Null(await _stepUps.DemandedAsync(_session, "vault", _cancellation));
    }

    [Fact]
    public async Task A_store_that_cannot_be_reached_loses_only_the_hint()
    {
        var stepUps = new ConnectorStepUps(new Unreachable(), NullLogger<ConnectorStepUps>.Instance);

        await stepUps.RememberAsync(_session, "vault", "mcp:admin", _cancellation);
    }

    private sealed class Unreachable : IConnectorStepUps
    {
        public Task SaveAsync(string sessionKey, string connector, string scope, TimeSpan timeToLive, CancellationToken cancellationToken) => throw Down();

        public Task<string?> GetAsync(string sessionKey, string connector, CancellationToken cancellationToken) => throw Down();

        public Task RemoveAsync(string sessionKey, string connector, CancellationToken cancellationToken) => throw Down();

        private static RedisException Down() => new("no redis");
    }
}
