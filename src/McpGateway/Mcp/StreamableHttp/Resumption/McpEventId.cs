using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace McpGateway.Mcp.StreamableHttp.Resumption;

/// <summary>
/// The SSE <c>id</c> of one event: <c>{stream}-{sequence}</c>. The stream is its kind (<c>r</c>: a POST's answer stream,
/// <c>s</c>: the standalone GET stream) and 12 random hex digits, unique within its MCP session on every replica; the
/// sequence counts that stream's events from 1. <c>Last-Event-ID</c> carries it back.
/// </summary>
internal readonly record struct McpEventId(string Stream, long Sequence)
{
    public const char RequestStream = 'r';
    public const char StandaloneStream = 's';
    private const int StreamLength = 13;

    public static string NewStream(char kind) => kind + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public bool IsStandalone => Stream[0] == StandaloneStream;

    public override string ToString() => Stream + "-" + Sequence.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, [NotNullWhen(true)] out McpEventId? id)
    {
        id = null;
        if (text is null || text.Length < StreamLength + 2 || text.Length > StreamLength + 20 || text[StreamLength] != '-')
        {
            return false;
        }

        var stream = text[..StreamLength];
        if (stream[0] is not (RequestStream or StandaloneStream)
            || !stream[1..].All(char.IsAsciiHexDigitLower)
            || !long.TryParse(text.AsSpan(StreamLength + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || sequence < 0)
        {
            return false;
        }

        id = new McpEventId(stream, sequence);
        return true;
    }
}
