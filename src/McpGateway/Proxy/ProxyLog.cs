namespace McpGateway.Proxy;

/// <summary>Chat proxy log messages; event ids 6000–6099.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(6000, LogLevel.Warning, "Forwarding a chat call failed: {Error} ({ExceptionType}).", EventName = "ForwardingFailed")]
    public static partial void ForwardingFailed(ILogger logger, string error, string exceptionType);

    [LoggerMessage(6001, LogLevel.Warning, "Upstreams:Chat:Url is empty: /api/v2/chat answers 503 until a chat server is configured.", EventName = "ChatUpstreamMissing")]
    public static partial void ChatUpstreamMissing(ILogger logger);
}
