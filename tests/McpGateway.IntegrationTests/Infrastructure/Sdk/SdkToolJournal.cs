using System.Collections.Concurrent;

namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>What the test tools did, as the server saw it: lets a test assert that a cancellation reached the server.</summary>
internal sealed class SdkToolJournal
{
    private readonly ConcurrentQueue<SdkToolEvent> _events = new();

    public void Record(string tool, string? sub, string outcome, string? detail = null)
        => _events.Enqueue(new SdkToolEvent(DateTimeOffset.UtcNow, tool, sub, outcome, detail));

    public IReadOnlyList<SdkToolEvent> For(string sub) => [.. _events.Where(e => e.Sub == sub)];

    public bool Has(string sub, string tool, string outcome) => _events.Any(e => e.Sub == sub && e.Tool == tool && e.Outcome == outcome);
}
