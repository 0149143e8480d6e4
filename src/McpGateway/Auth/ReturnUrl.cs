namespace McpGateway.Auth;

/// <summary>Open-redirect protection: after sign-in the gateway only returns to a path of its own origin.</summary>
internal static class ReturnUrl
{
    /// <summary>
    /// True for a rooted local path such as <c>/chat?x=1</c>; false for absolute URLs, scheme-relative
    /// (<c>//host</c>), back-slash tricks (<c>/\host</c>), and control characters.
    /// </summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/')
        {
            return false;
        }

        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\'))
        {
            return false;
        }

        return !url.Any(c => char.IsControl(c) || c == '\\');
    }
}
