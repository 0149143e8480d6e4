using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace McpGateway.Tests.Infrastructure;

/// <summary>A Redis client pointed at a port nothing listens on: every command fails with "no connection".</summary>
internal static class UnreachableRedis
{
    /// <param name="backlog">What the client does with commands while disconnected (the gateway's is fail-fast).</param>
    public static async Task<ConnectionMultiplexer> ConnectAsync(BacklogPolicy? backlog = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var configuration = ConfigurationOptions.Parse($"127.0.0.1:{port},abortConnect=false,connectTimeout=200,connectRetry=0");
        configuration.BacklogPolicy = backlog ?? configuration.BacklogPolicy;
        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }
}
