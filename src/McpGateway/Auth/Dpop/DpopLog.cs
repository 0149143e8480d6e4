namespace McpGateway.Auth.Dpop;

/// <summary>DPoP log messages; event ids 3060–3089 of the Auth range. Never a token, proof or key.</summary>
internal static partial class DpopLog
{
    [LoggerMessage(3060, LogLevel.Information, "{Origin} answered HTTP {Status} asking for a DPoP nonce; sending the request again with it.", EventName = "DpopNonceRetry")]
    public static partial void NonceRetry(ILogger logger, string origin, int status);

    [LoggerMessage(3061, LogLevel.Information, "Sign-in tokens from {Issuer} are DPoP-bound (RFC 9449): each session signs its own proofs.", EventName = "DpopInUse")]
    public static partial void InUse(ILogger logger, string issuer);

    [LoggerMessage(3062, LogLevel.Warning, "The authorization server answered a DPoP token request with token_type {TokenType}: the tokens are used as bearer tokens.", EventName = "DpopNotBound")]
    public static partial void NotBound(ILogger logger, string tokenType);

    [LoggerMessage(3063, LogLevel.Information, "The chat server asked for a DPoP nonce; forwarding the chat call again with it.", EventName = "DpopChatNonceRetry")]
    public static partial void ChatNonceRetry(ILogger logger);
}
