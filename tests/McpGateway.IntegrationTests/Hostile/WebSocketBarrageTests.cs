using System.Net.WebSockets;
using System.Text;

namespace McpGateway.IntegrationTests.Hostile;

[Collection(nameof(HostileCollection))]
public sealed class WebSocketBarrageTests(HostileStack stack, ITestOutputHelper output)
{
    private const int Sockets = 4;
    private const int FramesPerSocket = 400;

    [Theory]
    [InlineData("mcp")]
    [InlineData("mcp-v1")]
    public async Task Thousands_of_hostile_frames_are_each_answered_as_owed_and_no_socket_dies(string dialect)
    {
        var envelope = dialect == "mcp-v1";
        var random = HostileSeed.For(nameof(Thousands_of_hostile_frames_are_each_answered_as_owed_and_no_socket_dies) + dialect);
        using var attacker = await stack.SignInAsync($"frames-{dialect}-{Guid.NewGuid().ToString("N")[..6]}");
        var batches = Enumerable.Range(0, Sockets).Select(_ =>
        {
            var generator = new HostileFrames(new Random(random.Next()), envelope);
            var frames = new List<HostileFrame>();
            while (frames.Count < FramesPerSocket)
            {
                frames.AddRange(generator.Next());
            }

            return frames;
        }).ToList();
        var log = new AttackLog();

        await Bystander.DuringAsync(stack, output, () =>
            Task.WhenAll(batches.Select((frames, index) => FrameBarrage.RunAsync(attacker, envelope, frames, log, $"{dialect} socket {index}"))));

        output.WriteLine($"{log.Cases} frames on {Sockets} {dialect} sockets, {log.Received} messages back {HostileSeed.Replay}: "
            + string.Join(", ", batches.SelectMany(frames => frames).GroupBy(frame => frame.Kind.StartsWith("request ", StringComparison.Ordinal) ? "request" : frame.Kind)
                .OrderByDescending(group => group.Count()).Select(group => $"{group.Key} {group.Count()}")));
        log.AssertClean(await stack.SecretsAsync(attacker), stack.Files.SecretMarker, "root:x:0:0", stack.Files.Parent);
    }

    [Theory]
    [InlineData("mcp")]
    [InlineData("mcp-v1")]
    public async Task Oversized_frames_close_with_1009_invalid_utf8_with_1007_and_a_frame_exactly_at_the_limit_is_answered(string dialect)
    {
        var envelope = dialect == "mcp-v1";
        using var attacker = await stack.SignInAsync($"closer-{dialect}-{Guid.NewGuid().ToString("N")[..6]}");
        var log = new AttackLog();

        await Bystander.DuringAsync(stack, output, async () =>
        {
            foreach (var size in new[] { HostileStack.MaxFrameBytes + 1, 70_000, 300_000, 2_000_000 })
            {
                var frame = Padded(envelope, size);
                await ExpectCloseAsync(attacker, envelope, log, $"{dialect} text frame of {size} bytes", WebSocketCloseStatus.MessageTooBig,
                    socket => socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None));
            }

            await ExpectCloseAsync(attacker, envelope, log, $"{dialect} binary frame of 100000 bytes", WebSocketCloseStatus.MessageTooBig,
                socket => socket.SendAsync(new byte[100_000], WebSocketMessageType.Binary, true, CancellationToken.None));
            await ExpectCloseAsync(attacker, envelope, log, $"{dialect} 100 fragments of 1000 bytes", WebSocketCloseStatus.MessageTooBig, async socket =>
            {
                var fragment = Encoding.UTF8.GetBytes(new string(' ', 1000));
                for (var i = 0; i < 100; i++)
                {
                    await socket.SendAsync(fragment, WebSocketMessageType.Text, endOfMessage: i == 99, CancellationToken.None);
                }
            });

            foreach (var (name, bytes) in FrameBarrage.InvalidUtf8(envelope))
            {
                await ExpectCloseAsync(attacker, envelope, log, $"{dialect} invalid UTF-8 {name}", WebSocketCloseStatus.InvalidPayloadData,
                    socket => socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None));
            }

            // At the limit exactly: answered, and the socket stays open.
            var atLimit = Padded(envelope, HostileStack.MaxFrameBytes);
            var (status, reason, answer) = await FrameBarrage.ClosingCaseAsync(attacker, envelope,
                socket => socket.SendAsync(atLimit, WebSocketMessageType.Text, true, CancellationToken.None), log, $"{dialect} frame of exactly {HostileStack.MaxFrameBytes} bytes");
            Assert.True(status is null, $"a frame at the limit closed the socket: {status} {reason}");
            Assert.Contains("\"limit\"", answer, StringComparison.Ordinal);
        });

        output.WriteLine($"{log.Cases} closing cases {HostileSeed.Replay}.");
        log.AssertClean(await stack.SecretsAsync(attacker));
    }

    private static async Task ExpectCloseAsync(
        Infrastructure.Browser browser, bool envelope, AttackLog log, string name, WebSocketCloseStatus expected, Func<ClientWebSocket, Task> send)
    {
        var (status, reason, answer) = await FrameBarrage.ClosingCaseAsync(browser, envelope, send, log, name);
        if (status != expected)
        {
            log.Violation(name, $"expected the gateway to close with {(int)expected}, got {(int?)status} '{reason}' after answering {answer}");
        }
    }

    /// <summary>A calculator request padded to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Padded(bool envelope, int size)
    {
        var head = envelope
            ? "{\"id\":\"limit\",\"type\":\"request\",\"method\":\"tool_call\",\"params\":{\"tool_name\":\"calculator\",\"parameters\":{\"expression\":\"1+1\",\"pad\":\""
            : "{\"jsonrpc\":\"2.0\",\"id\":\"limit\",\"method\":\"tools/call\",\"params\":{\"name\":\"calculator\",\"arguments\":{\"expression\":\"1+1\",\"pad\":\"";
        const string Tail = "\"}}}";
        return Encoding.UTF8.GetBytes(head + new string('x', size - head.Length - Tail.Length) + Tail);
    }
}
