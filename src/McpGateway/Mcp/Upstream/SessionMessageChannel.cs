using System.Threading.Channels;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// The channel of what an upstream session sends unasked, to its one reader (the link's pump). Unbounded in effect, but
/// built as a bounded channel of <see cref="int.MaxValue"/> items: its queue starts empty and grows only when messages
/// wait, where an unbounded channel allocates a 32-slot segment up front, for each of thousands of mostly idle sessions.
/// </summary>
internal static class SessionMessageChannel
{
    public static Channel<T> Create<T>() => Channel.CreateBounded<T>(new BoundedChannelOptions(int.MaxValue) { SingleReader = true });
}
