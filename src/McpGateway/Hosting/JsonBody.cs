using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpGateway.Hosting;

/// <summary>
/// Reads a JSON request body with a clear 4xx JSON answer for a missing, oversized, malformed,
/// unreadable or incomplete body (408 when it arrives too slowly).
/// </summary>
internal static class JsonBody
{
    public const long DefaultMaxBytes = 1024 * 1024;

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, long maxBytes = DefaultMaxBytes)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, GatewayErrors.Result(StatusCodes.Status413PayloadTooLarge, GatewayErrors.InvalidRequest, $"The body is larger than {maxBytes} bytes."));
        }

        if (!request.HasJsonContentType())
        {
            return (null, GatewayErrors.Result(StatusCodes.Status415UnsupportedMediaType, GatewayErrors.InvalidRequest, "The body must be application/json."));
        }

        try
        {
            using var limited = new MemoryStream();
            await request.Body.CopyToAsync(new LimitedWriteStream(limited, maxBytes), request.HttpContext.RequestAborted);
            limited.Position = 0;
            var value = await JsonSerializer.DeserializeAsync(limited, type, request.HttpContext.RequestAborted);
            if (value is null)
            {
                return (null, GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest, "The body must be a JSON object."));
            }

            // Members kept as JSON (tool arguments) are not read yet: a lone surrogate there would fail later, as a 500.
            return JsonText.IsReadable(limited.GetBuffer().AsSpan(0, (int)limited.Length), type.Options)
                ? (value, null)
                : (null, GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest,
                    "The body holds a string that is not valid text (a lone surrogate escape or invalid UTF-8)."));
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel gave up on the body (too slow, bad chunking, over its size limit): the client's fault, not a 500.
            return (null, GatewayErrors.Result(ex.StatusCode, GatewayErrors.InvalidRequest, RequestBodyFailure.Describe(ex.StatusCode)));
        }
        catch (JsonException ex)
        {
            return (null, GatewayErrors.Result(StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest,
                $"The body is not valid JSON{(ex.LineNumber is { } line ? $" (line {line + 1}, position {ex.BytePositionInLine + 1})" : "")}."));
        }
        catch (InvalidDataException)
        {
            return (null, GatewayErrors.Result(StatusCodes.Status413PayloadTooLarge, GatewayErrors.InvalidRequest, $"The body is larger than {maxBytes} bytes."));
        }
    }

    /// <summary>Fails once more than the limit is written, for bodies sent without a Content-Length.</summary>
    private sealed class LimitedWriteStream(Stream inner, long limit) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _written += buffer.Length;
            if (_written > limit)
            {
                throw new InvalidDataException("The body exceeds its limit.");
            }

            inner.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
    }
}
