using McpGateway.Tools.WebSearch;
using Microsoft.Extensions.Options;

namespace McpGateway.Tests.Tools.WebSearch;

public sealed class WebSearchOptionsValidatorTests
{
    [Fact]
    public void Defaults_disable_the_tool_and_are_valid()
    {
        var options = new WebSearchOptions();

        Assert.False(options.IsEnabled);
        Assert.Equal(5, options.MaxResults);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8888/search")]
    [InlineData("https://searx.example.com/search")]
    [InlineData("https://searx.example.com/search?language=en")]
    [InlineData("http://searxng:8080/")]
    public void An_absolute_http_url_is_valid(string url)
        => Assert.True(Validate(new WebSearchOptions { Url = url }).Succeeded);

    [Theory]
    [InlineData("searx.example.com/search")]
    [InlineData("/search")]
    [InlineData("ftp://searx.example.com/search")]
    [InlineData("file:///etc/passwd")]
    [InlineData("https://searx.example.com/search#top")]
    public void A_url_that_is_not_absolute_http_fails_and_names_the_key(string url)
        => Assert.StartsWith("Tools:WebSearch:Url must be an absolute http(s) URL",
            Assert.Single(Validate(new WebSearchOptions { Url = url }).Failures!), StringComparison.Ordinal);

    [Fact]
    public void A_url_with_credentials_fails_without_repeating_them()
    {
        var failure = Assert.Single(Validate(new WebSearchOptions { Url = "https://user:s3cret@searx.example.com/search" }).Failures!);

        Assert.StartsWith("Tools:WebSearch:Url", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void Max_results_out_of_range_fails_and_names_the_key(int maxResults)
        => Assert.StartsWith("Tools:WebSearch:MaxResults must be between 1 and 20",
            Assert.Single(Validate(new WebSearchOptions { MaxResults = maxResults }).Failures!), StringComparison.Ordinal);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(121)]
    public void Timeout_out_of_range_fails_and_names_the_key(int seconds)
        => Assert.StartsWith("Tools:WebSearch:Timeout must be more than 00:00:00 and at most 00:02:00",
            Assert.Single(Validate(new WebSearchOptions { Timeout = TimeSpan.FromSeconds(seconds) }).Failures!), StringComparison.Ordinal);

    [Fact]
    public void Every_failure_is_reported_at_once()
        => Assert.Equal(3, Validate(new WebSearchOptions { Url = "nope", MaxResults = 0, Timeout = TimeSpan.Zero }).Failures!.Count());

    private static ValidateOptionsResult Validate(WebSearchOptions options) => new WebSearchOptionsValidator().Validate(null, options);
}
