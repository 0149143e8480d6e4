using System.Security.Cryptography;
using McpGateway.Auth.Registration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Auth.ClientAuthentication;

/// <summary>
/// The client credentials of every call to the authorization server's token-style endpoints (token,
/// pushed authorization, revocation): an RFC 7523 §2.2 client assertion for a private_key_jwt client,
/// else client_id and client_secret in the form (client_secret_post).
/// </summary>
internal sealed class ClientAssertionFactory(TimeProvider time)
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>Long enough for one request and modest clock skew; the server keeps each jti until then.</summary>
    internal static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>The form fields that authenticate <paramref name="client"/>, client_id included.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Credentials(ClientRegistration client)
    {
        var fields = new List<KeyValuePair<string, string>>(3) { KeyValuePair.Create("client_id", client.ClientId) };
        if (client.UsesPrivateKey)
        {
            fields.Add(KeyValuePair.Create("client_assertion_type", AssertionType));
            fields.Add(KeyValuePair.Create("client_assertion", Create(client)));
        }
        else if (client.ClientSecret is not null)
        {
            fields.Add(KeyValuePair.Create("client_secret", client.ClientSecret));
        }

        return fields;
    }

    /// <summary>
    /// A signed JWT with iss = sub = client_id and aud = the issuer identifier (RFC 7523bis; oidc-provider
    /// also accepts the endpoint's URL, other servers only the issuer), a unique jti, iat, nbf and a short exp.
    /// </summary>
    public string Create(ClientRegistration client)
    {
        var key = client.SigningKey ?? throw new InvalidOperationException($"Client {client.ClientId} has no signing key.");
        var now = time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = client.ClientId,
            Audience = client.Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = client.ClientId,
                [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)),
            },
        };
        return key.Sign(credentials =>
        {
            descriptor.SigningCredentials = credentials;
            return _handler.CreateToken(descriptor);
        });
    }
}
