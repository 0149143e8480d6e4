using Microsoft.Net.Http.Headers;

namespace McpGateway.Mcp.StreamableHttp;

/// <summary>What a request's <c>Accept</c> allows: exact media types and wildcards, with their q-values.</summary>
internal static class AcceptHeader
{
    public const string Json = "application/json";
    public const string EventStream = "text/event-stream";

    /// <summary>The highest q-value any entry gives <paramref name="mediaType"/>; 0 when none (or no Accept header) allows it.</summary>
    public static double Quality(HttpRequest request, string mediaType)
    {
        var wanted = new MediaTypeHeaderValue(mediaType);
        var best = 0.0;
        foreach (var entry in request.GetTypedHeaders().Accept)
        {
            if (wanted.IsSubsetOf(entry))
            {
                best = Math.Max(best, entry.Quality ?? 1.0);
            }
        }

        return best;
    }

    public static bool Allows(HttpRequest request, string mediaType) => Quality(request, mediaType) > 0;
}
