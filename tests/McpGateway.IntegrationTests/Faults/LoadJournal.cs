using System.Collections.Concurrent;
using System.Text.Json;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// One call made by the load: what, by whom, when, and how it ended. <c>Status</c> is the HTTP status;
/// 101 for an accepted upgrade; for a socket request 200 (a result) or the JSON-RPC error code; -1 when no answer came.
/// </summary>
internal sealed record LoadRecord(string User, string Op, DateTime Start, DateTime End, int Status, string Body, bool RetryAfter = false, string? ErrorCode = null)
{
    public TimeSpan Duration => End - Start;

    public bool IsSocketRequest => Op.StartsWith("ws-", StringComparison.Ordinal) && Op != "ws-upgrade";

    public override string ToString()
        => $"{Start:HH:mm:ss.fff}+{Duration.TotalMilliseconds:F0}ms {User} {Op} -> {Status} {ErrorCode} {(Body.Length > 300 ? Body[..300] + "…" : Body)}";
}

/// <summary>Every call of a load run, thread-safe.</summary>
internal sealed class LoadJournal
{
    private readonly ConcurrentQueue<LoadRecord> _records = new();

    public IReadOnlyCollection<LoadRecord> Records => _records;

    public void Add(LoadRecord record) => _records.Enqueue(record);

    /// <summary>The <c>error</c> member of a JSON error body, or null when the body is not one.</summary>
    public static string? ErrorCodeOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String
                ? error.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
