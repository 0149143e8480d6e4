using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// A TCP relay in front of a server, so that a test can make the server unreachable without touching
/// it (the development OpenID provider keeps clients and grants in memory: a restart would forget
/// them). <see cref="Refuse"/>: connections are refused and open ones reset (the host is down);
/// <see cref="Blackhole"/>: connections are accepted and never answered (the host hangs);
/// <see cref="Forward"/>: relay again.
/// </summary>
internal sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly ResetSockets _open = new();
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private readonly ConcurrentQueue<MemoryStream> _sent = new();
    private volatile ProxyMode _mode = ProxyMode.Forward;
    private int _accepted;

    private TcpFaultProxy(int port, int targetPort)
    {
        Port = port;
        _targetPort = targetPort;
    }

    public int Port { get; }

    public ProxyMode Mode => _mode;

    /// <summary>Connections accepted since the proxy started, whatever their fate.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Everything the clients sent through the proxy, as Latin-1 text, connection by connection (for plain-http wire checks).</summary>
    public IReadOnlyList<string> Sent => [.. _sent.Select(Snapshot)];

    public static TcpFaultProxy Start(int port, int targetPort)
    {
        var proxy = new TcpFaultProxy(port, targetPort);
        proxy.Listen();
        return proxy;
    }

    public void Forward()
    {
        _mode = ProxyMode.Forward;
        Listen();
    }

    public void Refuse()
    {
        _mode = ProxyMode.Refuse;
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
        }

        _open.ResetAll();
    }

    public void Blackhole()
    {
        _mode = ProxyMode.Blackhole;
        Listen();
        _open.ResetAll();
    }

    public ValueTask DisposeAsync()
    {
        Refuse();
        return ValueTask.CompletedTask;
    }

    private void Listen()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _ = AcceptLoopAsync(listener);
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _open.Add(client);
            if (_mode == ProxyMode.Forward)
            {
                _ = RelayAsync(client);
            }

            // Blackhole: the connection stays open and unanswered until the mode changes.
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _open.Add(server);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            var sent = new MemoryStream();
            _sent.Enqueue(sent);
            await Task.WhenAny(PumpAsync(client, server, sent), PumpAsync(server, client, null));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _open.Reset(client);
            _open.Reset(server);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, MemoryStream? record)
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

                if (record is not null)
                {
                    lock (record)
                    {
                        record.Write(buffer, 0, read);
                    }
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    private static string Snapshot(MemoryStream stream)
    {
        lock (stream)
        {
            return System.Text.Encoding.Latin1.GetString(stream.GetBuffer(), 0, (int)stream.Length);
        }
    }


}

internal enum ProxyMode
{
    Forward,
    Refuse,
    Blackhole,
}
