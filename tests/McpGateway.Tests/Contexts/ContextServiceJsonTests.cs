using System.Text.Json;
using McpGateway.Contexts;
using McpGateway.Hosting;
using McpGateway.Storage;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Contexts;

/// <summary>The service with contents of every JSON kind, metadata of the seed and beyond, and both timestamp forms.</summary>
public sealed class ContextServiceJsonTests : IDisposable
{
    private readonly ContextServiceRig _rig = new(new ContextOptions { MaxContentBytes = 10, MaxMetadataBytes = 300, MaxPerConversation = 3, TimeToLive = TimeSpan.FromHours(1) });

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _rig.Dispose();

    [Theory]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("[1,[2],{}]")]
    [InlineData("{\"m\":[{}]}")]
    public async Task Content_of_any_json_kind_is_stored_published_and_listed_unchanged(string json)
    {
        var (stored, error) = await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = "c", Id = "x", Content = ContextJson.Parse(json) }, Cancellation);

        Assert.Null(error);
        Assert.Equal(json, stored!.Content.GetRawText());
        Assert.Equal(json, Assert.Single(await List("alice", "c")).Content.GetRawText());
        var update = Assert.Single(_rig.Events).Payload!.Value.Deserialize(GatewayJsonContext.Default.ContextUpdate)!;
        Assert.Equal(json, update.Context!.Content.GetRawText());
    }

    [Fact]
    public async Task A_json_null_content_is_refused_like_a_missing_one()
    {
        var (context, error) = await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = "c", Content = ContextJson.Parse("null") }, Cancellation);

        Assert.Null(context);
        Assert.Equal((ContextErrorKind.Invalid, "content is required: any JSON value but null (a string, number, boolean, array or object)."), (error?.Kind, error?.Message));
        Assert.Empty(_rig.Events);
        Assert.Empty(await List("alice", "c"));
    }

    [Theory]
    [InlineData("1234567890", true)]
    [InlineData("12345678901", false)]
    [InlineData("[1,2,3,4]", true)]
    [InlineData("[1,2,3,4,5]", false)]
    [InlineData("[1, 2, 3, 4]", true)]
    [InlineData("{\"a\":\"é\"}", true)]
    [InlineData("{\"a\":\"éé\"}", false)]
    [InlineData("{\"a\":[]}", true)]
    [InlineData("{\"a\":[1,2]}", false)]
    public async Task Other_content_is_limited_as_compact_json_text(string json, bool accepted)
    {
        var (context, error) = await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = "c", Content = ContextJson.Parse(json) }, Cancellation);

        Assert.Equal(accepted, error is null);
        Assert.Equal(accepted ? null : "content is larger than 10 bytes.", error?.Message);
        Assert.Equal(accepted, context is not null);
        Assert.Equal(accepted ? 1 : 0, _rig.Events.Count);
    }

    [Fact]
    public async Task Metadata_members_the_gateway_does_not_know_are_kept()
    {
        var metadata = JsonSerializer.Deserialize("""{"timestamp":1733140000000,"model":"gpt-4","tokens_used":42,"source":{"app":"seed"},"tags":["a"]}""", GatewayJsonContext.Default.ContextMetadata)!;

        var (stored, _) = await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = "c", Content = ContextJson.Text("x"), Metadata = metadata }, Cancellation);

        var listed = Assert.Single(await List("alice", "c")).Metadata;
        Assert.Equal(metadata, listed);
        Assert.Equal(stored!.Metadata, listed);
        Assert.Equal("""{"app":"seed"}""", listed.Extra!["source"].GetRawText());
        Assert.Equal(1733140000000, listed.Timestamp!.Value.Instant.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Metadata_is_limited_as_compact_json_text_with_its_own_bound()
    {
        static ContextMetadata Sized(int length)
            => JsonSerializer.Deserialize($$"""{"timestamp":1,"note":"{{new string('n', length)}}"}""", GatewayJsonContext.Default.ContextMetadata)!;

        // {"timestamp":1,"model":null,"tokens_used":null,"note":"…"} is 57 bytes around the note.
        var (fits, _) = await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = "c", Content = ContextJson.Text("x"), Metadata = Sized(243) }, Cancellation);
        var (refused, error) = await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = "c", Content = ContextJson.Text("x"), Metadata = Sized(244) }, Cancellation);

        Assert.NotNull(fits);
        Assert.Null(refused);
        Assert.Equal((ContextErrorKind.Invalid, "metadata is larger than 300 bytes."), (error?.Kind, error?.Message));
        Assert.Single(_rig.Events);
        Assert.Single(await List("alice", "c"));
    }

    [Fact]
    public async Task Timestamps_as_numbers_and_as_iso_text_are_ordered_together_and_kept_in_their_form()
    {
        foreach (var (id, timestamp) in new[] { ("b", "\"2026-05-04T08:30:02Z\""), ("a", "1777883401000"), ("c", "\"2026-05-04T10:30:03+02:00\"") })
        {
            var metadata = JsonSerializer.Deserialize($$"""{"timestamp":{{timestamp}}}""", GatewayJsonContext.Default.ContextMetadata);
            Assert.Null((await _rig.Service.StoreAsync("alice", new StoreContextRequest { ConversationId = "c", Id = id, Content = ContextJson.Text(id), Metadata = metadata }, Cancellation)).Error);
        }

        var listed = await List("alice", "c");

        Assert.Equal(["a", "b", "c"], listed.Select(context => context.Id));
        Assert.Equal(["1777883401000", "\"2026-05-04T08:30:02Z\"", "\"2026-05-04T10:30:03+02:00\""],
            listed.Select(context => JsonSerializer.SerializeToElement(context.Metadata, GatewayJsonContext.Default.ContextMetadata).GetProperty("timestamp").GetRawText()));
    }

    private async Task<IReadOnlyList<ConversationContext>> List(string subject, string conversation)
    {
        var (contexts, error) = await _rig.Service.ListAsync(subject, conversation, Cancellation);
        Assert.Null(error);
        return contexts!;
    }
}
