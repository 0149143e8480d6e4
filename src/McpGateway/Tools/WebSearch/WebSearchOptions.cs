namespace McpGateway.Tools.WebSearch;

/// <summary>The <c>Tools:WebSearch</c> configuration section.</summary>
internal sealed class WebSearchOptions
{
    public const string SectionName = "Tools:WebSearch";

    /// <summary>The SearXNG-compatible search endpoint, called as <c>{Url}?q=…&amp;format=json</c>; empty disables the tool.</summary>
    public string Url { get; set; } = "";

    /// <summary>Most results one call returns, and the default count.</summary>
    public int MaxResults { get; set; } = 5;

    /// <summary>How long one search may take, from sending the request to reading the whole answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Url);

    public Uri Endpoint => new(Url, UriKind.Absolute);
}
