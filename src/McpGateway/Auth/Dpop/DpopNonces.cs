using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace McpGateway.Auth.Dpop;

/// <summary>
/// The latest <c>DPoP-Nonce</c> (RFC 9449 §8, §9) each server origin gave, put into the next proof to it, and the two
/// ways a server asks for one: a token endpoint's 400 <c>use_dpop_nonce</c> error and a resource server's 401
/// <c>WWW-Authenticate: DPoP error="use_dpop_nonce"</c>. The origins are the configured servers, so the map stays small.
/// </summary>
internal sealed class DpopNonces
{
    public const string HeaderName = "DPoP-Nonce";
    public const string NonceError = "use_dpop_nonce";

    private readonly ConcurrentDictionary<string, string> _latest = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The nonce to send to <paramref name="uri"/>'s origin, if it gave one.</summary>
    public string? For(Uri uri) => _latest.TryGetValue(Origin(uri), out var nonce) ? nonce : null;

    /// <summary>Keeps the nonce <paramref name="response"/> carries, if any, and returns it.</summary>
    public string? Remember(Uri uri, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues(HeaderName, out var values) || values.FirstOrDefault() is not { Length: > 0 } nonce)
        {
            return null;
        }

        _latest[Origin(uri)] = nonce;
        return nonce;
    }

    /// <summary>Whether <paramref name="response"/> refuses a proof for lacking the server's current nonce (RFC 9449 §8.1, §9.1).</summary>
    public static async Task<bool> IsNonceChallengeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return response.Headers.WwwAuthenticate.Any(challenge =>
                challenge.Scheme.Equals(DpopProofFactory.HeaderName, StringComparison.OrdinalIgnoreCase)
                && challenge.Parameter?.Contains(NonceError, StringComparison.Ordinal) == true);
        }

        if (response.StatusCode != HttpStatusCode.BadRequest)
        {
            return false;
        }

        // Read from the content's buffer, not its stream, so the caller can still read the body when it was another error.
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String
                && error.GetString() == NonceError;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
