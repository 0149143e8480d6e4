using System.Buffers;
using System.Text.Json;

namespace McpGateway.Usage;

/// <summary>
/// Reads the usage report out of a chat answer as it streams past, without holding the answer back:
/// a JSON answer is copied aside (up to a bound) and parsed at the end; a server-sent-event stream
/// is cut into lines, and the last <c>data:</c> object with a <c>usage</c> wins.
/// </summary>
internal sealed class UsageScanner(bool eventStream)
{
    private const int MaxJsonBytes = 1024 * 1024;
    private const int MaxLineBytes = 256 * 1024;

    private readonly ArrayBufferWriter<byte> _pending = new();
    private bool _overflow;
    private ChatUsage? _usage;

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (!eventStream)
        {
            Keep(chunk, MaxJsonBytes);
            return;
        }

        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Keep(chunk, MaxLineBytes);
                return;
            }

            Keep(chunk[..newline], MaxLineBytes);
            EndLine();
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <returns>The usage the answer reported, or <see langword="null"/> when it reported none.</returns>
    public ChatUsage? Complete()
    {
        if (eventStream)
        {
            EndLine();
        }
        else if (!_overflow)
        {
            _usage = Read(_pending.WrittenSpan);
        }

        return _usage;
    }

    private void Keep(ReadOnlySpan<byte> bytes, int limit)
    {
        if (_overflow || _pending.WrittenCount + bytes.Length > limit)
        {
            _overflow = true;
            return;
        }

        _pending.Write(bytes);
    }

    private void EndLine()
    {
        var line = _pending.WrittenSpan.TrimEnd((byte)'\r');
        if (!_overflow && line.StartsWith("data:"u8))
        {
            _usage = Read(line["data:".Length..].TrimStart((byte)' ')) ?? _usage;
        }

        _pending.ResetWrittenCount();
        _overflow = false;
    }

    private static ChatUsage? Read(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var prompt = Count(usage, "prompt_tokens");
            var completion = Count(usage, "completion_tokens");
            return new ChatUsage(
                Text(root, "model") ?? "unknown",
                Text(root, "provider") ?? "unknown",
                prompt,
                completion,
                usage.TryGetProperty("total_tokens", out var total) && total.TryGetInt64(out var totalTokens) && totalTokens >= 0 ? totalTokens : prompt + completion);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long Count(JsonElement usage, string name)
        => usage.TryGetProperty(name, out var value) && value.TryGetInt64(out var count) && count >= 0 ? count : 0;

    private static string? Text(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 200 } text
            ? text
            : null;
}
