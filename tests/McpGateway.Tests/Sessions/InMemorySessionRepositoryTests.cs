using McpGateway.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Sessions;

public sealed class InMemorySessionRepositoryTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemorySessionRepository _repository;

    public InMemorySessionRepositoryTests() => _repository = new InMemorySessionRepository(_time);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Created_session_is_returned_with_its_fields()
    {
        var record = Record("alice", "sid-1");
        await _repository.CreateAsync("k1", record, Ttl, Cancellation);

        var found = await _repository.GetAsync("k1", Cancellation);

        Assert.NotNull(found);
        Assert.Equal(record.ProtectedTicket, found.ProtectedTicket);
        Assert.Equal(record.ProtectedTokens, found.ProtectedTokens);
        Assert.Equal("alice", found.Subject);
        Assert.Equal("sid-1", found.Sid);
        Assert.Equal(record.ProtectedTokens, await _repository.GetTokensAsync("k1", Cancellation));
    }

    [Fact]
    public async Task Unknown_key_has_no_session_and_no_tokens()
    {
        Assert.Null(await _repository.GetAsync("nope", Cancellation));
        Assert.Null(await _repository.GetTokensAsync("nope", Cancellation));
    }

    [Fact]
    public async Task Session_lives_until_just_before_its_time_to_live_and_is_gone_at_it()
    {
        await _repository.CreateAsync("k1", Record("alice"), Ttl, Cancellation);

        _time.Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.NotNull(await _repository.GetAsync("k1", Cancellation));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await _repository.GetAsync("k1", Cancellation));
        Assert.Null(await _repository.GetTokensAsync("k1", Cancellation));
    }

    [Fact]
    public async Task Updating_the_ticket_slides_the_time_to_live_and_keeps_the_tokens()
    {
        var record = Record("alice");
        await _repository.CreateAsync("k1", record, Ttl, Cancellation);
        _time.Advance(TimeSpan.FromMinutes(8));

        Assert.True(await _repository.UpdateTicketAsync("k1", [9, 9, 9], Ttl, Cancellation));
        _time.Advance(TimeSpan.FromMinutes(8));

        var found = await _repository.GetAsync("k1", Cancellation);
        Assert.NotNull(found);
        Assert.Equal([9, 9, 9], found.ProtectedTicket);
        Assert.Equal(record.ProtectedTokens, found.ProtectedTokens);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await _repository.GetAsync("k1", Cancellation));
    }

    [Fact]
    public async Task Updating_the_tokens_keeps_the_ticket_and_does_not_extend_the_session()
    {
        var record = Record("alice");
        await _repository.CreateAsync("k1", record, Ttl, Cancellation);
        _time.Advance(TimeSpan.FromMinutes(8));

        Assert.True(await _repository.UpdateTokensAsync("k1", [7, 7], Cancellation));

        var found = await _repository.GetAsync("k1", Cancellation);
        Assert.NotNull(found);
        Assert.Equal([7, 7], found.ProtectedTokens);
        Assert.Equal(record.ProtectedTicket, found.ProtectedTicket);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await _repository.GetAsync("k1", Cancellation));
    }

    [Fact]
    public async Task Updating_a_missing_session_returns_false_and_does_not_recreate_it()
    {
        Assert.False(await _repository.UpdateTicketAsync("ghost", [1], Ttl, Cancellation));
        Assert.False(await _repository.UpdateTokensAsync("ghost", [1], Cancellation));

        Assert.Null(await _repository.GetAsync("ghost", Cancellation));
        Assert.Null(await _repository.GetTokensAsync("ghost", Cancellation));
    }

    [Fact]
    public async Task Updating_an_expired_session_returns_false_and_does_not_revive_it()
    {
        await _repository.CreateAsync("k1", Record("alice", "sid-1"), Ttl, Cancellation);
        _time.Advance(Ttl);

        Assert.False(await _repository.UpdateTicketAsync("k1", [1], Ttl, Cancellation));
        Assert.False(await _repository.UpdateTokensAsync("k1", [1], Cancellation));

        Assert.Null(await _repository.GetAsync("k1", Cancellation));
        Assert.Empty(await _repository.FindBySubjectAsync("alice", Cancellation));
        Assert.Empty(await _repository.FindBySidAsync("sid-1", Cancellation));
    }

    [Fact]
    public async Task Removed_session_is_gone_and_removing_it_again_returns_false()
    {
        await _repository.CreateAsync("k1", Record("alice", "sid-1"), Ttl, Cancellation);

        Assert.True(await _repository.RemoveAsync("k1", Cancellation));
        Assert.False(await _repository.RemoveAsync("k1", Cancellation));

        Assert.Null(await _repository.GetAsync("k1", Cancellation));
        Assert.Empty(await _repository.FindBySubjectAsync("alice", Cancellation));
        Assert.Empty(await _repository.FindBySidAsync("sid-1", Cancellation));
        Assert.False(await _repository.UpdateTicketAsync("k1", [1], Ttl, Cancellation));
    }

    [Fact]
    public async Task Find_by_subject_returns_every_live_session_of_that_subject_only()
    {
        await _repository.CreateAsync("a1", Record("alice", "sid-1"), Ttl, Cancellation);
        await _repository.CreateAsync("a2", Record("alice", "sid-2"), Ttl, Cancellation);
        await _repository.CreateAsync("b1", Record("bob", "sid-3"), Ttl, Cancellation);
        await _repository.CreateAsync("a3", Record("alice", null), TimeSpan.FromMinutes(1), Cancellation);
        _time.Advance(TimeSpan.FromMinutes(1));

        var found = await _repository.FindBySubjectAsync("alice", Cancellation);

        Assert.Equal(["a1", "a2"], found.Order(StringComparer.Ordinal));
        Assert.Empty(await _repository.FindBySubjectAsync("ALICE", Cancellation));
        Assert.Empty(await _repository.FindBySubjectAsync("carol", Cancellation));
    }

    [Fact]
    public async Task Find_by_sid_returns_the_sessions_of_that_sid_only()
    {
        await _repository.CreateAsync("a1", Record("alice", "sid-1"), Ttl, Cancellation);
        await _repository.CreateAsync("a2", Record("alice", "sid-2"), Ttl, Cancellation);
        await _repository.CreateAsync("a3", Record("alice", null), Ttl, Cancellation);

        Assert.Equal(["a1"], await _repository.FindBySidAsync("sid-1", Cancellation));
        Assert.Empty(await _repository.FindBySidAsync("sid-9", Cancellation));
        Assert.Empty(await _repository.FindBySidAsync("", Cancellation));
    }

    [Fact]
    public async Task Creating_again_under_the_same_key_replaces_the_session()
    {
        await _repository.CreateAsync("k1", Record("alice"), TimeSpan.FromMinutes(1), Cancellation);
        await _repository.CreateAsync("k1", Record("bob"), Ttl, Cancellation);
        _time.Advance(TimeSpan.FromMinutes(5));

        var found = await _repository.GetAsync("k1", Cancellation);

        Assert.Equal("bob", found?.Subject);
        Assert.Empty(await _repository.FindBySubjectAsync("alice", Cancellation));
    }

    private static SessionRecord Record(string subject, string? sid = null)
        => new([1, 2, 3, (byte)subject.Length], [4, 5, 6, (byte)subject.Length], subject, sid);
}
