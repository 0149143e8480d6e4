using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using McpGateway.Auth;
using McpGateway.Auth.Registration;
using McpGateway.Connectors.Discovery;
using McpGateway.Connectors.Registration;
using McpGateway.Hosting;

namespace McpGateway.Connectors.Tokens;

/// <summary>
/// A connector's token endpoint (code exchange, refresh — both with the RFC 8707 <c>resource</c>) and revocation
/// endpoint (RFC 7009), as the gateway's client there: no secret (public client), client_secret_post or _basic.
/// </summary>
internal sealed class ConnectorTokenEndpoint(IHttpClientFactory httpClients)
{
    private HttpClient Http => httpClients.CreateClient(MetadataDocuments.HttpClientName);

    public Task<ConnectorTokenOutcome> ExchangeCodeAsync(
        ConnectorDiscovery discovery, ClientRegistration client, string code, string redirectUri, string verifier, CancellationToken cancellationToken)
        => RequestTokensAsync(discovery.TokenEndpoint, client,
        [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectUri), ("code_verifier", verifier),
            ("resource", discovery.Resource.AbsoluteUri),
        ], cancellationToken);

    public Task<ConnectorTokenOutcome> RefreshAsync(ConnectorDiscovery discovery, ClientRegistration client, ConnectorTokens tokens, CancellationToken cancellationToken)
        => RequestTokensAsync(discovery.TokenEndpoint, client,
            [("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken!), ("resource", tokens.Resource)], cancellationToken);

    /// <returns>Whether the authorization server confirmed it; false when it has no revocation endpoint.</returns>
    public async Task<bool> RevokeAsync(ConnectorDiscovery discovery, ClientRegistration client, string token, string hint, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(discovery.RevocationEndpoint))
        {
            return false;
        }

        using var request = Form(discovery.RevocationEndpoint, client, [("token", token), ("token_type_hint", hint)]);
        using var response = await Http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private async Task<ConnectorTokenOutcome> RequestTokensAsync(
        string endpoint, ClientRegistration client, (string Name, string Value)[] fields, CancellationToken cancellationToken)
    {
        try
        {
            using var request = Form(endpoint, client, fields);
            using var response = await Http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var tokens = await response.Content.ReadFromJsonAsync(GatewayJsonContext.Default.TokenResponse, cancellationToken);
                return tokens?.AccessToken is null
                    ? new ConnectorTokenOutcome(ConnectorTokenOutcomeKind.Unavailable, Error: "the token endpoint answered without an access_token")
                    : new ConnectorTokenOutcome(ConnectorTokenOutcomeKind.Issued, tokens);
            }

            var error = await ReadErrorAsync(response, cancellationToken);
            return error is "invalid_grant" or "invalid_client" or "unauthorized_client" or "invalid_target" or "invalid_scope"
                ? new ConnectorTokenOutcome(ConnectorTokenOutcomeKind.Refused, Error: error)
                : new ConnectorTokenOutcome(ConnectorTokenOutcomeKind.Unavailable, Error: $"HTTP {(int)response.StatusCode} {error}".TrimEnd());
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or NotSupportedException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ConnectorTokenOutcome(ConnectorTokenOutcomeKind.Unavailable, Error: MetadataDocuments.Describe(ex));
        }
    }

    private static HttpRequestMessage Form(string endpoint, ClientRegistration client, (string Name, string Value)[] fields)
    {
        var form = fields.Select(field => KeyValuePair.Create(field.Name, field.Value)).ToList();
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        if (client.TokenEndpointAuthMethod == ConnectorClientAuthMethods.SecretBasic && client.ClientSecret is not null)
        {
            // RFC 6749 §2.3.1: both parts form-urlencoded before Base64.
            var credentials = $"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(client.ClientSecret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
        else
        {
            form.Add(KeyValuePair.Create("client_id", client.ClientId));
            if (client.ClientSecret is not null)
            {
                form.Add(KeyValuePair.Create("client_secret", client.ClientSecret));
            }
        }

        request.Content = new FormUrlEncodedContent(form);
        return request;
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync(GatewayJsonContext.Default.OAuthErrorResponse, cancellationToken))?.Error;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
