using Microsoft.Extensions.Options;

namespace McpGateway.Mcp.Upstream;

internal sealed class McpUpstreamOptionsValidator : IValidateOptions<McpUpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, McpUpstreamOptions options)
    {
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        return Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss" && uri.UserInfo.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Upstreams:Mcp:Url must be an absolute http(s):// or ws(s):// URL without credentials, got '{Redacted(options.Url)}'.");
    }

    /// <summary>The URL without any user-info, which may hold a password.</summary>
    private static string Redacted(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > scheme && scheme >= 0 ? url[..(scheme + 3)] + "…@" + url[(at + 1)..] : url;
    }
}
