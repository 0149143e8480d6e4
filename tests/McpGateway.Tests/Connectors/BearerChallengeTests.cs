using System.Net.Http.Headers;
using McpGateway.Connectors.Discovery;

namespace McpGateway.Tests.Connectors;

public sealed class BearerChallengeTests
{
    [Fact]
    public void Quoted_and_token_parameters_are_read_case_insensitively()
    {
        var parameters = BearerChallenge.ParseParameters("""Resource_Metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="files:read files:write", error=invalid_token""");

        Assert.Equal("https://mcp.example.com/.well-known/oauth-protected-resource/mcp", parameters["resource_metadata"]);
        Assert.Equal("files:read files:write", parameters["scope"]);
        Assert.Equal("invalid_token", parameters["error"]);
    }

    [Fact]
    public void Escapes_commas_and_equals_inside_quotes_stay_in_the_value()
    {
        var parameters = BearerChallenge.ParseParameters("""realm="a \"b\", c=d", error_description="x=y" """);

        Assert.Equal("a \"b\", c=d", parameters["realm"]);
        Assert.Equal("x=y", parameters["error_description"]);
    }

    [Fact]
    public void Malformed_pieces_are_skipped_and_the_first_of_a_repeated_name_wins()
    {
        var parameters = BearerChallenge.ParseParameters("""abc==, scope="first", scope="second", =orphan, error""");

        Assert.Equal("first", parameters["scope"]);
        Assert.Single(parameters);
    }

    [Fact]
    public void The_bearer_challenge_is_found_among_several()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"x\""));
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("bearer", "resource_metadata=\"https://m.example/prm\""));

        Assert.Equal("https://m.example/prm", BearerChallenge.From(response.Headers.WwwAuthenticate)?.ResourceMetadata);
    }

    [Fact]
    public void No_bearer_challenge_is_null()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"x\""));

        Assert.Null(BearerChallenge.From(response.Headers.WwwAuthenticate));
    }
}
