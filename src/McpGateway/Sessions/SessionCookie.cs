namespace McpGateway.Sessions;

/// <summary>Names of the session cookie and its authentication scheme.</summary>
internal static class SessionCookie
{
    public const string Scheme = "session";

    /// <summary>On https the <c>__Host-</c> prefix pins the cookie to this exact origin, path / and Secure.</summary>
    public const string SecureName = "__Host-mcpgw";

    /// <summary>Plain http (local development) cannot use <c>__Host-</c>, which requires Secure.</summary>
    public const string DevelopmentName = "mcpgw";

    public static string NameFor(bool https) => https ? SecureName : DevelopmentName;
}
