using System.Net;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// What an unsuccessful Streamable HTTP response means for the bridge. A JSON-RPC error in the body of a 400, or one
/// of the per-request metadata errors of 2026-07-28 with any status, is the server's answer and reaches the browser
/// as such; 404 means the server no longer knows the session; anything else is an outage, named by its status only
/// (never the body, which may echo what was sent).
/// </summary>
internal static class UpstreamRefusals
{
    private const int MaxErrorBody = 64 * 1024;

    public static async Task<Exception> TranslateAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (await ReadErrorAsync(response, cancellationToken) is { } error
            && (response.StatusCode == HttpStatusCode.BadRequest || IsPerRequestMetadataError(error.Code)))
        {
            return new UpstreamRejectedException(error);
        }

        return response.StatusCode == HttpStatusCode.NotFound
            ? new UpstreamSessionLostException("the server no longer knows the session")
            : new UpstreamUnavailableException($"it answered HTTP {(int)response.StatusCode}");
    }

    /// <summary>-32022 unsupported protocol version, -32021 missing client capability, -32020 header mismatch.</summary>
    private static bool IsPerRequestMetadataError(int code) => code is -32022 or -32021 or -32020;

    private static async Task<JsonRpcErrorDetail?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json" || response.Content.Headers.ContentLength > MaxErrorBody)
        {
            return null;
        }

        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(body, JsonRpcCodec.MessageType, cancellationToken) is JsonRpcError { Error: { } detail }
                ? detail
                : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            return null;
        }
    }
}
