using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace McpGateway.Tools.WebSearch;

/// <summary>
/// Reads a SearXNG JSON answer (<c>{"results": [{"title", "url", "content"}, …]}</c>). Entries without
/// an absolute http(s) URL are skipped; titles and snippets become plain text.
/// </summary>
internal static class SearchResponseReader
{
    public const int MaxTitleLength = 200;
    public const int MaxSnippetLength = 500;
    public const int MaxUrlLength = 2048;

    public static bool TryRead(ReadOnlyMemory<byte> json, int count, [NotNullWhen(true)] out IReadOnlyList<SearchResult>? results, [NotNullWhen(false)] out string? error)
    {
        results = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException)
        {
            error = "The search service did not answer with JSON.";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("results", out var items)
                || items.ValueKind != JsonValueKind.Array)
            {
                error = "The search service's answer has no 'results' list.";
                return false;
            }

            var list = new List<SearchResult>(count);
            foreach (var item in items.EnumerateArray())
            {
                if (list.Count == count)
                {
                    break;
                }

                if (item.ValueKind == JsonValueKind.Object && TryReadResult(item) is { } result)
                {
                    list.Add(result);
                }
            }

            results = list;
            error = null;
            return true;
        }
    }

    private static SearchResult? TryReadResult(JsonElement item)
    {
        var url = String(item, "url");
        if (url is null || url.Length > MaxUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var title = HtmlText.ToPlainText(String(item, "title") ?? "", MaxTitleLength);
        var snippet = HtmlText.ToPlainText(String(item, "content") ?? "", MaxSnippetLength);
        return new SearchResult(title.Length > 0 ? title : uri.Host, uri.AbsoluteUri, snippet);
    }

    private static string? String(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null; // invalid UTF-16 (a lone surrogate escape)
        }
    }
}
