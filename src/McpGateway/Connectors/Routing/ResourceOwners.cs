using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace McpGateway.Connectors.Routing;

/// <summary>
/// Which connector listed which resource URI and URI template, so that <c>resources/read</c>, <c>subscribe</c>,
/// <c>unsubscribe</c> and <c>completion/complete</c> of a ref/resource go back to it (URIs are not rewritten: they stay
/// the server's own). A URI two servers list belongs to the one listed first (configuration order).
/// </summary>
internal sealed class ResourceOwners
{
    private readonly ConcurrentDictionary<string, Connector> _uris = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Connector Connector, Regex Pattern)> _templates = new(StringComparer.Ordinal);

    /// <returns><see langword="false"/> when another connector listed <paramref name="uri"/> first.</returns>
    public bool RememberUri(string uri, Connector connector) => _uris.GetOrAdd(uri, connector) == connector;

    /// <returns><see langword="false"/> when another connector listed <paramref name="template"/> first.</returns>
    public bool RememberTemplate(string template, Connector connector)
        => _templates.GetOrAdd(template, _ => (connector, Pattern(template))).Connector == connector;

    /// <summary>The connector of a listed URI, else of the template that matches it with the longest literal part, else none.</summary>
    public Connector? Find(string uri)
    {
        if (_uris.TryGetValue(uri, out var owner))
        {
            return owner;
        }

        if (_templates.TryGetValue(uri, out var exact))
        {
            return exact.Connector;
        }

        return _templates
            .Where(pair => pair.Value.Pattern.IsMatch(uri))
            .OrderByDescending(pair => Literal(pair.Key).Length)
            .Select(pair => pair.Value.Connector)
            .FirstOrDefault();
    }

    /// <summary>An RFC 6570 template as a pattern: literal text as is, each <c>{expression}</c> any non-empty text.</summary>
    internal static Regex Pattern(string template)
    {
        var pattern = "^" + string.Concat(Regex.Split(template, @"(\{[^}]*\})").Select(part => part.StartsWith('{') ? ".+" : Regex.Escape(part))) + "$";
        return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }

    private static string Literal(string template) => Regex.Replace(template, @"\{[^}]*\}", "");
}
