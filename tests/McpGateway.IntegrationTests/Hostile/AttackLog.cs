using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// Everything an attacker received from the gateway during a barrage (status lines, headers, bodies,
/// WebSocket frames and close reasons), checked at the end: no 500, no internals, no secret of
/// anyone (tokens, client secret, session references, other users' cookies), nothing forbidden.
/// </summary>
internal sealed class AttackLog
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private int _cases;

    /// <summary>Attack cases sent (requests, frames, upgrades).</summary>
    public int Cases => Volatile.Read(ref _cases);

    public int Received => _entries.Count;

    public void CountCase() => Interlocked.Increment(ref _cases);

    public void CountCases(int count) => Interlocked.Add(ref _cases, count);

    public void Http(string @case, HttpResponseMessage response, string body)
        => _entries.Enqueue(new Entry(@case, (int)response.StatusCode,
            $"{(int)response.StatusCode}\n{response.Headers}{response.Content.Headers}\n{body}"));

    public void Http(string @case, int status, string everything) => _entries.Enqueue(new Entry(@case, status, everything));

    public void Frame(string @case, string text) => _entries.Enqueue(new Entry(@case, 0, text));

    public void Close(string @case, WebSocketCloseStatus? status, string? reason) => _entries.Enqueue(new Entry(@case, 0, $"close {(int?)status} {reason}"));

    /// <summary>A case-specific expectation that did not hold.</summary>
    public void Violation(string @case, string what) => _violations.Enqueue($"{@case}: {what}");

    public void AssertClean(IReadOnlyCollection<string> secrets, params string[] forbidden)
    {
        var problems = new List<string>(_violations);
        var needles = secrets.Where(secret => secret.Length >= 12)
            .SelectMany(secret => new[] { secret, Uri.EscapeDataString(secret) })
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var entry in _entries)
        {
            if (entry.Status == 500)
            {
                problems.Add($"{entry.Case}: 500: {Snippet(entry.Text)}");
            }

            if (GatewayInternals.Find(entry.Text) is { } internals)
            {
                problems.Add($"{entry.Case}: internals '{internals}' in {Snippet(entry.Text)}");
            }

            if (needles.FirstOrDefault(secret => entry.Text.Contains(secret, StringComparison.Ordinal)) is { } leaked)
            {
                problems.Add($"{entry.Case}: a secret ({leaked[..6]}…) was sent to the attacker: {Snippet(entry.Text)}");
            }

            if (forbidden.FirstOrDefault(text => entry.Text.Contains(text, StringComparison.Ordinal)) is { } shown)
            {
                problems.Add($"{entry.Case}: '{shown}' was sent to the attacker: {Snippet(entry.Text)}");
            }
        }

        Assert.True(problems.Count == 0,
            $"{problems.Count} problems in {Cases} cases {HostileSeed.Replay}:\n{string.Join('\n', problems.Take(25))}");
    }

    private static string Snippet(string text) => text.Length > 400 ? text[..400] + "…" : text;

    private sealed record Entry(string Case, int Status, string Text);
}
