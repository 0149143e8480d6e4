using System.Text.Json;
using McpGateway.Auth.Discovery;
using McpGateway.Auth.Registration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.Auth.Logout;

/// <summary>Validates a logout token as OpenID Connect Back-Channel Logout 1.0 §2.6 requires.</summary>
internal sealed class LogoutTokenValidator(AuthorityMetadata metadata, ClientRegistrationState registrations, TimeProvider time)
{
    public const string BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>Tolerated clock difference with the provider.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>A logout token issued longer ago than this (by its iat) is refused, whatever its exp says.</summary>
    public static readonly TimeSpan MaximumAge = TimeSpan.FromMinutes(5);

    /// <summary>How long a used jti must be remembered so that no accepted token can be replayed.</summary>
    public static readonly TimeSpan ReplayWindow = MaximumAge + ClockSkew + ClockSkew;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <exception cref="SecurityTokenException">The token is not a valid logout token; the message says why.</exception>
    public async Task<LogoutToken> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var configuration = await metadata.GetAsync(cancellationToken);
        var result = await _handler.ValidateTokenAsync(token, Parameters(configuration));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The provider may have rotated its keys since the metadata was read.
            configuration = await metadata.RefreshAsync(cancellationToken);
            result = await _handler.ValidateTokenAsync(token, Parameters(configuration));
        }

        if (!result.IsValid)
        {
            throw new SecurityTokenException("The logout token is not valid: " + (result.Exception?.GetType().Name ?? "validation failed") + ".");
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (!jwt.TryGetPayloadValue<JsonElement>("events", out var events) || events.ValueKind != JsonValueKind.Object
            || !events.TryGetProperty(BackChannelLogoutEvent, out _))
        {
            throw new SecurityTokenException("The logout token has no back-channel logout event.");
        }

        if (jwt.TryGetPayloadValue<string>("nonce", out _))
        {
            throw new SecurityTokenException("A logout token must not contain a nonce.");
        }

        if (!jwt.TryGetPayloadValue<long>("iat", out var issuedAt))
        {
            throw new SecurityTokenException("The logout token has no iat.");
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issuedAt);
        if (age > MaximumAge + ClockSkew || age < -ClockSkew)
        {
            throw new SecurityTokenException($"The logout token was issued {age.TotalSeconds:F0} s ago; at most {MaximumAge.TotalSeconds:F0} s is accepted.");
        }

        jwt.TryGetPayloadValue<string>("sid", out var sid);
        var subject = string.IsNullOrEmpty(jwt.Subject) ? null : jwt.Subject;
        if (string.IsNullOrEmpty(sid) && subject is null)
        {
            throw new SecurityTokenException("The logout token names neither a sid nor a sub.");
        }

        if (string.IsNullOrEmpty(jwt.Id))
        {
            throw new SecurityTokenException("The logout token has no jti.");
        }

        return new LogoutToken(string.IsNullOrEmpty(sid) ? null : sid, subject, jwt.Id);
    }

    private TokenValidationParameters Parameters(OpenIdConnectConfiguration configuration)
    {
        var stored = registrations.Registration;
        return new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudiences = stored is null ? [] : new[] { stored.Current.ClientId, stored.Previous?.ClientId }.OfType<string>(),
            IssuerSigningKeys = configuration.SigningKeys,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            // Back-Channel Logout 1.0 §2.4: exp is required, and validated as for an ID token.
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires),
        };
    }

    /// <summary>Lifetime on the injected clock; IdentityModel passes <see cref="DateTime.MinValue"/> for a missing nbf.</summary>
    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } expiry && expiry >= now - ClockSkew && (notBefore is not { } start || start <= now + ClockSkew);
    }
}
