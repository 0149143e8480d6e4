using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace McpGateway.Mcp;

/// <summary>
/// One timer for every running bridge on a clock, instead of a delay loop per bridge: once a second it asks each bridge
/// to close if it has been idle for <see cref="McpOptions.IdleTimeout"/> (see <see cref="McpBridge.CloseIfIdle"/>).
/// A loop per bridge held, for each socket's whole life, a timer, a delay promise, its cancellation registration and
/// a state machine; here a bridge costs one dictionary entry.
/// </summary>
internal sealed class IdleSweep
{
    /// <summary>How often the bridges are looked at: an idle bridge is closed at most this late.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    // One sweep per clock: the system's for the gateway, a fake one per test.
    private static readonly ConditionalWeakTable<TimeProvider, IdleSweep> Sweeps = new();

    private readonly ConcurrentDictionary<McpBridge, byte> _bridges = new(ReferenceEqualityComparer.Instance);
    private readonly ITimer _timer;

    private IdleSweep(TimeProvider time)
        => _timer = time.CreateTimer(static state => ((IdleSweep)state!).Sweep(), this, Period, Period);

    /// <summary>The sweep of <paramref name="time"/>, started the first time it is asked for.</summary>
    public static IdleSweep On(TimeProvider time) => Sweeps.GetValue(time, static clock => new IdleSweep(clock));

    /// <summary>How many bridges are watched (for the tests).</summary>
    internal int Count => _bridges.Count;

    public void Watch(McpBridge bridge) => _bridges.TryAdd(bridge, 0);

    public void Forget(McpBridge bridge) => _bridges.TryRemove(bridge, out _);

    private void Sweep()
    {
        // The dictionary's own enumerator takes no snapshot (no copy of thousands of keys every second) and
        // tolerates bridges coming and going meanwhile.
        foreach (var (bridge, _) in _bridges)
        {
            if (bridge.CloseIfIdle())
            {
                _bridges.TryRemove(bridge, out _);
            }
        }
    }
}
