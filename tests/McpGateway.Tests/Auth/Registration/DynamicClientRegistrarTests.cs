using System.Net;
using McpGateway.Auth;
using McpGateway.Auth.Registration;
using McpGateway.Hosting;
using McpGateway.Tests.Infrastructure;

namespace McpGateway.Tests.Auth.Registration;

/// <summary>How the registrar maps the authorization server's failures; the happy paths run against a real provider in the integration tests.</summary>
public sealed class DynamicClientRegistrarTests
{
    private const string RegistrationEndpoint = "https://login.example.com/reg";

    private static readonly ClientRegistration Manageable = new()
    {
        Issuer = "https://login.example.com",
        ClientId = "client-1",
        ClientSecret = "secret-value",
        RegistrationAccessToken = "rat-value",
        RegistrationClientUri = "https://login.example.com/reg/client-1",
    };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{\"client_id\":")]
    [InlineData("<html>oops</html>")]
    [InlineData("")]
    public async Task Register_with_a_malformed_answer_throws_a_registration_exception(string body)
    {
        var registrar = Registrar(_ => FakeHttpHandler.Json(HttpStatusCode.Created, body));

        var exception = await Assert.ThrowsAsync<ClientRegistrationException>(() => RegisterAsync(registrar));

        Assert.Contains("not valid JSON", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_answered_with_json_null_throws_a_registration_exception()
    {
        var registrar = Registrar(_ => FakeHttpHandler.Json(HttpStatusCode.Created, "null"));

        var exception = await Assert.ThrowsAsync<ClientRegistrationException>(() => RegisterAsync(registrar));

        Assert.Contains("201", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Register_answered_with_5xx_throws_naming_the_status(HttpStatusCode status)
    {
        var registrar = Registrar(_ => FakeHttpHandler.Text(status, "<html>upstream down</html>", "text/html"));

        var exception = await Assert.ThrowsAsync<ClientRegistrationException>(() => RegisterAsync(registrar));

        Assert.Contains($"HTTP {(int)status}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_refusal_carries_the_oauth_error_and_description()
    {
        var registrar = Registrar(_ => FakeHttpHandler.Json(HttpStatusCode.BadRequest,
            """{"error":"invalid_redirect_uri","error_description":"redirect_uris must be https"}"""));

        var exception = await Assert.ThrowsAsync<ClientRegistrationException>(() => RegisterAsync(registrar));

        Assert.Contains("HTTP 400", exception.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_redirect_uri", exception.Message, StringComparison.Ordinal);
        Assert.Contains("redirect_uris must be https", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task Register_refused_with_401_403_or_404_throws_instead_of_returning_nothing(HttpStatusCode status)
    {
        var registrar = Registrar(_ => FakeHttpHandler.Json(status, """{"error":"invalid_token"}"""));

        var exception = await Assert.ThrowsAsync<ClientRegistrationException>(() => RegisterAsync(registrar));

        Assert.Contains($"HTTP {(int)status}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_error_message_never_contains_the_initial_access_token()
    {
        var registrar = Registrar(_ => FakeHttpHandler.Json(HttpStatusCode.Unauthorized, """{"error":"invalid_token"}"""));

        var exception = await Assert.ThrowsAsync<ClientRegistrationException>(
            () => registrar.RegisterAsync(RegistrationEndpoint, Request(), "initial-access-token-value", Cancellation));

        Assert.DoesNotContain("initial-access-token-value", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_network_failure_propagates_for_the_coordinator_to_retry()
    {
        var registrar = Registrar(_ => throw new HttpRequestException("connection refused"));

        await Assert.ThrowsAsync<HttpRequestException>(() => RegisterAsync(registrar));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task Read_of_a_gone_client_or_dead_token_returns_null(HttpStatusCode status)
    {
        var registrar = Registrar(_ => FakeHttpHandler.Json(status, """{"error":"invalid_token"}"""));

        Assert.Null(await registrar.ReadAsync(Manageable, Cancellation));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task Update_of_a_gone_client_or_dead_token_returns_null(HttpStatusCode status)
    {
        var registrar = Registrar(_ => new HttpResponseMessage(status));

        Assert.Null(await registrar.UpdateAsync(Manageable, Request(), Cancellation));
    }

    [Fact]
    public async Task Read_answered_with_5xx_throws()
    {
        var registrar = Registrar(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        var exception = await Assert.ThrowsAsync<ClientRegistrationException>(() => registrar.ReadAsync(Manageable, Cancellation));

        Assert.Contains("HTTP 503", exception.Message, StringComparison.Ordinal);
        Assert.Contains("registration read", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_with_malformed_json_throws_a_registration_exception()
    {
        var registrar = Registrar(_ => FakeHttpHandler.Json(HttpStatusCode.OK, "{not json"));

        await Assert.ThrowsAsync<ClientRegistrationException>(() => registrar.ReadAsync(Manageable, Cancellation));
    }

    [Fact]
    public async Task Management_calls_send_the_registration_access_token_as_bearer()
    {
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.NotFound));
        var registrar = new DynamicClientRegistrar(TestHttpClients.For(handler));

        await registrar.ReadAsync(Manageable, Cancellation);

        var sent = Assert.Single(handler.Requests);
        Assert.Equal("Bearer rat-value", sent.Authorization);
        Assert.Equal(Manageable.RegistrationClientUri, sent.Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData(null, "rat")]
    [InlineData("https://login.example.com/reg/c", null)]
    public async Task Unmanageable_registration_is_refused_without_calling_the_server(string? uri, string? token)
    {
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var registrar = new DynamicClientRegistrar(TestHttpClients.For(handler));
        var registration = Manageable with { RegistrationClientUri = uri, RegistrationAccessToken = token };

        await Assert.ThrowsAsync<ClientRegistrationException>(() => registrar.ReadAsync(registration, Cancellation));
        await Assert.ThrowsAsync<ClientRegistrationException>(() => registrar.UpdateAsync(registration, Request(), Cancellation));
        await Assert.ThrowsAsync<ClientRegistrationException>(() => registrar.DeleteAsync(registration, Cancellation));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Preconfigured_client_is_never_managed()
    {
        var handler = new FakeHttpHandler(_ => new HttpResponseMessage(HttpStatusCode.NoContent));
        var registrar = new DynamicClientRegistrar(TestHttpClients.For(handler));

        await Assert.ThrowsAsync<ClientRegistrationException>(() => registrar.DeleteAsync(Manageable with { Preconfigured = true }, Cancellation));
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task Delete_of_a_client_already_gone_returns_false(HttpStatusCode status)
    {
        var registrar = Registrar(_ => new HttpResponseMessage(status));

        Assert.False(await registrar.DeleteAsync(Manageable, Cancellation));
    }

    [Fact]
    public async Task Delete_refused_otherwise_throws_with_the_oauth_error()
    {
        var registrar = Registrar(_ => FakeHttpHandler.Json(HttpStatusCode.BadRequest, """{"error":"invalid_request"}"""));

        var exception = await Assert.ThrowsAsync<ClientRegistrationException>(() => registrar.DeleteAsync(Manageable, Cancellation));

        Assert.Contains("registration delete", exception.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_request", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("rat-value", exception.Message, StringComparison.Ordinal);
    }

    private static DynamicClientRegistrar Registrar(Func<HttpRequestMessage, HttpResponseMessage> respond)
        => new(TestHttpClients.For(new FakeHttpHandler(respond)));

    private static Task<ClientRegistrationResponse> RegisterAsync(DynamicClientRegistrar registrar)
        => registrar.RegisterAsync(RegistrationEndpoint, Request(), null, Cancellation);

    private static ClientRegistrationRequest Request()
        => ClientRegistrationRequest.For(new AuthOptions { Authority = "https://login.example.com" }, new GatewayOptions { PublicOrigin = "https://chat.example.com" });
}
