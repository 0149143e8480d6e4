using System.Text.Json;

namespace McpGateway.Usage;

/// <summary>
/// The model and provider names chat answers repeat, read without allocating a string for each answer:
/// a name equal to one of the few seen last is that string again. Bounded, so an upstream that sends a
/// new name every time only costs the strings it would have cost anyway.
/// </summary>
internal static class UsageNames
{
    private const int Slots = 16;
    private static readonly string?[] Recent = new string?[Slots];
    private static int _next;

    /// <summary>The string value the reader is on (a <see cref="JsonTokenType.String"/> token).</summary>
    public static string? Of(ref Utf8JsonReader reader)
    {
        foreach (var known in Recent)
        {
            if (known is not null && reader.ValueTextEquals(known))
            {
                return known;
            }
        }

        var name = reader.GetString();
        if (name is { Length: > 0 and <= 200 })
        {
            // A lost race only loses a slot's name: the reference is written whole.
            Recent[(uint)Interlocked.Increment(ref _next) % Slots] = name;
        }

        return name;
    }
}
