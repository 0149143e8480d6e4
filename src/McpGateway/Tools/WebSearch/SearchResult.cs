namespace McpGateway.Tools.WebSearch;

/// <summary>One search hit as the tool returns it: plain-text title and snippet, an http(s) URL.</summary>
internal sealed record SearchResult(string Title, string Url, string Snippet);
