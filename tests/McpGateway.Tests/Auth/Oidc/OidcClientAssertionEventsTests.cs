using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Oidc;
using McpGateway.Auth.Registration;
using McpGateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Tests.Auth.Oidc;

/// <summary>The OpenID Connect handler's own back-channel calls (PAR, code redemption) authenticate as the client is registered.</summary>
public sealed class OidcClientAssertionEventsTests : IDisposable
{
    private static readonly AuthenticationScheme Scheme = new(OidcSetup.Scheme, null, typeof(OpenIdConnectHandler));
    private readonly ClientRegistrationState _registrations = new();
    private readonly TestAuthority _authority = new();
    private readonly OidcEvents _events;

    private static readonly ClientRegistration KeyClient = new()
    {
        Issuer = TestAuthority.Issuer,
        ClientId = "key-client",
        TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt,
        SigningKey = ClientSigningKey.Generate("ES256"),
    };

    private static readonly ClientRegistration SecretClient = new() { Issuer = TestAuthority.Issuer, ClientId = "secret-client", ClientSecret = "s3cret" };

    public OidcClientAssertionEventsTests() => _events = new OidcEvents(
        _registrations, _authority.Metadata, new ClientAssertionFactory(TimeProvider.System),
        Microsoft.Extensions.Options.Options.Create(new McpGateway.Auth.AuthOptions()), new McpGateway.Auth.Resources.SessionResources([], enabled: false), new FakeTimeProvider(), new CapturingLogger<OidcEvents>());

    public void Dispose() => _authority.Dispose();

    [Fact]
    public async Task The_pushed_request_of_a_private_key_jwt_client_carries_an_assertion_and_tells_the_handler_not_to_add_a_secret()
    {
        _registrations.Publish(new StoredRegistration(KeyClient, SecretClient));
        var message = new OpenIdConnectMessage { ClientId = KeyClient.ClientId };
        var context = new PushedAuthorizationContext(HttpResponses.NewContext(), Scheme, Options(KeyClient), message, new AuthenticationProperties());

        await _events.PushAuthorization(context);

        Assert.True(context.HandledClientAuthentication);
        Assert.Null(message.ClientSecret);
        Assert.Equal(ClientAssertionFactory.AssertionType, message.GetParameter("client_assertion_type"));
        var assertion = new JsonWebToken(message.GetParameter("client_assertion"));
        Assert.Equal(KeyClient.ClientId, assertion.Subject);
        Assert.Equal(KeyClient.SigningKey!.KeyId, assertion.Kid);
    }

    [Fact]
    public async Task The_code_redemption_of_a_private_key_jwt_client_replaces_the_secret_with_an_assertion()
    {
        _registrations.Publish(new StoredRegistration(KeyClient, null));
        var context = new AuthorizationCodeReceivedContext(HttpResponses.NewContext(), Scheme, Options(KeyClient), new AuthenticationProperties())
        {
            TokenEndpointRequest = new OpenIdConnectMessage { ClientId = KeyClient.ClientId, ClientSecret = "never-sent", Code = "code" },
        };

        await _events.AuthorizationCodeReceived(context);

        Assert.Null(context.TokenEndpointRequest.ClientSecret);
        Assert.Equal("code", context.TokenEndpointRequest.Code);
        Assert.Equal(KeyClient.ClientId, new JsonWebToken(context.TokenEndpointRequest.GetParameter("client_assertion")).Issuer);
    }

    [Fact]
    public async Task A_client_secret_post_client_is_left_to_the_handler()
    {
        // The handler's options are built for the previous client (a session signed in before a re-registration): its method counts.
        _registrations.Publish(new StoredRegistration(KeyClient, SecretClient));
        var message = new OpenIdConnectMessage { ClientId = SecretClient.ClientId };
        var pushed = new PushedAuthorizationContext(HttpResponses.NewContext(), Scheme, Options(SecretClient), message, new AuthenticationProperties());
        var redeemed = new AuthorizationCodeReceivedContext(HttpResponses.NewContext(), Scheme, Options(SecretClient), new AuthenticationProperties())
        {
            TokenEndpointRequest = new OpenIdConnectMessage { ClientId = SecretClient.ClientId, ClientSecret = SecretClient.ClientSecret },
        };

        await _events.PushAuthorization(pushed);
        await _events.AuthorizationCodeReceived(redeemed);

        Assert.False(pushed.HandledClientAuthentication);
        Assert.Null(message.GetParameter("client_assertion"));
        Assert.Equal("s3cret", redeemed.TokenEndpointRequest.ClientSecret);
        Assert.Null(redeemed.TokenEndpointRequest.GetParameter("client_assertion"));
    }

    private static OpenIdConnectOptions Options(ClientRegistration client) => new() { ClientId = client.ClientId, ClientSecret = client.ClientSecret };
}
