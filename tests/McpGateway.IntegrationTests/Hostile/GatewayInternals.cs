using System.Text.RegularExpressions;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// Recognises internals in what a caller received: stack traces (.NET or Node.js), exception type
/// names, qualified type names of the gateway and its libraries, source, runtime and host file paths
/// (not any path: an error may rightly repeat the caller's own path back).
/// </summary>
internal static partial class GatewayInternals
{
    public static bool Shows(string text) => Find(text) is not null;

    /// <returns>The first piece of internals found, or null.</returns>
    public static string? Find(string text)
    {
        var match = Pattern().Match(text);
        if (match.Success)
        {
            return match.Value;
        }

        // The host's own paths: the repository the gateway runs from and the system temp directory.
        return new[] { TestPaths.RepositoryRoot, Path.GetTempPath().TrimEnd('/') + "/mcpgw" }.FirstOrDefault(path => text.Contains(path, StringComparison.Ordinal));
    }

    [GeneratedRegex(
        @"\bat [A-Za-z_][\w.`<>]*\.[\w`<>]+\(" // a .NET stack frame: "at McpGateway.X.Y("
        + @"|\b[A-Z][A-Za-z0-9]*Exception\b" // an exception type name
        + @"|\b(?:System|Microsoft|StackExchange|Yarp|McpGateway|ModelContextProtocol|Medallion)\.[A-Z]\w*\.[A-Z]\w*" // a qualified type name
        + @"|\.cs:line \d+|\.dll\b|/src/McpGateway|/usr/share/dotnet|/usr/lib/dotnet|/\.nuget/|[A-Z]:\\\\" // source and runtime paths
        + @"|node:internal|\bat async |\(file:///|\.m?js:\d+:\d+", // a Node.js stack (an upstream's internals relayed)
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
