using System.Threading.RateLimiting;
using RedisRateLimiting;

namespace McpGateway.Limits;

/// <summary>
/// The permits of one user's shared window that this replica took from Redis ahead of use, and how many it
/// takes next. A take starts at one permit; a user who comes back for more within a second gets twice as
/// many the next time, up to <see cref="LargestTake"/>; a slower user goes back to one. Permits are used only
/// inside the window they were counted in (until a second before it ends), then dropped. Once half of a take
/// of two or more is used, the next take is due (<see cref="TryTake(long, out bool)"/>), so that a fast user's calls keep
/// finding a permit here while it is under way: a replica holds at most <see cref="MostHeldUnused"/> unused permits.
/// </summary>
internal sealed class PermitReserve
{
    /// <summary>Budgets take at most this share of their limit at once.</summary>
    public const int ShareOfLimit = 64;

    /// <summary>And never more than this many permits at once.</summary>
    public const int MaxTake = 64;

    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(1);

    /// <summary>A window's last second, in which taken permits are no longer handed out (<see cref="UsableUntil"/>).</summary>
    private const long LastSecondMs = 1000;

    private readonly Lock _gate = new();

    /// <summary>Held while a take from the shared window is under way: one at a time per user and replica.</summary>
    public SemaphoreSlim Takes { get; } = new(1, 1);
    private int _available;
    private long _usableUntil;
    private long _lastTakenAt = long.MinValue / 2;
    private int _take = 1;

    /// <summary>The largest take for a budget of <paramref name="permitLimit"/> permits: 1 (no reserve) under 128.</summary>
    public static int LargestTake(int permitLimit) => Math.Clamp(permitLimit / ShareOfLimit, 1, MaxTake);

    /// <summary>Until when (Unix ms) permits taken with <paramref name="lease"/> may be used: a second before its window resets.</summary>
    public static long UsableUntil(RateLimitLease lease, long now)
        => lease.TryGetMetadata(RateLimitMetadataName.Reset.Name, out var reset) && reset is long resetSeconds
            ? resetSeconds * 1000 - LastSecondMs
            : now;

    /// <summary>The most unused permits one replica holds for one user: half a take left when the next take brings its own.</summary>
    public static int MostHeldUnused(int largestTake) => largestTake + largestTake / 2;

    public bool TryTake(long now) => TryTake(now, out _);

    /// <summary>One permit if one is left; <paramref name="nextTakeDue"/> when at most half of the last take (of two or more) is left.</summary>
    public bool TryTake(long now, out bool nextTakeDue)
    {
        lock (_gate)
        {
            if (_available > 0 && now < _usableUntil)
            {
                _available--;
                nextTakeDue = _take > 1 && _available <= _take / 2;
                return true;
            }

            nextTakeDue = false;
            return false;
        }
    }

    /// <summary>
    /// How many permits to ask the shared window for now. In the window's last second, one: what a take brought beyond
    /// the permit used at once could no longer be handed out, yet the window would count it (a fast user's take of 64
    /// per request would spend the budget 64 times over). The next window takes as many as the last did.
    /// </summary>
    public int NextTake(long now, int largest)
    {
        lock (_gate)
        {
            var quick = now - _lastTakenAt < (long)Quick.TotalMilliseconds;
            _lastTakenAt = now;
            if (now >= _usableUntil && now < _usableUntil + LastSecondMs)
            {
                return 1;
            }

            _take = quick ? Math.Min(_take * 2, largest) : 1;
            return _take;
        }
    }

    /// <summary>Keeps the permits of a take beyond the one used now; those of an earlier window are dropped.</summary>
    public void Add(int permits, long usableUntil)
    {
        lock (_gate)
        {
            if (usableUntil != _usableUntil)
            {
                _available = usableUntil > _usableUntil ? permits : _available;
                _usableUntil = Math.Max(usableUntil, _usableUntil);
                return;
            }

            _available += permits;
        }
    }
}
