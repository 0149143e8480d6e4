using System.Security.Claims;
using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Discovery;
using McpGateway.Auth.Dpop;
using McpGateway.Auth.Registration;
using McpGateway.Auth.Resources;
using McpGateway.Hosting;
using McpGateway.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Auth.Oidc;

/// <summary>
/// What the gateway adds to the OpenID Connect handler: a readiness guard, private_key_jwt client
/// authentication of the pushed request and the code redemption, the RFC 9207 issuer check, a lean
/// session identity, and clear sign-in errors.
/// </summary>
internal sealed class OidcEvents(
    ClientRegistrationState registrations,
    AuthorityMetadata metadata,
    ClientAssertionFactory assertions,
    IOptions<AuthOptions> auth,
    SessionResources resources,
    TimeProvider time,
    ILogger<OidcEvents> logger,
    DpopCodeRedemption? dpop = null) : OpenIdConnectEvents
{
    /// <summary>The claims a session keeps; the rest of the ID token and userinfo answer is dropped.</summary>
    private static readonly HashSet<string> KeptClaims = ["sub", "sid", "name", "email", "preferred_username"];

    public override async Task RedirectToIdentityProvider(RedirectContext context)
    {
        if (registrations.IsReady && dpop is not null)
        {
            try
            {
                await dpop.AppliesAsync(context.HttpContext.RequestAborted);
            }
            catch (OpenIdConnectProtocolException ex)
            {
                context.HandleResponse();
                await GatewayErrors.WriteAsync(context.Response, StatusCodes.Status503ServiceUnavailable, GatewayErrors.TemporarilyUnavailable, "Sign-in is not available: " + ex.Message);
                return;
            }
        }

        if (registrations.IsReady)
        {
            if (resources.All.Count > 0
                && string.IsNullOrEmpty((await metadata.GetAsync(context.HttpContext.RequestAborted)).PushedAuthorizationRequestEndpoint))
            {
                AddResourcesToRedirect(context.Response);
            }

            return;
        }

        context.HandleResponse();
        context.Response.Headers.RetryAfter = "5";
        await GatewayErrors.WriteAsync(context.Response, StatusCodes.Status503ServiceUnavailable, GatewayErrors.TemporarilyUnavailable,
            "Sign-in is not available yet: " + (registrations.AuthorityProblem ?? registrations.RegistrationProblem ?? "the client is not registered"));
    }

    /// <summary>
    /// Without a pushed request the resources (RFC 8707 §2.1, one parameter each) go into the redirect URL the handler
    /// builds from its single-valued message: appended to it just before the response starts.
    /// </summary>
    private void AddResourcesToRedirect(HttpResponse response) => response.OnStarting(() =>
    {
        if (response.Headers.Location.ToString() is { Length: > 0 } location && response.StatusCode is >= 300 and < 400)
        {
            response.Headers.Location = location + string.Concat(resources.All.Select(resource => "&resource=" + Uri.EscapeDataString(resource)));
        }

        return Task.CompletedTask;
    });

    public override async Task PushAuthorization(PushedAuthorizationContext context)
    {
        var client = KeyClientOf(context.Options);
        if (client is not null)
        {
            Authenticate(context.ProtocolMessage, client);
        }

        if (resources.All.Count > 0)
        {
            // Pushed here (the handler allows only one of HandlePush and HandleClientAuthentication), so the client authenticates in the form.
            if (client is null)
            {
                context.ProtocolMessage.ClientSecret = context.Options.ClientSecret;
            }

            await ResourcePushedAuthorization.PushAsync(context, metadata, resources.All);
        }
        else if (client is not null)
        {
            context.HandleClientAuthentication();
        }
    }

    public override async Task AuthorizationCodeReceived(AuthorizationCodeReceivedContext context)
    {
        var request = context.TokenEndpointRequest;
        var client = KeyClientOf(context.Options);
        if (request is not null && client is not null)
        {
            Authenticate(request, client);
        }

        if (dpop is not null)
        {
            await dpop.RedeemAsync(context, () =>
            {
                if (request is not null && client is not null)
                {
                    Authenticate(request, client);
                }
            });
        }
    }

    /// <summary>The private_key_jwt client the handler's options were built for, or null for a client_secret_post one.</summary>
    private ClientRegistration? KeyClientOf(OpenIdConnectOptions options)
        => registrations.Registration?.Find(options.ClientId!) is { UsesPrivateKey: true } client ? client : null;

    /// <summary>RFC 7523 §2.2 in place of the secret (which a private_key_jwt client does not have).</summary>
    private void Authenticate(OpenIdConnectMessage message, ClientRegistration client)
    {
        message.ClientId = client.ClientId;
        message.ClientSecret = null;
        message.SetParameter("client_assertion_type", ClientAssertionFactory.AssertionType);
        message.SetParameter("client_assertion", assertions.Create(client));
    }

    public override async Task MessageReceived(MessageReceivedContext context)
    {
        // Runs before the code is redeemed. Thrown, not context.Fail(): the handler then fails the sign-in with the
        // state's properties, so RemoteFailure sends a genuine sign-in back to its page with auth_error, as for a bad nonce.
        var configuration = await metadata.GetAsync(context.HttpContext.RequestAborted);
        var problem = AuthorizationResponseIssuer.Problem(
            context.ProtocolMessage.Iss, configuration.Issuer, configuration.AuthorizationResponseIssParameterSupported);
        if (problem is not null)
        {
            throw new OpenIdConnectProtocolException(problem);
        }
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        DpopCodeRedemption.Validate(context);
        // A session without a refresh token ends with its access token: say so once, at sign-in, with the reason.
        var response = context.TokenEndpointResponse;
        if (response is not null
            && MissingRefreshToken.Cause(auth.Value, response.Scope, !string.IsNullOrEmpty(response.RefreshToken)) is { } cause)
        {
            var lifetime = int.TryParse(response.ExpiresIn, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
            AuthLog.SignedInWithoutRefreshToken(logger, context.Principal?.FindFirst("sub")?.Value ?? "(unknown)", cause, time.GetUtcNow() + lifetime);
        }

        return Task.CompletedTask;
    }

    public override Task TicketReceived(TicketReceivedContext context)
    {
        // The session store files the tokens under the client they were issued to.
        context.Properties!.Items[ServerSideTicketStore.ClientIdItem] = ((OpenIdConnectOptions)context.Options).ClientId;
        var identity = new ClaimsIdentity(
            context.Principal!.Claims.Where(claim => KeptClaims.Contains(claim.Type)),
            context.Principal.Identity?.AuthenticationType,
            "name",
            "role");
        context.Principal = new ClaimsPrincipal(identity);
        return Task.CompletedTask;
    }

    public override Task RemoteFailure(RemoteFailureContext context)
    {
        var reason = context.Failure?.Message ?? "unknown failure";
        AuthLog.SignInFailed(logger, reason);
        if (reason.Contains("invalid_client", StringComparison.Ordinal) && registrations.Current is { } client)
        {
            registrations.ReportInvalidClient(client.ClientId);
        }

        context.HandleResponse();
        var returnUrl = context.Properties?.RedirectUri;
        if (returnUrl is not null && ReturnUrl.IsLocal(returnUrl))
        {
            // The state was genuine: send the person back to the page they came from, with a code it can show.
            var error = reason.Contains("access_denied", StringComparison.Ordinal) ? "access_denied" : "login_failed";
            context.Response.Redirect(QueryHelpers.AddQueryString(returnUrl, "auth_error", error));
            return Task.CompletedTask;
        }

        return GatewayErrors.WriteAsync(context.Response, StatusCodes.Status400BadRequest, GatewayErrors.InvalidRequest,
            "The sign-in response could not be validated (missing, expired or tampered state). Start again at /auth/login.");
    }
}
