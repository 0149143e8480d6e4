using System.Buffers;
using McpGateway.Mcp.Dialects;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>
/// Reads a POST's body into one JSON-RPC message, or writes the refusal: 415 unless
/// <c>application/json</c> (UTF-8), 413 beyond <see cref="McpOptions.MaxFrameBytes"/>, 400 with
/// JSON-RPC -32700 / -32600 for text that is not JSON or not one valid message (a batch included).
/// </summary>
internal static class McpHttpBody
{
    private static readonly JsonRpcDialect Decoder = new();

    public static async Task<JsonRpcMessage?> ReadAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals(AcceptHeader.Json, StringComparison.OrdinalIgnoreCase)
            || (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            await McpHttpWriter.WriteErrorAsync(context.Response, StatusCodes.Status415UnsupportedMediaType, null, McpErrorCode.InvalidRequest,
                "Unsupported Media Type: POST one JSON-RPC message with Content-Type: application/json.");
            return null;
        }

        if (request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context.Response, maxBytes);
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, (int?)request.ContentLength + 1 ?? 4096));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        await TooLargeAsync(context.Response, maxBytes);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    await TooLargeAsync(context.Response, maxBytes);
                    return null;
                }
            }

            var body = buffer.AsMemory(0, length);
            if (IsBatch(body.Span))
            {
                await McpHttpWriter.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, null, McpErrorCode.InvalidRequest,
                    "Invalid request: JSON-RPC batches are not supported (MCP 2025-06-18 removed them); POST one message per request.");
                return null;
            }

            var message = Decoder.Decode(body, out var error);
            if (message is null)
            {
                await McpHttpWriter.WriteJsonAsync(context.Response, StatusCodes.Status400BadRequest, error!);
            }

            return message;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLargeAsync(context.Response, maxBytes);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Task TooLargeAsync(HttpResponse response, int maxBytes)
        => McpHttpWriter.WriteErrorAsync(response, StatusCodes.Status413PayloadTooLarge, null, McpErrorCode.InvalidRequest,
            $"Payload Too Large: a message may have at most {maxBytes} bytes (Mcp:MaxFrameBytes).");

    private static bool IsBatch(ReadOnlySpan<byte> body)
    {
        var start = body.IndexOfAnyExcept(" \t\r\n"u8);
        // A UTF-8 byte order mark before the array still makes it one.
        if (start >= 0 && body[start..].StartsWith("\uFEFF"u8))
        {
            return IsBatch(body[(start + 3)..]);
        }

        return start >= 0 && body[start] == (byte)'[';
    }
}
