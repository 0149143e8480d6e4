using McpGateway.Auth;
using McpGateway.Auth.Endpoints;
using McpGateway.Auth.Registration;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGateway.Tests.Auth.Endpoints;

public sealed class LoginEndpointTests
{
    private readonly FakeAuthenticationService _authentication = new();
    private readonly ClientRegistrationState _registrations = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task Non_local_return_url_is_refused_with_400_before_anything_else(string returnUrl)
    {
        var context = HttpResponses.NewContext();

        var result = await LoginEndpoint.HandleAsync(context, returnUrl, new ClientRegistrationState(), NullLoggerFactory.Instance);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Equal("invalid_request", context.Response.BodyJson().Property("error"));
        Assert.False(context.Response.Headers.ContainsKey("Location"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("/chat")]
    public async Task Sign_in_before_the_client_is_registered_is_503_saying_why(string? returnUrl)
    {
        var context = HttpResponses.NewContext();
        var registrations = new ClientRegistrationState();
        registrations.AuthorityUnavailable("the authorization server is down");

        var result = await LoginEndpoint.HandleAsync(context, returnUrl, registrations, NullLoggerFactory.Instance);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        var body = context.Response.BodyJson();
        Assert.Equal("temporarily_unavailable", body.Property("error"));
        Assert.Contains("the authorization server is down", body.Property("error_description"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Return_url_longer_than_the_bound_is_refused_with_400_without_a_challenge()
    {
        MakeReady();

        var context = await LoginAsync("/" + new string('a', ReturnUrl.MaxLength));

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Equal("invalid_request", context.Response.BodyJson().Property("error"));
        Assert.Empty(_authentication.Challenges);
    }

    [Fact]
    public async Task Return_url_whose_encoding_exceeds_the_bound_is_refused_with_400()
    {
        MakeReady();

        // 401 characters, but 2,401 once each é is percent-encoded as %C3%A9.
        var context = await LoginAsync("/" + new string('\u00E9', 400));

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Empty(_authentication.Challenges);
    }

    [Fact]
    public async Task Return_url_at_the_bound_starts_the_sign_in()
    {
        MakeReady();
        var returnUrl = "/" + new string('a', ReturnUrl.MaxLength - 1);

        var context = await LoginAsync(returnUrl);

        Assert.Equal(StatusCodes.Status302Found, context.Response.StatusCode);
        Assert.Equal(returnUrl, Assert.Single(_authentication.Challenges).Properties?.RedirectUri);
    }

    [Fact]
    public async Task Non_ascii_return_url_is_carried_percent_encoded_so_the_final_redirect_is_a_valid_header()
    {
        MakeReady();

        await LoginAsync("/caf\u00E9/\uFF0Fevil.example?q=\u3000");

        Assert.Equal("/caf%C3%A9/%EF%BC%8Fevil.example?q=%E3%80%80", Assert.Single(_authentication.Challenges).Properties?.RedirectUri);
    }

    [Fact]
    public async Task Authorization_server_not_answering_the_pushed_request_in_time_is_503_json()
    {
        MakeReady();
        _authentication.OnChallenge = _ => throw new TaskCanceledException(
            "The request was canceled due to the configured HttpClient.Timeout of 2 seconds elapsing.", new TimeoutException());

        var context = await LoginAsync("/chat");

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("temporarily_unavailable", context.Response.BodyJson().Property("error"));
    }

    [Fact]
    public async Task Browser_that_went_away_during_the_pushed_request_is_not_answered()
    {
        MakeReady();
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        _authentication.OnChallenge = _ => throw new TaskCanceledException("aborted", null, aborted.Token);
        var context = FakeAuthenticationService.NewContext(_authentication);
        context.RequestAborted = aborted.Token;

        await Assert.ThrowsAsync<TaskCanceledException>(() => LoginEndpoint.HandleAsync(context, "/chat", _registrations, NullLoggerFactory.Instance));
    }

    [Fact]
    public async Task Invalid_client_from_the_pushed_request_is_503_and_asks_for_a_registration_check()
    {
        MakeReady();
        var time = new FakeTimeProvider();
        var recheck = _registrations.WaitForRecheckAsync(TimeSpan.FromMinutes(1), time, Cancellation);
        _authentication.OnChallenge = _ => throw Refusal("invalid_client");

        var context = await LoginAsync("/chat");

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("temporarily_unavailable", context.Response.BodyJson().Property("error"));
        Assert.Equal("client-1", await recheck.WaitAsync(TimeSpan.FromSeconds(10), Cancellation));
    }

    [Fact]
    public async Task Other_refusals_of_the_pushed_request_are_503_without_a_registration_check()
    {
        MakeReady();
        var time = new FakeTimeProvider();
        _authentication.OnChallenge = _ => throw Refusal("invalid_request");

        var context = await LoginAsync("/chat");

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        var recheck = _registrations.WaitForRecheckAsync(TimeSpan.FromMinutes(1), time, Cancellation);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await recheck.WaitAsync(TimeSpan.FromSeconds(10), Cancellation));
    }

    [Fact]
    public async Task A_bug_of_the_gateway_is_not_disguised_as_503()
    {
        MakeReady();
        _authentication.OnChallenge = _ => throw new FormatException("a bug of the gateway");

        await Assert.ThrowsAsync<FormatException>(() => LoginAsync("/chat"));
    }

    /// <summary>What the OpenID Connect handler throws for an error answer of the pushed authorization request.</summary>
    private static OpenIdConnectProtocolException Refusal(string error)
    {
        var exception = new OpenIdConnectProtocolException($"Message contains error: '{error}', error_description: 'refused', error_uri: 'error_uri is null'.");
        exception.Data["error"] = error;
        return exception;
    }

    private async Task<HttpContext> LoginAsync(string returnUrl)
    {
        var context = FakeAuthenticationService.NewContext(_authentication);
        var result = await LoginEndpoint.HandleAsync(context, returnUrl, _registrations, NullLoggerFactory.Instance);
        await result.ExecuteAsync(context);
        return context;
    }

    private void MakeReady()
    {
        _registrations.AuthorityAvailable();
        _registrations.Publish(new StoredRegistration(new ClientRegistration { Issuer = "https://idp.test", ClientId = "client-1" }, null));
    }
}
