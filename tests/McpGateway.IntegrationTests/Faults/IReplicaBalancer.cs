namespace McpGateway.IntegrationTests.Faults;

/// <summary>What stands in front of the replicas: the public address, and how many connections went to each replica.</summary>
internal interface IReplicaBalancer : IAsyncDisposable
{
    Uri BaseAddress { get; }

    /// <summary>Connections sent to each backend (in the order given), so far.</summary>
    IReadOnlyList<int> Routed { get; }
}
