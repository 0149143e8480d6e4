using System.Collections;

namespace McpGateway.Mcp;

/// <summary>
/// The logging scope of one socket's (or Streamable HTTP session's) lines: its id, as the one structured value the
/// formatters write. A single small object for as long as the socket lives, where a dictionary would be four.
/// </summary>
internal sealed class SocketLogScope(string socketId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Key = "SocketId";

    private string? _text;

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index]
        => index == 0 ? new(Key, socketId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The scope's text, which the JSON formatter writes into every line: made once, when first logged.</summary>
    public override string ToString() => _text ??= Key + ":" + socketId;
}
