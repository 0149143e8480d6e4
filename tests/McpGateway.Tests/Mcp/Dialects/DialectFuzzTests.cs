using System.Text;
using System.Text.Unicode;
using System.Text.Json.Nodes;
using McpGateway.Mcp.Dialects;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGateway.Tests.Mcp.Dialects;

/// <summary>
/// Thousands of generated frames (seeded, so a failure replays) through both dialects: decoding never
/// throws and gives exactly one of a message or a -32700/-32600 error; whatever was decoded encodes,
/// and what is encoded decodes again to the same kind of message.
/// </summary>
public sealed class DialectFuzzTests
{
    private const int FramesPerSeed = 3000;

    public static TheoryData<int> Seeds => [1, 7, 20260728];

    public static TheoryData<string> Dialects => [JsonRpcDialect.SubProtocol, SeedEnvelopeDialect.SubProtocol];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_json_rpc_dialect_answers_every_frame_outside_the_known_bugs(int seed)
        => AssertAnswersEveryFrame(new JsonRpcDialect(), seed, includeKnownBugs: false);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_envelope_dialect_answers_every_frame_outside_the_known_bugs(int seed)
        => AssertAnswersEveryFrame(new SeedEnvelopeDialect(), seed, includeKnownBugs: false);

    [Theory]
    [MemberData(nameof(Dialects))]
    public void Every_frame_is_answered_including_repeated_members_and_unreadable_strings(string dialect)
        => AssertAnswersEveryFrame(dialect == JsonRpcDialect.SubProtocol ? new JsonRpcDialect() : new SeedEnvelopeDialect(), 1, includeKnownBugs: true);

    [Fact]
    public void The_generator_is_reproducible_and_covers_every_kind_of_frame()
    {
        var first = new FrameFuzzer(5).Frames(500).ToList();
        var second = new FrameFuzzer(5).Frames(500).ToList();

        Assert.Equal(first.Select(frame => Convert.ToHexString(frame.Frame)), second.Select(frame => Convert.ToHexString(frame.Frame)));
        Assert.Equal(
            ["deep nesting", "envelope-like", "huge string", "message-like", "mutated envelope", "mutated message", "random bytes", "random json", "random text"],
            first.Select(frame => frame.Kind).Distinct().Order(StringComparer.Ordinal));
    }

    private static void AssertAnswersEveryFrame(IMcpDialect dialect, int seed, bool includeKnownBugs)
    {
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (kind, frame) in new FrameFuzzer(seed).Frames(FramesPerSeed))
        {
            if (!includeKnownBugs && (FrameFuzzer.HasUnreadableString(frame) || FrameFuzzer.HasRepeatedMember(frame)))
            {
                Count(outcomes, "excluded (known bugs)");
                continue;
            }

            if (Check(dialect, frame) is { } failure)
            {
                failures.Add($"{kind}: {failure}; frame: {Show(frame)}");
            }
            else
            {
                Count(outcomes, kind);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {FramesPerSeed} frames (seed {seed}) failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(10))}");
        Assert.True(outcomes.GetValueOrDefault("excluded (known bugs)") < FramesPerSeed / 5, "too many frames were excluded to mean anything");
    }

    /// <returns>What went wrong with the frame, or null.</returns>
    private static string? Check(IMcpDialect dialect, byte[] frame)
    {
        JsonRpcMessage? message;
        JsonRpcError? error;
        try
        {
            message = dialect.Decode(frame, out error);
        }
        catch (Exception ex)
        {
            return $"Decode threw {ex.GetType().Name}: {ex.Message}";
        }

        if ((message is null) == (error is null))
        {
            return $"Decode gave {(message is null ? "neither" : "both")} a message and an error";
        }

        if (error is not null)
        {
            if (error.Error.Code is not ((int)McpErrorCode.ParseError or (int)McpErrorCode.InvalidRequest))
            {
                return $"error code {error.Error.Code}";
            }

            return TryEncode(dialect, error, out _);
        }

        if (TryEncode(dialect, message!, out var encoded) is { } encodeFailure)
        {
            return encodeFailure;
        }

        if (message is JsonRpcResponse { Result: null })
        {
            // A null result is not written back (a known bug, see JsonRpcDialectTests): nothing to re-decode.
            return null;
        }

        try
        {
            var again = dialect.Decode(encoded, out var againError);
            return again?.GetType() == message!.GetType()
                ? null
                : $"the encoded {message!.GetType().Name} {Show(encoded)} decoded to {again?.GetType().Name ?? "error " + againError?.Error.Message}";
        }
        catch (Exception ex)
        {
            return $"re-decoding {Show(encoded)} threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    private static string? TryEncode(IMcpDialect dialect, JsonRpcMessage message, out byte[] encoded)
    {
        try
        {
            encoded = dialect.Encode(message);
            return JsonNode.Parse(encoded) is JsonObject ? null : $"Encode wrote something other than a JSON object: {Show(encoded)}";
        }
        catch (Exception ex)
        {
            encoded = [];
            return $"Encode of a {message.GetType().Name} threw {ex.GetType().Name}: {ex.Message}";
        }
    }

    private static void Count(Dictionary<string, int> outcomes, string key) => outcomes[key] = outcomes.GetValueOrDefault(key) + 1;

    private static string Show(byte[] frame)
        => Utf8.IsValid(frame)
            ? Encoding.UTF8.GetString(frame, 0, Math.Min(frame.Length, 300))
            : Convert.ToHexString(frame, 0, Math.Min(frame.Length, 150));
}
