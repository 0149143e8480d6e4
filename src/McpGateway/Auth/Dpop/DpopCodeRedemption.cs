using System.Text.Json;
using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Discovery;
using McpGateway.Hosting;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Dpop;

/// <summary>
/// Redeems the authorization code with a DPoP proof (RFC 9449 §5) when <c>Auth:Dpop</c> and the server's metadata
/// call for it. The OpenID Connect handler builds its token request itself, so the gateway sends the very same form
/// through the backchannel with the new session key on the request (<see cref="DpopHandler"/> signs the proof and
/// handles a nonce) and hands the answer back to the handler, which validates the ID token as usual. The key is made
/// here, not at the challenge, so it never travels through the browser, not even inside the encrypted state; it rides
/// in the (data-protected) authentication properties until the session store moves it into the encrypted token set.
/// </summary>
internal sealed class DpopCodeRedemption(AuthorityMetadata metadata, IOptions<AuthOptions> auth, ILogger<DpopCodeRedemption> logger)
{
    /// <summary>Whether sign-ins ask for DPoP-bound tokens now.</summary>
    /// <exception cref="OpenIdConnectProtocolException"><c>Auth:Dpop</c> is required and the server does not offer it.</exception>
    public async Task<bool> AppliesAsync(CancellationToken cancellationToken)
        => auth.Value.Dpop != DpopModes.Off && DpopModes.Uses(auth.Value.Dpop, await metadata.GetAsync(cancellationToken));

    /// <summary>Redeems the code of <paramref name="context"/> with a proof, or leaves it to the handler when DPoP is not in use.</summary>
    /// <param name="context">The handler's event, whose token request is sent and whose answer is handed back.</param>
    /// <param name="authenticate">Puts fresh client credentials into the form (a client assertion is good for one request), before each attempt.</param>
    public async Task RedeemAsync(AuthorizationCodeReceivedContext context, Action authenticate)
    {
        var cancellationToken = context.HttpContext.RequestAborted;
        if (context.TokenEndpointRequest is not { } form || !await AppliesAsync(cancellationToken))
        {
            return;
        }

        var configuration = await metadata.GetAsync(cancellationToken);
        var key = DpopProofFactory.NewKey();
        var endpoint = form.TokenEndpoint ?? configuration.TokenEndpoint;
        using var response = await SendAsync(context, endpoint, key, authenticate, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        OpenIdConnectMessage answer;
        try
        {
            answer = new OpenIdConnectMessage(body);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException)
        {
            throw new OpenIdConnectProtocolException($"The token endpoint answered HTTP {(int)response.StatusCode} without a JSON body.", ex);
        }

        if (!response.IsSuccessStatusCode || !string.IsNullOrEmpty(answer.Error))
        {
            // Worded as the handler's own failure, so RemoteFailure recognises invalid_client.
            throw new OpenIdConnectProtocolException(
                $"Message contains error: '{answer.Error}', error_description: '{answer.ErrorDescription}', error_uri: '{answer.ErrorUri}', status code '{(int)response.StatusCode}'.");
        }

        if (string.Equals(answer.TokenType, "DPoP", StringComparison.OrdinalIgnoreCase))
        {
            DpopLog.InUse(logger, configuration.Issuer);
        }
        else
        {
            DpopLog.NotBound(logger, answer.TokenType ?? "(none)");
        }

        // Marks the sign-in as redeemed here (see Validate) and lets its userinfo call be sent as DPoP.
        context.HttpContext.Items[DpopSignIn.Item] = new DpopSignIn(key, answer.AccessToken ?? "");

        context.Properties!.Items[ServerSideTicketStore.DpopKeyItem] = JsonSerializer.Serialize(key, GatewayJsonContext.Default.ClientSigningKey);
        context.HandleCodeRedemption(answer);
    }

    /// <summary>
    /// The handler skips its own check of the token response (the ID token's nonce against the nonce cookie, at_hash)
    /// when an event redeemed the code; for a code redeemed here it is done from the TokenValidated event instead.
    /// </summary>
    /// <exception cref="OpenIdConnectProtocolException">The response does not validate, e.g. the nonce cookie is missing.</exception>
    public static void Validate(TokenValidatedContext context)
    {
        if (context.HttpContext.Items[DpopSignIn.Item] is not DpopSignIn)
        {
            return;
        }

        context.Options.ProtocolValidator.ValidateTokenResponse(new OpenIdConnectProtocolValidationContext
        {
            ClientId = context.Options.ClientId,
            ProtocolMessage = context.TokenEndpointResponse,
            ValidatedIdToken = context.SecurityToken,
            Nonce = context.Nonce,
        });
    }

    /// <summary>The token request, once more with new credentials when the server asks for a DPoP nonce (RFC 9449 §8).</summary>
    private async Task<HttpResponseMessage> SendAsync(
        AuthorizationCodeReceivedContext context, string endpoint, ClientSigningKey key, Action authenticate, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(context.TokenEndpointRequest!.Parameters) };
            request.Options.Set(DpopHandler.Key, key);
            var response = await context.Backchannel.SendAsync(request, cancellationToken);
            if (attempt > 1 || response.StatusCode != System.Net.HttpStatusCode.BadRequest || !await DpopNonces.IsNonceChallengeAsync(response, cancellationToken))
            {
                return response;
            }

            DpopLog.NonceRetry(logger, new Uri(endpoint).GetLeftPart(UriPartial.Authority), (int)response.StatusCode);
            response.Dispose();
            authenticate();
        }
    }
}
