using System.Collections.Concurrent;
using System.Net.Sockets;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>The connections a test proxy holds, closed with an RST (linger 0) as a host or a balancer that went away closes them.</summary>
internal sealed class ResetSockets
{
    private readonly ConcurrentDictionary<Socket, byte> _open = new();

    public void Add(Socket socket) => _open[socket] = 0;

    public void ResetAll()
    {
        foreach (var socket in _open.Keys)
        {
            Reset(socket);
        }
    }

    public void Reset(Socket socket)
    {
        if (!_open.TryRemove(socket, out _))
        {
            return;
        }

        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }
}
