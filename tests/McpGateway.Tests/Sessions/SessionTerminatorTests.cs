using System.Collections.Concurrent;
using McpGateway.Sessions;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Sessions;

public sealed class SessionTerminatorTests
{
    private readonly InMemorySessionRepository _repository = new(new FakeTimeProvider());
    private readonly InMemoryEventBus _events = new(new CapturingLogger<InMemoryEventBus>());
    private readonly ConcurrentQueue<GatewayEvent> _published = new();
    private readonly CapturingLogger<SessionTerminator> _logger = new();
    private readonly SessionTerminator _terminator;

    public SessionTerminatorTests()
    {
        _events.Subscribe(e =>
        {
            _published.Enqueue(e);
            return Task.CompletedTask;
        });
        _terminator = new SessionTerminator(_repository, _events, _logger);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ending_a_session_removes_it_and_tells_every_replica_by_storage_key()
    {
        var id = await CreateAsync("alice", "sid-1");

        Assert.True(await _terminator.EndAsync(id, "logout", Cancellation));

        Assert.Null(await _repository.GetAsync(id.StorageKey, Cancellation));
        var published = Assert.Single(_published);
        Assert.Equal(GatewayEvent.SessionEnded, published.Type);
        Assert.Equal(id.StorageKey, published.SessionKey);
        Assert.Equal("logout", published.Reason);
    }

    [Fact]
    public async Task Ending_a_session_never_publishes_or_logs_the_cookie_value()
    {
        var id = await CreateAsync("alice", "sid-1");

        await _terminator.EndAsync(id, "logout", Cancellation);

        Assert.DoesNotContain(_published, e => e.SessionKey == id.Value);
        Assert.DoesNotContain(id.Value, _logger.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ending_a_session_that_is_already_gone_returns_false_and_publishes_nothing()
    {
        Assert.False(await _terminator.EndAsync(SessionId.New(), "logout", Cancellation));

        Assert.Empty(_published);
    }

    [Fact]
    public async Task Ending_by_sid_ends_only_the_sessions_of_that_sid()
    {
        var first = await CreateAsync("alice", "sid-1");
        var second = await CreateAsync("alice", "sid-1");
        var other = await CreateAsync("alice", "sid-2");

        Assert.Equal(2, await _terminator.EndBySidAsync("sid-1", "back-channel logout", Cancellation));

        Assert.Null(await _repository.GetAsync(first.StorageKey, Cancellation));
        Assert.Null(await _repository.GetAsync(second.StorageKey, Cancellation));
        Assert.NotNull(await _repository.GetAsync(other.StorageKey, Cancellation));
        Assert.Equal(2, _published.Count);
    }

    [Fact]
    public async Task Ending_by_subject_ends_every_session_of_the_subject()
    {
        await CreateAsync("alice", "sid-1");
        await CreateAsync("alice", null);
        var bob = await CreateAsync("bob", "sid-3");

        Assert.Equal(2, await _terminator.EndBySubjectAsync("alice", "back-channel logout", Cancellation));

        Assert.Empty(await _repository.FindBySubjectAsync("alice", Cancellation));
        Assert.NotNull(await _repository.GetAsync(bob.StorageKey, Cancellation));
    }

    [Fact]
    public async Task Ending_an_unknown_sid_ends_nothing()
        => Assert.Equal(0, await _terminator.EndBySidAsync("nobody", "back-channel logout", Cancellation));

    private async Task<SessionId> CreateAsync(string subject, string? sid)
    {
        var id = SessionId.New();
        await _repository.CreateAsync(id.StorageKey, new SessionRecord([1], [2], subject, sid), TimeSpan.FromHours(1), Cancellation);
        return id;
    }
}
