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
    /// <summary>The OpenID Connect front-channel sign-out path (the handler's default, named here so the pipeline knows it).</summary>
    public const string RemoteSignOut = "/signout-oidc";
    public const string PostLogoutRedirect = "/";
}
