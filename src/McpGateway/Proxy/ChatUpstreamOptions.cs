namespace McpGateway.Proxy;

/// <summary>The <c>Upstreams:Chat</c> configuration section: the AI server behind <c>/api/v2/chat</c>.</summary>
internal sealed class ChatUpstreamOptions
{
    public const string SectionName = "Upstreams:Chat";

    /// <summary>Base address of the AI server; <c>/api/v2/chat</c> is forwarded there. Empty: the route answers 503.</summary>
    public string Url { get; set; } = "";

    /// <summary>With no byte from the upstream for this long, the call ends with 504.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);
}
