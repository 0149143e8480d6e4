using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tools.WebSearch;

/// <summary>
/// The <c>web_search</c> tool: asks the configured SearXNG-compatible endpoint, and only it. The caller
/// supplies a query, never a URL; redirects are not followed; the answer is read up to
/// <see cref="MaxResponseBytes"/> and within <c>Tools:WebSearch:Timeout</c>.
/// </summary>
internal sealed class WebSearchTool : IGatewayTool
{
    public const string Name = "web_search";
    public const string HttpClientName = "web-search";
    public const int MaxResponseBytes = 1024 * 1024;
    public const int MaxQueryLength = 500;

    private readonly WebSearchOptions _options;
    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly ILogger<WebSearchTool> _logger;

    public WebSearchTool(IOptions<WebSearchOptions> options, IHttpClientFactory httpClients, TimeProvider time, ILogger<WebSearchTool> logger)
    {
        _options = options.Value;
        _httpClients = httpClients;
        _time = time;
        _logger = logger;
        Definition = new Tool
        {
            Name = Name,
            Title = "Web search",
            Description =
                "Searches the web and returns up to " + _options.MaxResults.ToString(CultureInfo.InvariantCulture)
                + " results, each with a title, a URL and a plain-text snippet. Give search terms, not a URL.",
            InputSchema = StructuredContent.Schema($$"""
                {
                  "type": "object",
                  "properties": {
                    "query": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": {{MaxQueryLength}},
                      "description": "What to search for."
                    },
                    "count": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": {{_options.MaxResults}},
                      "description": "How many results to return (default {{_options.MaxResults}})."
                    }
                  },
                  "required": ["query"],
                  "additionalProperties": false
                }
                """),
            OutputSchema = StructuredContent.Schema("""
                {
                  "type": "object",
                  "properties": {
                    "results": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "properties": {
                          "title": { "type": "string" },
                          "url": { "type": "string" },
                          "snippet": { "type": "string" }
                        },
                        "required": ["title", "url", "snippet"]
                      }
                    }
                  },
                  "required": ["results"]
                }
                """),
            Annotations = new ToolAnnotations { Title = "Web search", ReadOnlyHint = true, IdempotentHint = false, OpenWorldHint = true },
        };
    }

    public Tool Definition { get; }

    public async ValueTask<CallToolResult> InvokeAsync(JsonElement arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        if (!ToolArguments.TryValidate(Definition.InputSchema, arguments, out var validated, out var error))
        {
            return ToolResults.Error(error);
        }

        var query = validated.GetString("query").Trim();
        if (query.Length == 0)
        {
            return ToolResults.Error("Argument 'query' must not be blank.");
        }

        var count = validated.GetInt32OrNull("count") ?? _options.MaxResults;
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await SearchAsync(query, count, invocation, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Fail(invocation, "timeout", $"The search service did not answer within {_options.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds.");
        }
        catch (HttpRequestException ex)
        {
            return Fail(invocation, $"unreachable ({ex.HttpRequestError})", "The search service could not be reached. Try again later.");
        }
    }

    /// <summary>The request URL: the configured endpoint, its own query kept, plus <c>q</c> and <c>format=json</c>.</summary>
    public static Uri RequestUri(Uri endpoint, string query)
    {
        var builder = new UriBuilder(endpoint);
        var existing = builder.Query.TrimStart('?');
        builder.Query = (existing.Length > 0 ? existing + "&" : "") + "q=" + Uri.EscapeDataString(query) + "&format=json";
        return builder.Uri;
    }

    private async Task<CallToolResult> SearchAsync(string query, int count, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, RequestUri(_options.Endpoint, query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _httpClients.CreateClient(HttpClientName)
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            return Fail(invocation, $"redirect (HTTP {status})", $"The search service answered with a redirect (HTTP {status}), which is not followed.");
        }

        if (!response.IsSuccessStatusCode)
        {
            return Fail(invocation, $"HTTP {status}", $"The search service failed (HTTP {status}). Try again later.");
        }

        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            return Fail(invocation, "answer too large", TooLargeMessage);
        }

        var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Fail(invocation, "answer too large", TooLargeMessage);
        }

        if (!SearchResponseReader.TryRead(body.WrittenMemory, count, out var results, out var error))
        {
            return Fail(invocation, "unreadable answer", error);
        }

        return ToolResults.Success(Describe(query, results), StructuredContent.Write(writer =>
        {
            writer.WriteStartArray("results");
            foreach (var result in results)
            {
                writer.WriteStartObject();
                writer.WriteString("title", result.Title);
                writer.WriteString("url", result.Url);
                writer.WriteString("snippet", result.Snippet);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }));
    }

    private static string TooLargeMessage => $"The search service's answer is larger than {MaxResponseBytes} bytes.";

    private static async Task<ArrayBufferWriter<byte>?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            while (true)
            {
                var read = await stream.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > MaxResponseBytes)
                {
                    return null;
                }
            }
        }
    }

    private static string Describe(string query, IReadOnlyList<SearchResult> results)
    {
        if (results.Count == 0)
        {
            return $"No results for \"{query}\".";
        }

        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Results for \"{query}\":\n");
        for (var i = 0; i < results.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{i + 1}. {results[i].Title}\n   {results[i].Url}\n");
            if (results[i].Snippet.Length > 0)
            {
                text.Append("   ").Append(results[i].Snippet).Append('\n');
            }
        }

        return text.ToString();
    }

    private CallToolResult Fail(ToolInvocation invocation, string reason, string message)
    {
        ToolsLog.WebSearchFailed(_logger, invocation.Subject, reason);
        return ToolResults.Error(message);
    }
}
