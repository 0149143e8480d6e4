using McpGateway.Contexts;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Contexts;

public sealed class InMemoryContextStoreTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryContextStore _store;

    public InMemoryContextStoreTests() => _store = new InMemoryContextStore(_time);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Saving_beyond_the_maximum_is_refused_but_replacing_is_not()
    {
        Assert.True(await Save("alice", "c", "a", max: 2));
        Assert.True(await Save("alice", "c", "b", max: 2));

        Assert.False(await Save("alice", "c", "c", max: 2));
        Assert.True(await Save("alice", "c", "a", max: 2, content: "replaced"));

        Assert.Equal(["a", "b"], (await _store.ListAsync("alice", "c", Cancellation)).Select(context => context.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_save_extends_the_whole_conversation()
    {
        await Save("alice", "c", "a");
        _time.Advance(Ttl - TimeSpan.FromSeconds(1));
        await Save("alice", "c", "a", content: "touched");
        _time.Advance(Ttl - TimeSpan.FromSeconds(1));

        Assert.Equal("touched", Assert.Single(await _store.ListAsync("alice", "c", Cancellation)).Content.GetString());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await _store.ListAsync("alice", "c", Cancellation));
    }

    [Fact]
    public async Task A_delete_does_not_extend_the_conversation()
    {
        await Save("alice", "c", "a");
        await Save("alice", "c", "b");
        _time.Advance(Ttl - TimeSpan.FromSeconds(1));
        Assert.True(await _store.DeleteAsync("alice", "c", "a", Cancellation));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(await _store.ListAsync("alice", "c", Cancellation));
    }

    [Fact]
    public async Task Deleting_from_an_expired_or_unknown_conversation_finds_nothing()
    {
        await Save("alice", "c", "a");
        _time.Advance(Ttl);

        Assert.False(await _store.DeleteAsync("alice", "c", "a", Cancellation));
        Assert.False(await _store.DeleteAsync("alice", "never", "a", Cancellation));
    }

    [Fact]
    public async Task Subjects_and_conversations_are_separate_and_ids_are_case_sensitive()
    {
        await Save("alice", "c", "a");
        await Save("Alice", "c", "A");
        await Save("alice", "C", "a");

        Assert.Equal("a", Assert.Single(await _store.ListAsync("alice", "c", Cancellation)).Id);
        Assert.Equal("A", Assert.Single(await _store.ListAsync("Alice", "c", Cancellation)).Id);
        Assert.False(await _store.DeleteAsync("alice", "c", "A", Cancellation));
        Assert.Single(await _store.ListAsync("alice", "C", Cancellation));
    }

    [Fact]
    public async Task Concurrent_saves_never_exceed_the_maximum()
    {
        var saved = await Task.WhenAll(Enumerable.Range(0, 200).Select(index => Task.Run(() => Save("alice", "c", $"ctx-{index}", max: 50), Cancellation)));

        Assert.Equal(50, saved.Count(result => result));
        Assert.Equal(50, (await _store.ListAsync("alice", "c", Cancellation)).Count);
    }

    private Task<bool> Save(string subject, string conversation, string id, int max = 10, string content = "x")
        => _store.SaveAsync(subject, new ConversationContext
        {
            Id = id,
            ConversationId = conversation,
            Content = ContextJson.Text(content),
            Metadata = new ContextMetadata { Timestamp = ContextJson.At(_time.GetUtcNow()) },
        }, max, Ttl, Cancellation);
}
