using System.Collections.Concurrent;
using McpGateway.Mcp.Upstream;
using McpGateway.Sessions;

namespace McpGateway.Tests.Mcp.Upstream;

/// <summary>Hands out prepared sessions in order, and remembers for which user session each was opened.</summary>
internal sealed class FakeUpstreamSessionFactory : IUpstreamSessionFactory
{
    private readonly ConcurrentQueue<FakeUpstreamSession> _prepared = new();

    public ConcurrentQueue<SessionId> Opened { get; } = new();

    public FakeUpstreamSession Prepare(FakeUpstreamSession? session = null)
    {
        session ??= new FakeUpstreamSession();
        _prepared.Enqueue(session);
        return session;
    }

    public Task<IUpstreamSession> ConnectAsync(SessionId session, CancellationToken cancellationToken)
    {
        Opened.Enqueue(session);
        return _prepared.TryDequeue(out var next)
            ? Task.FromResult<IUpstreamSession>(next)
            : Task.FromException<IUpstreamSession>(new UpstreamUnavailableException("no upstream session was prepared"));
    }
}
