namespace McpGateway.Auth;

/// <summary>The gateway's authentication paths, part of its external contract and its registration.</summary>
internal static class AuthPaths
{
    public const string Login = "/auth/login";
    public const string Session = "/auth/session";
    public const string Client = "/auth/client";
    public const string Logout = "/auth/logout";
    public const string BackChannelLogout = "/auth/backchannel";
    public const string Callback = "/signin-oidc";
    public const string SignedOutCallback = "/signout-callback-oidc";
    public const string PostLogoutRedirect = "/";
}
