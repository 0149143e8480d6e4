using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>
/// A resource server's bearer check for the test MCP servers: the token of every request is
/// introspected at the OpenID provider (as client <c>mcp-resource</c>), the request is recorded in
/// the <see cref="BearerAudit"/>, and a missing or inactive token is answered 401 with
/// <c>WWW-Authenticate: Bearer</c>.
/// </summary>
internal sealed class BearerIntrospection(OidcProvider provider, BearerAudit audit)
{
    public const string SubClaim = "sub";

    /// <summary>Checks the request's bearer; on success returns the user, on failure has already answered 401.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext context)
    {
        var request = context.Request;
        var token = BearerToken(request.Headers.Authorization.ToString());
        string? sub = null;
        var active = false;
        if (token is not null)
        {
            var introspection = await provider.IntrospectAsync(token);
            active = introspection.TryGetProperty("active", out var isActive) && isActive.ValueKind == JsonValueKind.True;
            if (active && introspection.TryGetProperty("sub", out var subject))
            {
                sub = subject.GetString();
            }

            // A DPoP-bound token (RFC 9449 §6.2) counts only with a proof of its key for this request.
            if (sub is not null && introspection.TryGetProperty("cnf", out var cnf) && cnf.TryGetProperty("jkt", out var jkt)
                && !await ProvesAsync(request, token, jkt.GetString()!))
            {
                sub = null;
            }
        }

        var sessionId = request.Headers["Mcp-Session-Id"].ToString();
        var entry = new BearerAuditEntry(
            DateTimeOffset.UtcNow,
            request.Method,
            request.Path.Value ?? "",
            sub,
            active,
            HadCookie: request.Headers.Cookie.Count > 0,
            token is null ? null : Hash(token),
            request.Headers["Mcp-Method"].ToString() is { Length: > 0 } method ? method : null,
            sessionId.Length > 0 ? Hash(sessionId) : null,
            context.WebSockets.IsWebSocketRequest);
        context.Response.OnStarting(() =>
        {
            entry.Status = context.Response.StatusCode;
            return Task.CompletedTask;
        });
        audit.Add(entry);

        if (sub is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = token is null
                ? "Bearer"
                : "Bearer error=\"invalid_token\", error_description=\"The access token is not active.\"";
            await context.Response.WriteAsJsonAsync(new { error = "invalid_token" });
            return null;
        }

        return new ClaimsPrincipal(new ClaimsIdentity([new Claim(SubClaim, sub)], authenticationType: "Bearer", nameType: SubClaim, roleType: null));
    }

    /// <summary>The request's DPoP proof: <c>DPoP</c> scheme, signed by its own jwk whose thumbprint is the token's cnf.jkt, htm, htu and ath of this request.</summary>
    private static async Task<bool> ProvesAsync(HttpRequest request, string token, string jkt)
    {
        if (!request.Headers.Authorization.ToString().StartsWith("DPoP ", StringComparison.Ordinal) || request.Headers["DPoP"].ToString() is not { Length: > 0 } proof)
        {
            return false;
        }

        JsonWebToken jwt;
        JsonWebKey key;
        try
        {
            jwt = new JsonWebToken(proof);
            key = JsonWebKey.Create(jwt.GetHeaderValue<JsonElement>("jwk").GetRawText());
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException or JsonException or InvalidOperationException)
        {
            return false;
        }

        var verified = await new JsonWebTokenHandler().ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = key, ValidateIssuer = false, ValidateAudience = false, ValidateLifetime = false, RequireExpirationTime = false, ValidTypes = ["dpop+jwt"],
        });
        var ath = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
        return verified.IsValid
            && Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()) == jkt
            && jwt.GetPayloadValue<string>("htm") == request.Method
            && jwt.GetPayloadValue<string>("htu") == $"http://{request.Host}{request.Path}"
            && jwt.GetPayloadValue<string>("ath") == ath;
    }

    /// <summary>A short, stable fingerprint of a secret: enough to tell two apart, useless to replay.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..12];

    /// <summary>A Bearer or DPoP token (the proof of a DPoP-bound one is checked by <see cref="ProvesAsync"/>).</summary>
    private static string? BearerToken(string header)
        => header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token
            : header.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase) && header[5..].Trim() is { Length: > 0 } dpop ? dpop
            : null;
}
