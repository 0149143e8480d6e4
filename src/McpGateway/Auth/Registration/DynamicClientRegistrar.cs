using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.Auth.Discovery;
using McpGateway.Hosting;

namespace McpGateway.Auth.Registration;

/// <summary>The HTTP side of Dynamic Client Registration: register (RFC 7591), read, update and delete (RFC 7592).</summary>
internal sealed class DynamicClientRegistrar(IHttpClientFactory httpClients)
{
    private HttpClient Http => httpClients.CreateClient(AuthorityMetadata.HttpClientName);

    public Task<ClientRegistrationResponse> RegisterAsync(
        string registrationEndpoint, ClientRegistrationRequest metadata, string? initialAccessToken, CancellationToken cancellationToken)
        => RegisterAsync(registrationEndpoint, JsonContent.Create(metadata, GatewayJsonContext.Default.ClientRegistrationRequest), initialAccessToken, cancellationToken);

    /// <summary>Registers other client metadata (e.g. a connector's client at an MCP server's authorization server), given as its JSON body.</summary>
    public async Task<ClientRegistrationResponse> RegisterAsync(
        string registrationEndpoint, HttpContent metadata, string? initialAccessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, registrationEndpoint) { Content = metadata };
        if (!string.IsNullOrEmpty(initialAccessToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", initialAccessToken);
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        return await ReadRegistrationAsync(response, "registration", cancellationToken)
            ?? throw new ClientRegistrationException($"The registration endpoint answered {(int)response.StatusCode} without a registration.");
    }

    /// <returns>The current registration, or <see langword="null"/> when the client is gone or the token no longer valid.</returns>
    public async Task<ClientRegistrationResponse?> ReadAsync(ClientRegistration registration, CancellationToken cancellationToken)
    {
        using var request = Management(HttpMethod.Get, registration);
        using var response = await Http.SendAsync(request, cancellationToken);
        return await ReadRegistrationAsync(response, "registration read", cancellationToken);
    }

    /// <returns>The updated registration, or <see langword="null"/> when the client is gone or the token no longer valid.</returns>
    public async Task<ClientRegistrationResponse?> UpdateAsync(
        ClientRegistration registration, ClientRegistrationRequest metadata, CancellationToken cancellationToken)
    {
        using var request = Management(HttpMethod.Put, registration);
        request.Content = JsonContent.Create(metadata with { ClientId = registration.ClientId }, GatewayJsonContext.Default.ClientRegistrationRequest);
        using var response = await Http.SendAsync(request, cancellationToken);
        return await ReadRegistrationAsync(response, "registration update", cancellationToken);
    }

    /// <returns><see langword="false"/> when the client was already gone.</returns>
    public async Task<bool> DeleteAsync(ClientRegistration registration, CancellationToken cancellationToken)
    {
        using var request = Management(HttpMethod.Delete, registration);
        using var response = await Http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.OK)
        {
            return true;
        }

        if (IsGone(response.StatusCode))
        {
            return false;
        }

        throw await ErrorAsync(response, "registration delete", cancellationToken);
    }

    private static HttpRequestMessage Management(HttpMethod method, ClientRegistration registration)
    {
        if (!registration.IsManageable)
        {
            throw new ClientRegistrationException($"Client {registration.ClientId} has no registration_client_uri and registration_access_token: it cannot be managed by RFC 7592.");
        }

        var request = new HttpRequestMessage(method, registration.RegistrationClientUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", registration.RegistrationAccessToken);
        return request;
    }

    /// <summary>RFC 7592 §2: 401 for an invalid registration access token, 403/404 for a client that no longer exists.</summary>
    private static bool IsGone(HttpStatusCode status) => status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound;

    private static async Task<ClientRegistrationResponse?> ReadRegistrationAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (IsGone(response.StatusCode) && operation != "registration")
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, operation, cancellationToken);
        }

        try
        {
            return await response.Content.ReadFromJsonAsync(GatewayJsonContext.Default.ClientRegistrationResponse, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new ClientRegistrationException($"The authorization server's {operation} response is not valid JSON.", ex);
        }
    }

    private static async Task<ClientRegistrationException> ErrorAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        OAuthErrorResponse? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(GatewayJsonContext.Default.OAuthErrorResponse, cancellationToken);
        }
        catch (JsonException)
        {
        }

        var detail = error?.Error is null ? "" : $": {error.Error}" + (error.Description is null ? "" : $" ({error.Description})");
        return new ClientRegistrationException($"The authorization server refused the {operation} with HTTP {(int)response.StatusCode}{detail}.");
    }
}
