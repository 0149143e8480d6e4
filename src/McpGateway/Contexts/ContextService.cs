using System.Text.Json;
using System.Text.RegularExpressions;
using McpGateway.Hosting;
using McpGateway.Storage;
using Microsoft.Extensions.Options;

namespace McpGateway.Contexts;

/// <summary>
/// Stores, lists and deletes a user's conversation contexts (REST and MCP share it), and tells every
/// open socket of the user, on any replica, what changed.
/// </summary>
internal sealed partial class ContextService(
    IContextStore store,
    IGatewayEventBus events,
    IOptions<ContextOptions> options,
    TimeProvider time)
{
    public async Task<(ConversationContext? Context, ContextError? Error)> StoreAsync(
        string subject, StoreContextRequest request, CancellationToken cancellationToken)
    {
        if (ValidateIdentifier(request.ConversationId, "conversation_id") is { } invalidConversation)
        {
            return (null, invalidConversation);
        }

        if (request.Id is not null && ValidateIdentifier(request.Id, "id") is { } invalidId)
        {
            return (null, invalidId);
        }

        if (request.Content is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } content)
        {
            return (null, new ContextError(ContextErrorKind.Invalid, "content is required: any JSON value but null (a string, number, boolean, array or object)."));
        }

        var limits = options.Value;
        if (JsonSize.Of(content) > limits.MaxContentBytes)
        {
            return (null, new ContextError(ContextErrorKind.Invalid, $"content is larger than {limits.MaxContentBytes} bytes."));
        }

        if (request.Metadata is { TokensUsed: < 0 } or { Model.Length: > 200 })
        {
            return (null, new ContextError(ContextErrorKind.Invalid, "metadata.tokens_used must not be negative and metadata.model must be at most 200 characters."));
        }

        if (request.Metadata is { } given && JsonSize.Of(given, GatewayJsonContext.Default.ContextMetadata) > limits.MaxMetadataBytes)
        {
            return (null, new ContextError(ContextErrorKind.Invalid, $"metadata is larger than {limits.MaxMetadataBytes} bytes."));
        }

        var context = new ConversationContext
        {
            Id = request.Id ?? Guid.NewGuid().ToString("N"),
            ConversationId = request.ConversationId!,
            Content = content,
            Metadata = (request.Metadata ?? new ContextMetadata()) with
            {
                Timestamp = request.Metadata?.Timestamp ?? ContextTimestamp.FromUnixMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()),
            },
        };
        if (!await store.SaveAsync(subject, context, limits.MaxPerConversation, limits.TimeToLive, cancellationToken))
        {
            return (null, new ContextError(ContextErrorKind.LimitReached,
                $"The conversation already holds {limits.MaxPerConversation} contexts; delete some first."));
        }

        await PublishAsync(subject, new ContextUpdate { ConversationId = context.ConversationId, Action = ContextUpdate.Stored, Id = context.Id, Context = context }, cancellationToken);
        return (context, null);
    }

    public async Task<(IReadOnlyList<ConversationContext>? Contexts, ContextError? Error)> ListAsync(
        string subject, string? conversationId, CancellationToken cancellationToken)
    {
        if (ValidateIdentifier(conversationId, "conversation_id") is { } invalid)
        {
            return (null, invalid);
        }

        return (await store.ListAsync(subject, conversationId!, cancellationToken), null);
    }

    public async Task<ContextError?> DeleteAsync(string subject, string? conversationId, string? contextId, CancellationToken cancellationToken)
    {
        if ((ValidateIdentifier(conversationId, "conversation_id") ?? ValidateIdentifier(contextId, "id")) is { } invalid)
        {
            return invalid;
        }

        if (!await store.DeleteAsync(subject, conversationId!, contextId!, cancellationToken))
        {
            return new ContextError(ContextErrorKind.NotFound, $"No context '{contextId}' in conversation '{conversationId}'.");
        }

        await PublishAsync(subject, new ContextUpdate { ConversationId = conversationId!, Action = ContextUpdate.Deleted, Id = contextId! }, cancellationToken);
        return null;
    }

    private Task PublishAsync(string subject, ContextUpdate update, CancellationToken cancellationToken)
        => events.PublishAsync(new GatewayEvent
        {
            Type = GatewayEvent.ContextUpdated,
            Subject = subject,
            Payload = JsonSerializer.SerializeToElement(update, GatewayJsonContext.Default.ContextUpdate),
        }, cancellationToken);

    private static ContextError? ValidateIdentifier(string? value, string name)
        => value is not null && Identifier().IsMatch(value)
            ? null
            : new ContextError(ContextErrorKind.Invalid, $"{name} is required: 1 to 128 letters, digits, '.', '_', ':' or '-'.");

    [GeneratedRegex(@"\A[A-Za-z0-9._:-]{1,128}\z")]
    private static partial Regex Identifier();
}
