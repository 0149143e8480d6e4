using System.Buffers;
using System.Text.Json;

namespace McpGateway.Usage;

/// <summary>
/// Reads the usage report out of a chat answer as it streams past, without holding the answer back:
/// a JSON answer is copied aside (up to a bound) and read at the end; a server-sent-event stream
/// is cut into lines, and the last <c>data:</c> object with a <c>usage</c> wins. The copy lives in a
/// pooled buffer and is read with <see cref="Utf8JsonReader"/>, so a metered answer allocates only its
/// <see cref="ChatUsage"/>; <see cref="Dispose"/> (or <see cref="Complete"/>) gives the buffer back.
/// </summary>
internal sealed class UsageScanner(bool eventStream) : IDisposable
{
    private const int MaxJsonBytes = 1024 * 1024;
    private const int MaxLineBytes = 256 * 1024;
    private const int MaxNameLength = 200;

    private byte[]? _buffer;
    private int _count;
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

    /// <summary>What a body of <paramref name="contentType"/> can carry: the media type before any parameter, in any case.</summary>
    public static UsageFormat FormatOf(string? contentType)
    {
        var media = (contentType.AsSpan() is var type && type.IndexOf(';') is var end and >= 0 ? type[..end] : type).Trim();
        if (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return UsageFormat.Json;
        }

        return media.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase) ? UsageFormat.EventStream : UsageFormat.None;
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
            _usage = Read(Pending);
        }

        Dispose();
        return _usage;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _count = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ReadOnlySpan<byte> Pending => _buffer.AsSpan(0, _count);

    private void Keep(ReadOnlySpan<byte> bytes, int limit)
    {
        if (_overflow || _count + bytes.Length > limit)
        {
            _overflow = true;
            return;
        }

        if (_buffer is null || _buffer.Length - _count < bytes.Length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_count + bytes.Length, Math.Max(1024, (_buffer?.Length ?? 0) * 2)));
            if (_buffer is { } old)
            {
                old.AsSpan(0, _count).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(old);
            }

            _buffer = grown;
        }

        bytes.CopyTo(_buffer.AsSpan(_count));
        _count += bytes.Length;
    }

    private void EndLine()
    {
        var line = Pending.TrimEnd((byte)'\r');
        if (!_overflow && line.StartsWith("data:"u8))
        {
            _usage = Read(line["data:".Length..].TrimStart((byte)' ')) ?? _usage;
        }

        _count = 0;
        _overflow = false;
    }

    /// <summary>
    /// The usage of one JSON object: <c>usage.{prompt,completion,total}_tokens</c> (non-negative integers, else 0;
    /// the total defaults to prompt + completion), <c>model</c> and <c>provider</c> (1–200 characters, else
    /// "unknown"). Anything that is not one well-formed JSON object, or has no <c>usage</c> object, reports none.
    /// </summary>
    internal static ChatUsage? Read(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
            reader.Read();
            string? model = null, provider = null;
            UsageCounts? usage = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    usage = null;
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        usage = ReadCounts(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    model = Name(ref reader);
                }
                else if (reader.ValueTextEquals("provider"u8))
                {
                    reader.Read();
                    provider = Name(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // The whole text must be that one object: anything after it but white space is malformed.
            if (reader.Read())
            {
                return null;
            }

            return usage is { } counts
                ? new ChatUsage(model ?? "unknown", provider ?? "unknown", counts.Prompt, counts.Completion, counts.Total ?? counts.Prompt + counts.Completion)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static UsageCounts ReadCounts(ref Utf8JsonReader reader)
    {
        long prompt = 0, completion = 0;
        long? total = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("prompt_tokens"u8) ? 1 : reader.ValueTextEquals("completion_tokens"u8) ? 2 : reader.ValueTextEquals("total_tokens"u8) ? 3 : 0;
            reader.Read();
            long? count = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value >= 0 ? value : null;
            reader.Skip();
            switch (field)
            {
                case 1:
                    prompt = count ?? 0;
                    break;
                case 2:
                    completion = count ?? 0;
                    break;
                case 3:
                    total = count;
                    break;
            }
        }

        return new UsageCounts(prompt, completion, total);
    }

    private static string? Name(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        return UsageNames.Of(ref reader) is { Length: > 0 and <= MaxNameLength } name ? name : null;
    }

    private readonly record struct UsageCounts(long Prompt, long Completion, long? Total);
}
