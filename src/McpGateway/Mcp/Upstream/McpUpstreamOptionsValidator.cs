using System.Text.RegularExpressions;
using McpGateway.Connectors;
using McpGateway.Connectors.Routing;
using Microsoft.Extensions.Options;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// <c>Upstreams:Mcp</c> at start-up: the legacy <c>Url</c>, every <c>Servers:{name}</c> and <c>AllowedIssuers</c>; each
/// failure is one line naming its key. <paramref name="requireHttpsIssuers"/> follows <c>Auth:RequireHttpsMetadata</c>:
/// an http issuer is allowed only where the sign-in authority may be http too.
/// </summary>
internal sealed partial class McpUpstreamOptionsValidator(bool requireHttpsIssuers) : IValidateOptions<McpUpstreamOptions>
{
    public const int MaxPrefixLength = 32;

    public McpUpstreamOptionsValidator()
        : this(requireHttpsIssuers: true)
    {
    }

    public ValidateOptionsResult Validate(string? name, McpUpstreamOptions options)
    {
        var failures = new List<string>();
        if (options.IsConfigured && !IsUpstreamUrl(options.Url))
        {
            failures.Add($"Upstreams:Mcp:Url must be an absolute http(s):// or ws(s):// URL without credentials, got '{Redacted(options.Url)}'.");
        }

        var prefixes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options.IsConfigured)
        {
            prefixes[""] = Connector.DefaultName;
        }

        foreach (var (server, settings) in options.Servers)
        {
            failures.AddRange(ServerProblems(server, settings, options.IsConfigured, prefixes));
        }

        for (var i = 0; i < options.AllowedIssuers.Count; i++)
        {
            if (IssuerProblem(options.AllowedIssuers[i]) is { } problem)
            {
                failures.Add($"Upstreams:Mcp:AllowedIssuers:{i} {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> ServerProblems(string server, McpServerOptions settings, bool hasLegacyUrl, Dictionary<string, string> prefixes)
    {
        var key = "Upstreams:Mcp:Servers:" + server;
        if (!ServerName().IsMatch(server))
        {
            yield return $"{key}: a server name is 1–32 characters of a–z, 0–9, '_' and '-', starting with a letter or digit.";
        }

        if (server == Connector.DefaultName && hasLegacyUrl)
        {
            yield return $"{key}: the name '{Connector.DefaultName}' is taken by Upstreams:Mcp:Url; name the server otherwise or leave Upstreams:Mcp:Url empty.";
        }

        if (!IsUpstreamUrl(settings.Url))
        {
            yield return $"{key}:Url must be an absolute http(s):// or ws(s):// URL without credentials, got '{Redacted(settings.Url)}'.";
        }
        else if (settings.Authorization == ConnectorAuthorization.Discover && new Uri(settings.Url).Scheme is not ("http" or "https"))
        {
            yield return $"{key}:Authorization 'discover' needs an http(s):// Url (the MCP authorization specification is for Streamable HTTP).";
        }

        var prefix = ConnectorCatalog.EffectivePrefix(server, settings);
        if (prefix.Length > MaxPrefixLength || !PrefixCharacters().IsMatch(prefix))
        {
            yield return $"{key}:ToolPrefix must be at most {MaxPrefixLength} characters of A–Z, a–z, 0–9, '_', '.' and '-', got '{prefix}'.";
        }
        else if (prefixes.TryGetValue(prefix, out var holder))
        {
            yield return prefix.Length == 0
                ? $"{key}:ToolPrefix is empty like that of '{holder}': only one server may keep its tools' own names."
                : $"{key}:ToolPrefix '{prefix}' is already the prefix of '{holder}': each server needs its own.";
        }
        else
        {
            prefixes[prefix] = server;
        }

        if (settings.ClientSecret.Length > 0 && settings.ClientId.Length == 0)
        {
            yield return $"{key}:ClientSecret is set without {key}:ClientId.";
        }
    }

    private string? IssuerProblem(string issuer)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Scheme is not ("https" or "http"))
        {
            return $"must be an absolute https:// URL without credentials, got '{Redacted(issuer)}'.";
        }

        return uri.Scheme == "http" && requireHttpsIssuers
            ? $"'{issuer}' is http: set Auth:RequireHttpsMetadata=false to allow it (local stacks only)."
            : null;
    }

    private static bool IsUpstreamUrl(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss" && uri.UserInfo.Length == 0;

    /// <summary>The URL without any user-info, which may hold a password.</summary>
    private static string Redacted(string url)
    {
        var at = url.IndexOf('@', StringComparison.Ordinal);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        return at > scheme && scheme >= 0 ? url[..(scheme + 3)] + "…@" + url[(at + 1)..] : url;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$")]
    private static partial Regex ServerName();

    [GeneratedRegex("^[A-Za-z0-9_.-]*$")]
    private static partial Regex PrefixCharacters();
}
