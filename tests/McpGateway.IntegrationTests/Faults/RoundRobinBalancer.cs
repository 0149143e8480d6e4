using System.Net;
using System.Net.Sockets;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// A TCP load balancer in front of gateway replicas, as a layer-4 balancer without session affinity: each new
/// connection goes to the next replica in turn, skipping one that refuses connections (a dead replica), and a
/// connection whose replica goes away is reset on the client side too.
/// </summary>
internal sealed class RoundRobinBalancer : IReplicaBalancer
{
    private readonly int[] _backends;
    private readonly int[] _routed;
    private readonly ResetSockets _open = new();
    private readonly TcpListener _listener;
    private int _next = -1;

    private RoundRobinBalancer(int port, int[] backends)
    {
        Port = port;
        _backends = backends;
        _routed = new int[backends.Length];
        _listener = new TcpListener(IPAddress.Loopback, port);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>Connections sent to each backend (in the order given), so far.</summary>
    public IReadOnlyList<int> Routed => [.. _routed];

    public static RoundRobinBalancer Start(int port, params int[] backends)
    {
        var balancer = new RoundRobinBalancer(port, backends);
        balancer._listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        balancer._listener.Start();
        _ = balancer.AcceptLoopAsync();
        return balancer;
    }

    public ValueTask DisposeAsync()
    {
        _listener.Stop();
        _open.ResetAll();

        return ValueTask.CompletedTask;
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _open.Add(client);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        Socket? server = null;
        try
        {
            for (var tried = 0; tried < _backends.Length && server is null; tried++)
            {
                var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_backends.Length);
                var candidate = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await candidate.ConnectAsync(IPAddress.Loopback, _backends[index]);
                    Interlocked.Increment(ref _routed[index]);
                    server = candidate;
                    _open.Add(server);
                }
                catch (SocketException)
                {
                    // A replica that is down: the next one in turn takes the connection.
                    candidate.Dispose();
                }
            }

            if (server is not null)
            {
                await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _open.Reset(client);
            if (server is not null)
            {
                _open.Reset(server);
            }
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

}
