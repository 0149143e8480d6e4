using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using McpGateway.Auth.ClientAuthentication;
using McpGateway.Hosting;

namespace McpGateway.Auth.Registration;

/// <summary>The client metadata the gateway registers (RFC 7591 §2, OpenID Connect registration and back-channel logout).</summary>
internal sealed record ClientRegistrationRequest
{
    /// <summary>The fallback: credentials in the form body, what the OpenID Connect handler sends at the token endpoint by default.</summary>
    public const string AuthMethod = ClientAuthMethods.ClientSecretPost;

    /// <summary>Only for RFC 7592 updates: the client being updated.</summary>
    [JsonPropertyName("client_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ClientId { get; init; }

    [JsonPropertyName("client_name")]
    public required string ClientName { get; init; }

    [JsonPropertyName("application_type")]
    public string ApplicationType { get; init; } = "web";

    [JsonPropertyName("redirect_uris")]
    public required IReadOnlyList<string> RedirectUris { get; init; }

    [JsonPropertyName("post_logout_redirect_uris")]
    public required IReadOnlyList<string> PostLogoutRedirectUris { get; init; }

    [JsonPropertyName("backchannel_logout_uri")]
    public required string BackchannelLogoutUri { get; init; }

    [JsonPropertyName("backchannel_logout_session_required")]
    public bool BackchannelLogoutSessionRequired { get; init; } = true;

    [JsonPropertyName("grant_types")]
    public IReadOnlyList<string> GrantTypes { get; init; } = ["authorization_code", "refresh_token"];

    [JsonPropertyName("response_types")]
    public IReadOnlyList<string> ResponseTypes { get; init; } = ["code"];

    [JsonPropertyName("token_endpoint_auth_method")]
    public string TokenEndpointAuthMethod { get; init; } = AuthMethod;

    /// <summary>private_key_jwt only: the algorithm of every client assertion.</summary>
    [JsonPropertyName("token_endpoint_auth_signing_alg")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TokenEndpointAuthSigningAlg { get; init; }

    /// <summary>private_key_jwt only: the public key, inline (RFC 7591 §2). Not part of the <see cref="Digest"/>: the key belongs to the registration.</summary>
    [JsonPropertyName("jwks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PublicJsonWebKeySet? Jwks { get; init; }

    [JsonPropertyName("scope")]
    public required string Scope { get; init; }

    public static ClientRegistrationRequest For(AuthOptions auth, GatewayOptions gateway, ClientAuthChoice? authentication = null) => new()
    {
        TokenEndpointAuthMethod = (authentication ?? ClientAuthChoice.SecretPost).Method,
        TokenEndpointAuthSigningAlg = authentication?.SigningAlgorithm,
        ClientName = auth.ClientName,
        RedirectUris = [gateway.Resolve(AuthPaths.Callback).AbsoluteUri],
        PostLogoutRedirectUris = [gateway.Resolve(AuthPaths.PostLogoutRedirect).AbsoluteUri],
        BackchannelLogoutUri = gateway.Resolve(AuthPaths.BackChannelLogout).AbsoluteUri,
        Scope = string.Join(' ', auth.ScopeList),
    };

    /// <summary>A digest of the metadata, to notice that the configuration changed since registration.</summary>
    public string Digest()
        => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this with { ClientId = null, Jwks = null }, GatewayJsonContext.Default.ClientRegistrationRequest)));
}
