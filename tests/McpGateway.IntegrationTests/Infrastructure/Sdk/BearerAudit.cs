using System.Collections.Concurrent;

namespace McpGateway.IntegrationTests.Infrastructure.Sdk;

/// <summary>A thread-safe record of every request a test MCP server received, in arrival order.</summary>
internal sealed class BearerAudit
{
    private readonly ConcurrentQueue<BearerAuditEntry> _entries = new();

    public void Add(BearerAuditEntry entry) => _entries.Enqueue(entry);

    /// <summary>A snapshot of every entry so far.</summary>
    public IReadOnlyList<BearerAuditEntry> Entries => [.. _entries];

    /// <summary>The entries of requests that carried an active token of this user.</summary>
    public IReadOnlyList<BearerAuditEntry> For(string sub) => [.. _entries.Where(entry => entry.Sub == sub)];

    public IReadOnlyList<BearerAuditEntry> Since(DateTimeOffset at) => [.. _entries.Where(entry => entry.At >= at)];
}
