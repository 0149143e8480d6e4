using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

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

    /// <summary>A short, stable fingerprint of a secret: enough to tell two apart, useless to replay.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..12];

    /// <summary>A Bearer or DPoP token (the DPoP proof itself is checked by the node fronts, see deploy/dev/lib/dpop.mjs).</summary>
    private static string? BearerToken(string header)
        => header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token
            : header.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase) && header[5..].Trim() is { Length: > 0 } dpop ? dpop
            : null;
}
