using System.Net;
using McpGateway.Auth.ClientAuthentication;
using McpGateway.Auth.Registration;
using McpGateway.Auth.Tokens;
using McpGateway.Tests.Infrastructure;

namespace McpGateway.Tests.Auth.Tokens;

/// <summary>How refresh and revocation failures are classified; the successful exchanges run against a real provider in the integration tests.</summary>
public sealed class TokenEndpointClientTests : IDisposable
{
    private static readonly ClientRegistration Client = new()
    {
        Issuer = TestAuthority.Issuer,
        ClientId = "client-1",
        ClientSecret = "client-secret-value",
    };

    private readonly TestAuthority _authority = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _authority.Dispose();

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    public async Task Invalid_grant_means_the_refresh_token_is_dead(HttpStatusCode status)
    {
        var outcome = await RefreshAnsweredWith(status, """{"error":"invalid_grant","error_description":"grant request is invalid"}""");

        Assert.Equal(RefreshOutcomeKind.Refused, outcome.Kind);
        Assert.Null(outcome.Tokens);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData(HttpStatusCode.BadRequest, "invalid_client")]
    [InlineData(HttpStatusCode.BadRequest, "unauthorized_client")]
    public async Task Client_refusal_means_the_registration_must_be_checked(HttpStatusCode status, string error)
    {
        var outcome = await RefreshAnsweredWith(status, $$"""{"error":"{{error}}"}""");

        Assert.Equal(RefreshOutcomeKind.ClientRefused, outcome.Kind);
        Assert.Equal(error, outcome.Detail);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Server_error_is_transient_and_names_the_status(HttpStatusCode status)
    {
        var outcome = await RefreshAnsweredWith(status, "<html><body>Bad gateway</body></html>", "text/html");

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
        Assert.Contains($"HTTP {(int)status}", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_error_without_a_body_is_transient()
    {
        _authority.Endpoints = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        var outcome = await RefreshAsync();

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
    }

    [Theory]
    [InlineData("""{"error":"temporarily_unavailable"}""")]
    [InlineData("""{"error":"invalid_request"}""")]
    [InlineData("""{"error":"invalid_scope"}""")]
    [InlineData("""{"unexpected":true}""")]
    public async Task Other_oauth_errors_keep_the_session_and_are_reported_as_unavailable(string body)
    {
        var outcome = await RefreshAnsweredWith(HttpStatusCode.BadRequest, body);

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
        Assert.Contains("HTTP 400", outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"access_token\":")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Malformed_success_answer_is_transient(string body)
    {
        var outcome = await RefreshAnsweredWith(HttpStatusCode.OK, body);

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
        Assert.Null(outcome.Tokens);
    }

    [Theory]
    [InlineData("""{"token_type":"Bearer","expires_in":3600}""")]
    [InlineData("""{"access_token":null,"refresh_token":"rt2"}""")]
    [InlineData("null")]
    public async Task Success_answer_without_access_token_is_transient(string body)
    {
        var outcome = await RefreshAnsweredWith(HttpStatusCode.OK, body);

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
        Assert.Contains("access_token", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dpop_nonce_error_gets_one_new_request_with_a_new_client_assertion()
    {
        var client = new ClientRegistration
        {
            Issuer = TestAuthority.Issuer,
            ClientId = "client-1",
            TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt,
            SigningKey = ClientSigningKey.Generate("ES256"),
        };
        var calls = 0;
        _authority.Endpoints = (_, _) => Task.FromResult(++calls == 1
            ? FakeHttpHandler.Json(HttpStatusCode.BadRequest, """{"error":"use_dpop_nonce","error_description":"nonce is required in the DPoP proof"}""")
            : FakeHttpHandler.Json(HttpStatusCode.OK, """{"access_token":"at2","token_type":"DPoP","expires_in":300}"""));

        var outcome = await new TokenEndpointClient(_authority.HttpClients, _authority.Metadata, new ClientAssertionFactory(TimeProvider.System))
            .RefreshAsync(client, "refresh-token-value", Cancellation, dpopKey: McpGateway.Auth.Dpop.DpopProofFactory.NewKey());

        Assert.Equal(RefreshOutcomeKind.Refreshed, outcome.Kind);
        Assert.Equal("DPoP", outcome.Tokens!.TokenType);
        var sent = _authority.Handler.Requests.Where(request => request.Uri.AbsoluteUri == TestAuthority.TokenEndpoint).ToList();
        Assert.Equal(2, sent.Count);
        static string Assertion(SentRequest request) => System.Web.HttpUtility.ParseQueryString(request.Body!)["client_assertion"]!;
        Assert.NotEqual(Assertion(sent[0]), Assertion(sent[1]));
    }

    [Fact]
    public async Task With_a_dpop_key_invalid_grant_is_still_read_as_a_dead_refresh_token()
    {
        _authority.Endpoints = (_, _) => Task.FromResult(FakeHttpHandler.Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant","error_description":"grant request is invalid"}"""));

        var outcome = await new TokenEndpointClient(_authority.HttpClients, _authority.Metadata, new ClientAssertionFactory(TimeProvider.System))
            .RefreshAsync(Client, "refresh-token-value", Cancellation, dpopKey: McpGateway.Auth.Dpop.DpopProofFactory.NewKey());

        Assert.Equal(RefreshOutcomeKind.Refused, outcome.Kind);
        Assert.Single(_authority.Handler.Requests, request => request.Uri.AbsoluteUri == TestAuthority.TokenEndpoint);
    }

    [Fact]
    public async Task Without_a_dpop_key_a_nonce_error_is_not_retried()
    {
        var outcome = await RefreshAnsweredWith(HttpStatusCode.BadRequest, """{"error":"use_dpop_nonce"}""");

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
        Assert.Single(_authority.Handler.Requests, request => request.Uri.AbsoluteUri == TestAuthority.TokenEndpoint);
    }

    [Fact]
    public async Task Network_failure_is_transient()
    {
        _authority.Endpoints = (_, _) => throw new HttpRequestException("Connection refused (idp.test:443)");

        var outcome = await RefreshAsync();

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
        Assert.Equal(nameof(HttpRequestException), outcome.Detail);
    }

    [Fact]
    public async Task Connection_reset_while_reading_is_transient()
    {
        _authority.Endpoints = (_, _) => throw new IOException("connection reset");

        var outcome = await RefreshAsync();

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
    }

    [Fact]
    public async Task Timeout_of_the_token_endpoint_is_transient()
    {
        _authority.Endpoints = (_, _) => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout");

        var outcome = await RefreshAsync();

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
        Assert.Contains("in time", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_swallowed()
    {
        using var cancel = new CancellationTokenSource();
        _authority.Endpoints = async (_, token) =>
        {
            await cancel.CancelAsync();
            token.ThrowIfCancellationRequested();
            return new HttpResponseMessage(HttpStatusCode.OK);
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new TokenEndpointClient(_authority.HttpClients, _authority.Metadata, new ClientAssertionFactory(TimeProvider.System)).RefreshAsync(Client, "refresh-token-value", cancel.Token));
    }

    [Fact]
    public async Task Unreachable_discovery_is_transient()
    {
        _authority.DiscoveryAvailable = false;

        var outcome = await RefreshAsync();

        Assert.Equal(RefreshOutcomeKind.Unavailable, outcome.Kind);
    }

    [Fact]
    public async Task Outcome_detail_never_contains_the_refresh_token_or_client_secret()
    {
        _authority.Endpoints = (_, _) => throw new HttpRequestException("refresh-token-value client-secret-value");

        var outcome = await RefreshAsync();

        Assert.DoesNotContain("refresh-token-value", outcome.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret-value", outcome.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Revocation_not_confirmed_returns_false(HttpStatusCode status)
    {
        _authority.Endpoints = (_, _) => Task.FromResult(FakeHttpHandler.Json(status, """{"error":"invalid_client"}"""));

        Assert.False(await new TokenEndpointClient(_authority.HttpClients, _authority.Metadata, new ClientAssertionFactory(TimeProvider.System)).RevokeAsync(Client, "at", "access_token", Cancellation));
    }

    [Fact]
    public async Task Revocation_without_a_revocation_endpoint_returns_false_without_calling_anything()
    {
        using var authority = new TestAuthority(withRevocation: false);
        var calls = 0;
        authority.Endpoints = (_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        };

        Assert.False(await new TokenEndpointClient(authority.HttpClients, authority.Metadata, new ClientAssertionFactory(TimeProvider.System)).RevokeAsync(Client, "rt", "refresh_token", Cancellation));
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task A_private_key_jwt_client_refreshes_and_revokes_with_a_fresh_assertion_and_no_secret()
    {
        var client = Client with { ClientSecret = null, TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt, SigningKey = ClientSigningKey.Generate("ES256") };
        var forms = new List<Dictionary<string, string>>();
        _authority.Endpoints = async (request, cancellationToken) =>
        {
            var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(await request.Content!.ReadAsStringAsync(cancellationToken));
            forms.Add(form.ToDictionary(field => field.Key, field => field.Value.ToString()));
            return FakeHttpHandler.Json(HttpStatusCode.OK, """{"access_token":"at","token_type":"Bearer","expires_in":60}""");
        };
        var tokens = new TokenEndpointClient(_authority.HttpClients, _authority.Metadata, new ClientAssertionFactory(TimeProvider.System));

        Assert.Equal(RefreshOutcomeKind.Refreshed, (await tokens.RefreshAsync(client, "refresh-token-value", Cancellation)).Kind);
        Assert.True(await tokens.RevokeAsync(client, "refresh-token-value", "refresh_token", Cancellation));

        Assert.Equal(2, forms.Count);
        Assert.All(forms, form =>
        {
            Assert.False(form.ContainsKey("client_secret"));
            Assert.Equal("client-1", form["client_id"]);
            Assert.Equal(ClientAssertionFactory.AssertionType, form["client_assertion_type"]);
            Assert.Equal(TestAuthority.Issuer, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(form["client_assertion"]).Audiences.Single());
        });
        Assert.NotEqual(forms[0]["client_assertion"], forms[1]["client_assertion"]);
    }

    private Task<RefreshOutcome> RefreshAnsweredWith(HttpStatusCode status, string body, string mediaType = "application/json")
    {
        _authority.Endpoints = (_, _) => Task.FromResult(FakeHttpHandler.Text(status, body, mediaType));
        return RefreshAsync();
    }

    private Task<RefreshOutcome> RefreshAsync()
        => new TokenEndpointClient(_authority.HttpClients, _authority.Metadata, new ClientAssertionFactory(TimeProvider.System)).RefreshAsync(Client, "refresh-token-value", Cancellation);
}
