using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Discovery;
using McpGateway.Auth.Dpop;
using McpGateway.Auth.Registration;
using McpGateway.Hosting;

namespace McpGateway.Auth.Tokens;

/// <summary>
/// Calls to the token endpoint (refresh, RFC 6749 §6) and the revocation endpoint (RFC 7009) as the registered client;
/// with a session's DPoP key each carries a proof (RFC 9449 §5, signed by <see cref="DpopHandler"/>), so a refreshed
/// access token stays bound to the session's key.
/// </summary>
internal sealed class TokenEndpointClient(
    IHttpClientFactory httpClients, AuthorityMetadata metadata, ClientAssertionFactory credentials, ILogger<TokenEndpointClient>? logger = null)
{
    private HttpClient Http => httpClients.CreateClient(AuthorityMetadata.HttpClientName);

    /// <summary>The refresh_token grant; with a <c>resource</c> (RFC 8707 §2.2, one granted at sign-in) the new access token is meant for that resource only.</summary>
    public async Task<RefreshOutcome> RefreshAsync(
        ClientRegistration client, string refreshToken, CancellationToken cancellationToken, string? resource = null, ClientSigningKey? dpopKey = null)
    {
        try
        {
            var configuration = await metadata.GetAsync(cancellationToken);
            using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint)
            {
                Content = resource is null
                    ? ClientForm(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken))
                    : ClientForm(client, ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("resource", resource)),
            }, dpopKey, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var tokens = await response.Content.ReadFromJsonAsync(GatewayJsonContext.Default.TokenResponse, cancellationToken);
                return tokens?.AccessToken is null
                    ? new RefreshOutcome(RefreshOutcomeKind.Unavailable, Detail: "the token endpoint answered without an access_token")
                    : new RefreshOutcome(RefreshOutcomeKind.Refreshed, tokens);
            }

            var error = await ReadErrorAsync(response, cancellationToken);
            return error?.Error switch
            {
                "invalid_grant" => new RefreshOutcome(RefreshOutcomeKind.Refused, Detail: "invalid_grant"),
                "invalid_client" or "unauthorized_client" => new RefreshOutcome(RefreshOutcomeKind.ClientRefused, Detail: error.Error),
                _ => new RefreshOutcome(RefreshOutcomeKind.Unavailable, Detail: $"the token endpoint answered HTTP {(int)response.StatusCode} {error?.Error}".TrimEnd()),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or InvalidOperationException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new RefreshOutcome(RefreshOutcomeKind.Unavailable, Detail: ex is OperationCanceledException ? "the token endpoint did not answer in time" : ex.GetType().Name);
        }
    }

    /// <returns>Whether the authorization server confirmed the revocation (RFC 7009 §2.2: 200 even for unknown tokens).</returns>
    public async Task<bool> RevokeAsync(ClientRegistration client, string token, string tokenTypeHint, CancellationToken cancellationToken, ClientSigningKey? dpopKey = null)
    {
        var configuration = await metadata.GetAsync(cancellationToken);
        if (string.IsNullOrEmpty(configuration.RevocationEndpoint))
        {
            return false;
        }

        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, configuration.RevocationEndpoint)
        {
            Content = ClientForm(client, ("token", token), ("token_type_hint", tokenTypeHint)),
        }, dpopKey, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    /// <summary>
    /// Sends the request <paramref name="build"/> makes, with a proof of <paramref name="dpopKey"/> if any; a nonce error
    /// (RFC 9449 §8, the nonce is remembered by <see cref="DpopHandler"/>) gets one new request, with a new client assertion.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, ClientSigningKey? dpopKey, CancellationToken cancellationToken)
    {
        using (var request = build())
        {
            var response = await Http.SendAsync(WithProof(request, dpopKey), cancellationToken);
            if (dpopKey is null || response.StatusCode != System.Net.HttpStatusCode.BadRequest || !await DpopNonces.IsNonceChallengeAsync(response, cancellationToken))
            {
                return response;
            }

            if (logger is not null)
            {
                DpopLog.NonceRetry(logger, request.RequestUri!.GetLeftPart(UriPartial.Authority), (int)response.StatusCode);
            }

            response.Dispose();
        }

        using var retry = build();
        return await Http.SendAsync(WithProof(retry, dpopKey), cancellationToken);
    }

    private static HttpRequestMessage WithProof(HttpRequestMessage request, ClientSigningKey? dpopKey)
    {
        if (dpopKey is not null)
        {
            request.Options.Set(DpopHandler.Key, dpopKey);
        }

        return request;
    }

    /// <summary>The credentials travel in the form, as registered: a client assertion (private_key_jwt) or the secret (client_secret_post).</summary>
    private FormUrlEncodedContent ClientForm(ClientRegistration client, params (string Name, string Value)[] fields)
    {
        var form = new List<KeyValuePair<string, string>>(fields.Length + 3);
        form.AddRange(fields.Select(field => KeyValuePair.Create(field.Name, field.Value)));
        form.AddRange(credentials.Credentials(client));
        return new FormUrlEncodedContent(form);
    }

    private static async Task<OAuthErrorResponse?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(GatewayJsonContext.Default.OAuthErrorResponse, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
