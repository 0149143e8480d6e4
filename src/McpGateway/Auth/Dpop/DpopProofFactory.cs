using System.Security.Cryptography;
using System.Text;
using McpGateway.Auth.ClientAuthentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Auth.Dpop;

/// <summary>
/// DPoP proofs (RFC 9449 §4.2): a JWT of type <c>dpop+jwt</c> signed with the session's own ES256 key, the public key in
/// its <c>jwk</c> header, and claims binding it to one request: <c>jti</c>, <c>htm</c>, <c>htu</c>, <c>iat</c>, and on
/// resource requests <c>ath</c>, the hash of the access token; <c>nonce</c> when the server gave one. The key pair is a
/// <see cref="ClientSigningKey"/>, as for private_key_jwt, but one per session.
/// </summary>
internal sealed class DpopProofFactory(TimeProvider time)
{
    public const string HeaderName = "DPoP";
    public const string TokenType = "dpop+jwt";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>A new session key (its private half is kept only in the encrypted token set).</summary>
    public static ClientSigningKey NewKey() => ClientSigningKey.Generate(DpopModes.Algorithm);

    /// <summary>A proof for one request: <paramref name="accessToken"/> for a resource request, null for a token-endpoint one.</summary>
    public string Create(ClientSigningKey key, HttpMethod method, Uri uri, string? accessToken = null, string? nonce = null)
    {
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            ["htm"] = method.Method,
            ["htu"] = TargetUri(uri),
        };
        if (accessToken is not null)
        {
            claims["ath"] = AccessTokenHash(accessToken);
        }

        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        var signer = DpopSigner.For(key);
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = TokenType,
            IssuedAt = time.GetUtcNow().UtcDateTime,
            Claims = claims,
            AdditionalHeaderClaims = new Dictionary<string, object> { ["jwk"] = signer.PublicJwk },
            SigningCredentials = signer.Credentials,
        });
    }

    /// <summary>RFC 9449 §4.2 <c>htu</c>: the request's URI without query and fragment.</summary>
    public static string TargetUri(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    /// <summary>RFC 9449 §4.2 <c>ath</c>: base64url of the SHA-256 of the access token's ASCII.</summary>
    public static string AccessTokenHash(string accessToken) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    /// <summary>The RFC 7638 thumbprint of the key (what the server puts in the token's <c>cnf.jkt</c>, RFC 9449 §6).</summary>
    public static string Thumbprint(ClientSigningKey key)
    {
        var jwk = DpopSigner.For(key).PublicJwk;
        var webKey = new JsonWebKey { Kty = (string)jwk["kty"], Crv = (string)jwk["crv"], X = (string)jwk["x"], Y = (string)jwk["y"] };
        return Base64UrlEncoder.Encode(webKey.ComputeJwkThumbprint());
    }
}
