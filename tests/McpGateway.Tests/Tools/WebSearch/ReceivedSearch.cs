namespace McpGateway.Tests.Tools.WebSearch;

/// <summary>What the fake search server was sent.</summary>
internal sealed record ReceivedSearch(string Method, string Path, string QueryString, string Q, string Format, string Cookie, string Authorization, string UserAgent, string Accept);
