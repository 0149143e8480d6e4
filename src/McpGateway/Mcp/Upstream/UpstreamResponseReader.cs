using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Reads the messages of one successful Streamable HTTP response (a POST's, or a GET that resumes its stream): a single
/// <c>application/json</c> message, or the events of a <c>text/event-stream</c>, parsed straight from their UTF-8 bytes.
/// The answer to <see cref="StreamCursor.Awaited"/> is returned; everything else the server sent on the way
/// (notifications, its own requests) goes to <c>others</c>, in order.
/// </summary>
internal static class UpstreamResponseReader
{
    private static readonly SseItemParser<JsonRpcMessage?> ParseEvent = Parse;

    /// <returns>The awaited answer, or <see langword="null"/> when the response ended without it (see <paramref name="cursor"/> for where).</returns>
    /// <exception cref="IOException">The connection broke while the stream was read.</exception>
    public static async Task<JsonRpcMessageWithId?> ReadAsync(
        HttpResponseMessage response, StreamCursor cursor, ChannelWriter<JsonRpcMessage> others, CancellationToken cancellationToken)
    {
        switch (response.Content.Headers.ContentType?.MediaType)
        {
            case "application/json":
                return await ReadJsonAsync(response, cursor, others, cancellationToken);

            case "text/event-stream":
                await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
                {
                    await foreach (var item in SseParser.Create(body, ParseEvent).EnumerateAsync(cancellationToken))
                    {
                        cursor.Saw(item.EventId, item.ReconnectionInterval);
                        if (item.Data is { } message && await OfferAsync(message, cursor, others, cancellationToken) is { } answer)
                        {
                            return answer;
                        }
                    }
                }

                return null;

            default:
                return null;
        }
    }

    private static async Task<JsonRpcMessageWithId?> ReadJsonAsync(
        HttpResponseMessage response, StreamCursor cursor, ChannelWriter<JsonRpcMessage> others, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength == 0)
        {
            return null;
        }

        JsonRpcMessage? message;
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            try
            {
                message = await JsonSerializer.DeserializeAsync(body, JsonRpcCodec.MessageType, cancellationToken);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return message is null ? null : await OfferAsync(message, cursor, others, cancellationToken);
    }

    /// <summary>The awaited answer is returned; anything else is passed on, and then so is the answer (to keep the order).</summary>
    private static async ValueTask<JsonRpcMessageWithId?> OfferAsync(
        JsonRpcMessage message, StreamCursor cursor, ChannelWriter<JsonRpcMessage> others, CancellationToken cancellationToken)
    {
        if (message is JsonRpcResponse or JsonRpcError && message is JsonRpcMessageWithId answer && cursor.Awaited is { } awaited && answer.Id == awaited)
        {
            return answer;
        }

        cursor.Forwarded = true;
        await others.WriteAsync(message, cancellationToken);
        return null;
    }

    /// <summary>An event's JSON-RPC message; a priming event (no data) or anything unreadable is skipped.</summary>
    private static JsonRpcMessage? Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(data, JsonRpcCodec.MessageType);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
