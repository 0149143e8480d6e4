using System.Net.Sockets;
using System.Text;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hosting;

/// <summary>
/// Beyond <c>Gateway:MaxConnections</c> Kestrel closes new connections at once instead of letting the
/// process run out of file descriptors; the connections it holds go on being served, and a freed slot
/// is taken again.
/// </summary>
[Collection(nameof(AuthStackCollection))]
public sealed class ConnectionLimitTests(AuthStack stack)
{
    private const int Limit = 3;

    [Fact]
    public async Task Connections_beyond_the_limit_are_closed_at_once_and_the_held_ones_keep_working()
    {
        var settings = stack.Settings() with { Extra = new Dictionary<string, string?> { ["Gateway:MaxConnections"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        await using var gateway = GatewayHost.Start(settings);
        await gateway.WaitUntilReadyAsync();
        var held = new List<TcpClient>();
        try
        {
            // Closed connections (the readiness probe's, a refused one) leave Kestrel's count a moment after they close.
            for (var i = 0; i < Limit; i++)
            {
                await HoldAnotherAsync(gateway, held);
            }

            using (var refused = await ConnectAsync(gateway))
            {
                Assert.Null(await AskAsync(refused));
            }

            Assert.All(held, connection => Assert.True(connection.Connected));
            foreach (var connection in held)
            {
                Assert.StartsWith("HTTP/1.1 200", await AskAsync(connection), StringComparison.Ordinal);
            }

            held[0].Dispose();
            held.RemoveAt(0);
            await HoldAnotherAsync(gateway, held);
            Assert.Equal(Limit, held.Count);
        }
        finally
        {
            held.ForEach(connection => connection.Dispose());
        }
    }

    private static Task HoldAnotherAsync(GatewayHost gateway, List<TcpClient> held)
        => GatewayAssertions.EventuallyAsync(async () =>
        {
            var connection = await ConnectAsync(gateway);
            if (await AskAsync(connection) is { } status && status.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            {
                held.Add(connection);
                return true;
            }

            connection.Dispose();
            return false;
        }, TimeSpan.FromSeconds(10), "a connection within the limit is served");

    private static async Task<TcpClient> ConnectAsync(GatewayHost gateway)
    {
        var client = new TcpClient();
        await client.ConnectAsync(gateway.BaseAddress.Host, gateway.BaseAddress.Port);
        return client;
    }

    /// <returns>
    /// The status line of <c>GET /healthz</c> on a kept-alive connection, or <see langword="null"/> when the gateway closed it.
    /// The whole answer is read (its chunked body may come in a segment of its own), so that the next question on the
    /// connection reads its own answer.
    /// </returns>
    private static async Task<string?> AskAsync(TcpClient connection)
    {
        var stream = connection.GetStream();
        try
        {
            await stream.WriteAsync("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var buffer = new byte[4096];
            var answer = new StringBuilder();
            do
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return answer.Length == 0 ? null : answer.ToString().Split("\r\n")[0];
                }

                answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            while (!IsComplete(answer.ToString()));

            return answer.ToString().Split("\r\n")[0];
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Headers and, for a chunked answer, its last chunk; for one with a length, that many bytes of body.</summary>
    private static bool IsComplete(string answer)
    {
        var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var headers = answer[..end];
        if (headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return answer.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
        }

        var length = headers.Split("\r\n").FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is null || answer.Length - end - 4 >= int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
