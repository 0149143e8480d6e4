using System.Text.Json;
using McpGateway.Auth.Discovery;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Oidc;

/// <summary>
/// The pushed authorization request (RFC 9126) with one <c>resource</c> parameter per session-mode server (RFC 8707 §2.1
/// repeats the parameter, which the handler's single-valued message cannot carry): posted here, then handed to the
/// handler as the <c>request_uri</c> it redirects with. The client authentication is already in the message.
/// </summary>
internal static class ResourcePushedAuthorization
{
    public static async Task PushAsync(PushedAuthorizationContext context, AuthorityMetadata metadata, IReadOnlyList<string> resources)
    {
        var cancellationToken = context.HttpContext.RequestAborted;
        var configuration = await metadata.GetAsync(cancellationToken);
        var form = context.ProtocolMessage.Parameters
            .Where(parameter => parameter.Value is not null)
            .Select(parameter => KeyValuePair.Create(parameter.Key, parameter.Value))
            .Concat(resources.Select(resource => KeyValuePair.Create("resource", resource)))
            .ToList();
        using var content = new FormUrlEncodedContent(form);
        using var response = await context.Options.Backchannel.PostAsync(configuration.PushedAuthorizationRequestEndpoint, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string? requestUri = null;
        string? error = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            requestUri = json.RootElement.TryGetProperty("request_uri", out var uri) ? uri.GetString() : null;
            error = json.RootElement.TryGetProperty("error", out var code) ? code.GetString() : null;
        }
        catch (JsonException)
        {
            // Reported below as an answer without request_uri.
        }

        if (!response.IsSuccessStatusCode || string.IsNullOrEmpty(requestUri))
        {
            var exception = new OpenIdConnectProtocolException(
                $"The pushed authorization request with {resources.Count} resource indicator(s) was refused: HTTP {(int)response.StatusCode} {error}".TrimEnd());
            exception.Data["error"] = error;
            throw exception;
        }

        context.HandlePush(requestUri);
    }
}
