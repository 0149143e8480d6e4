using System.Text.Json;
using McpGateway.Contexts;
using McpGateway.Hosting;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Contexts;

public sealed class ContextServiceTests : IDisposable
{
    private const string IdentifierRule = "1 to 128 letters, digits, '.', '_', ':' or '-'.";
    private static readonly DateTimeOffset Start = ContextServiceRig.Start;

    private readonly ContextServiceRig _rig = new(new ContextOptions { MaxContentBytes = 10, MaxPerConversation = 3, TimeToLive = TimeSpan.FromHours(1) });

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Theory]
    [InlineData("a")]
    [InlineData("conv-1")]
    [InlineData("A.b_c:d-E9")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("urn:conversation:42")]
    public async Task Identifiers_of_letters_digits_and_separators_are_accepted(string identifier)
    {
        var (context, error) = await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = identifier, Id = identifier, Content = ContextJson.Text("x") }, Cancellation);

        Assert.Null(error);
        Assert.Equal((identifier, identifier), (context!.ConversationId, context.Id));
    }

    [Fact]
    public async Task An_identifier_of_128_characters_is_accepted_and_129_is_not()
    {
        Assert.Null((await Store("alice", new string('c', 128), "x")).Error);
        Assert.Equal($"conversation_id is required: {IdentifierRule}", (await Store("alice", new string('c', 129), "x")).Error?.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    [InlineData("a*")]
    [InlineData("key{x}")]
    [InlineData("ü")]
    [InlineData("a\tb")]
    [InlineData("\na")]
    [InlineData("a\r")]
    public async Task Other_conversation_ids_are_refused_before_anything_is_stored(string? conversation)
    {
        var (context, error) = await Store("alice", conversation, "x");

        Assert.Null(context);
        Assert.Equal(ContextErrorKind.Invalid, error!.Kind);
        Assert.Equal($"conversation_id is required: {IdentifierRule}", error.Message);
        Assert.Empty(_rig.Events);
        Assert.Equal($"conversation_id is required: {IdentifierRule}", (await _rig.Service.ListAsync("alice", conversation, Cancellation)).Error?.Message);
        Assert.Equal($"conversation_id is required: {IdentifierRule}", (await _rig.Service.DeleteAsync("alice", conversation, "x", Cancellation))?.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("x/y")]
    public async Task Invalid_context_ids_are_refused(string id)
    {
        var (_, error) = await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = "c", Id = id, Content = ContextJson.Text("x") }, Cancellation);

        Assert.Equal($"id is required: {IdentifierRule}", error?.Message);
        Assert.Equal($"id is required: {IdentifierRule}", (await _rig.Service.DeleteAsync("alice", "c", id, Cancellation))?.Message);
        Assert.Empty(_rig.Events);
    }

    [Theory]
    [InlineData("conv-1\n")]
    [InlineData("a\n")]
    public async Task An_identifier_ending_in_a_newline_is_refused(string identifier)
    {
        Assert.Equal(ContextErrorKind.Invalid, (await Store("alice", identifier, "x")).Error?.Kind);
        Assert.Equal(ContextErrorKind.Invalid, (await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = "c", Id = identifier, Content = ContextJson.Text("x") }, Cancellation)).Error?.Kind);
    }

    [Fact]
    public async Task Content_is_required()
        => Assert.Equal("content is required: any JSON value but null (a string, number, boolean, array or object).", (await Store("alice", "c", null)).Error?.Message);

    [Theory]
    [InlineData("", true)]
    [InlineData("0123456789", true)]
    [InlineData("01234567890", false)]
    [InlineData("ééééé", true)]
    [InlineData("éééééx", false)]
    [InlineData("😀😀", true)]
    [InlineData("😀😀😀", false)]
    public async Task Content_is_limited_in_utf8_bytes(string content, bool accepted)
    {
        var (context, error) = await Store("alice", "c", content);

        if (accepted)
        {
            Assert.Equal(content, context?.Content.GetString());
        }
        else
        {
            Assert.Equal((ContextErrorKind.Invalid, "content is larger than 10 bytes."), (error?.Kind, error?.Message));
            Assert.Empty(_rig.Events);
        }
    }

    [Theory]
    [InlineData(-1L, 0)]
    [InlineData(0L, 201)]
    public async Task Metadata_is_checked(long tokens, int modelLength)
    {
        var (_, error) = await _rig.Service.StoreAsync("alice", new StoreContextRequest
        {
            ConversationId = "c",
            Content = ContextJson.Text("x"),
            Metadata = new ContextMetadata { TokensUsed = tokens, Model = new string('m', modelLength) },
        }, Cancellation);

        Assert.Equal("metadata.tokens_used must not be negative and metadata.model must be at most 200 characters.", error?.Message);
    }

    [Fact]
    public async Task Metadata_is_kept_and_a_missing_timestamp_is_now()
    {
        var given = Start.AddDays(-1);
        var (withTime, _) = await _rig.Service.StoreAsync("alice", new StoreContextRequest
        {
            ConversationId = "c",
            Content = ContextJson.Text("x"),
            Metadata = new ContextMetadata { Timestamp = ContextJson.At(given), Model = new string('m', 200), TokensUsed = 0 },
        }, Cancellation);
        _rig.Time.Advance(TimeSpan.FromSeconds(5));
        var (withoutTime, _) = await Store("alice", "c", "y");

        Assert.Equal(new ContextMetadata { Timestamp = ContextJson.At(given), Model = new string('m', 200), TokensUsed = 0 }, withTime!.Metadata);
        Assert.Equal(new ContextMetadata { Timestamp = ContextJson.At(Start.AddSeconds(5)) }, withoutTime!.Metadata);
    }

    [Fact]
    public async Task A_context_without_an_id_gets_a_new_one_each_time()
    {
        var (first, _) = await Store("alice", "c", "x");
        var (second, _) = await Store("alice", "c", "x");

        Assert.Matches("^[0-9a-f]{32}$", first!.Id);
        Assert.NotEqual(first.Id, second!.Id);
        Assert.Equal(2, (await List("alice", "c")).Count);
    }

    [Fact]
    public async Task Storing_with_an_existing_id_replaces_that_context()
    {
        await StoreWithId("alice", "c", "x", "old");
        await StoreWithId("alice", "c", "x", "new");

        var context = Assert.Single(await List("alice", "c"));
        Assert.Equal(("x", "new"), (context.Id, context.Content.GetString()));
    }

    [Fact]
    public async Task A_conversation_holds_at_most_the_configured_number_of_contexts()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            Assert.Null((await StoreWithId("alice", "conv", id, id)).Error);
        }

        var (context, error) = await StoreWithId("alice", "conv", "d", "d");

        Assert.Null(context);
        Assert.Equal((ContextErrorKind.LimitReached, "The conversation already holds 3 contexts; delete some first."), (error?.Kind, error?.Message));
        Assert.Equal(3, _rig.Events.Count);
        Assert.Null((await StoreWithId("alice", "conv", "b", "replaced")).Error);
        Assert.Null((await StoreWithId("alice", "other", "d", "d")).Error);
        Assert.Null((await StoreWithId("bob", "conv", "d", "d")).Error);
        Assert.Null(await _rig.Service.DeleteAsync("alice", "conv", "a", Cancellation));
        Assert.Null((await StoreWithId("alice", "conv", "d", "d")).Error);
    }

    [Fact]
    public async Task A_conversation_expires_its_time_to_live_after_the_last_change()
    {
        await StoreWithId("alice", "c", "a", "1");
        _rig.Time.Advance(TimeSpan.FromMinutes(40));
        await StoreWithId("alice", "c", "b", "2");

        _rig.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(["a", "b"], (await List("alice", "c")).Select(context => context.Id));

        _rig.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await List("alice", "c"));
        Assert.Equal(ContextErrorKind.NotFound, (await _rig.Service.DeleteAsync("alice", "c", "a", Cancellation))?.Kind);
    }

    [Fact]
    public async Task An_expired_conversation_starts_empty_with_its_full_allowance()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await StoreWithId("alice", "conv", id, id);
        }

        _rig.Time.Advance(TimeSpan.FromHours(1));
        Assert.Null((await StoreWithId("alice", "conv", "d", "d")).Error);

        Assert.Equal(["d"], (await List("alice", "conv")).Select(context => context.Id));
    }

    [Fact]
    public async Task Listing_orders_by_timestamp_then_id()
    {
        await StoreAt("c", "z", Start.AddSeconds(1));
        await StoreAt("c", "b", Start.AddSeconds(2));
        await StoreAt("c", "a", Start.AddSeconds(2));

        Assert.Equal(["z", "a", "b"], (await List("alice", "c")).Select(context => context.Id));
    }

    [Fact]
    public async Task Each_user_sees_only_their_own_contexts()
    {
        await StoreWithId("alice", "shared-name", "x", "alice's");
        await StoreWithId("bob", "shared-name", "x", "bob's");

        Assert.Equal("alice's", Assert.Single(await List("alice", "shared-name")).Content.GetString());
        Assert.Equal("bob's", Assert.Single(await List("bob", "shared-name")).Content.GetString());

        Assert.Null(await _rig.Service.DeleteAsync("bob", "shared-name", "x", Cancellation));
        Assert.Empty(await List("bob", "shared-name"));
        Assert.Single(await List("alice", "shared-name"));
        Assert.Empty(await List("carol", "shared-name"));
    }

    [Fact]
    public async Task A_stored_context_is_published_to_the_users_sockets()
    {
        var (context, _) = await StoreWithId("alice", "c", "x", "hello");

        var published = Assert.Single(_rig.Events);
        Assert.Equal((GatewayEvent.ContextUpdated, "alice"), (published.Type, published.Subject));
        var update = published.Payload!.Value.Deserialize(GatewayJsonContext.Default.ContextUpdate)!;
        Assert.Equal(new ContextUpdate { ConversationId = "c", Action = "stored", Id = "x", Context = context }, update);
    }

    [Fact]
    public async Task A_deleted_context_is_published_without_its_content()
    {
        await StoreWithId("alice", "c", "x", "hello");
        _rig.Events.Clear();

        Assert.Null(await _rig.Service.DeleteAsync("alice", "c", "x", Cancellation));

        var published = Assert.Single(_rig.Events);
        Assert.Equal((GatewayEvent.ContextUpdated, "alice"), (published.Type, published.Subject));
        Assert.Equal("""{"conversation_id":"c","action":"deleted","id":"x"}""", published.Payload!.Value.GetRawText());
    }

    [Fact]
    public async Task Deleting_what_is_not_there_is_not_found_and_publishes_nothing()
    {
        await StoreWithId("alice", "c", "x", "hello");
        _rig.Events.Clear();

        var missing = await _rig.Service.DeleteAsync("alice", "c", "y", Cancellation);
        var otherConversation = await _rig.Service.DeleteAsync("alice", "d", "x", Cancellation);
        Assert.Null(await _rig.Service.DeleteAsync("alice", "c", "x", Cancellation));
        var twice = await _rig.Service.DeleteAsync("alice", "c", "x", Cancellation);

        Assert.Equal((ContextErrorKind.NotFound, "No context 'y' in conversation 'c'."), (missing?.Kind, missing?.Message));
        Assert.Equal(ContextErrorKind.NotFound, otherConversation?.Kind);
        Assert.Equal(ContextErrorKind.NotFound, twice?.Kind);
        Assert.Single(_rig.Events);
    }

    private Task<(ConversationContext? Context, ContextError? Error)> Store(string subject, string? conversation, string? content)
        => _rig.Service.StoreAsync(subject, new StoreContextRequest { ConversationId = conversation, Content = content is null ? null : ContextJson.Text(content) }, Cancellation);

    private Task<(ConversationContext? Context, ContextError? Error)> StoreWithId(string subject, string conversation, string id, string content)
        => _rig.Service.StoreAsync(subject, new StoreContextRequest { ConversationId = conversation, Id = id, Content = ContextJson.Text(content) }, Cancellation);

    private async Task StoreAt(string conversation, string id, DateTimeOffset timestamp)
        => await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = conversation, Id = id, Content = ContextJson.Text(id), Metadata = new ContextMetadata { Timestamp = ContextJson.At(timestamp) } }, Cancellation);

    private async Task<IReadOnlyList<ConversationContext>> List(string subject, string conversation)
    {
        var (contexts, error) = await _rig.Service.ListAsync(subject, conversation, Cancellation);
        Assert.Null(error);
        return contexts!;
    }
}
