using McpGateway.Limits;

namespace McpGateway.Tests.Limits;

/// <summary>When the permits taken ahead say that the next take is due: at half of a take of two or more, never for single permits.</summary>
public sealed class PermitReserveTests
{
    private const long Now = 1_000_000;

    [Fact]
    public void The_next_take_is_due_once_half_of_a_doubled_take_is_used_and_not_before()
    {
        var reserve = new PermitReserve();
        Assert.Equal(1, reserve.NextTake(Now, largest: 8));
        Assert.Equal(2, reserve.NextTake(Now + 10, largest: 8));
        Assert.Equal(4, reserve.NextTake(Now + 20, largest: 8));
        Assert.Equal(8, reserve.NextTake(Now + 30, largest: 8));
        reserve.Add(8, usableUntil: Now + 60_000);

        var due = new List<bool>();
        while (reserve.TryTake(Now + 40, out var nextTakeDue))
        {
            due.Add(nextTakeDue);
        }

        // Eight permits: after the fourth is handed out, four (half a take) are left and every later call says so too.
        Assert.Equal([false, false, false, true, true, true, true, true], due);
        Assert.False(reserve.TryTake(Now + 40, out var dueWhenEmpty));
        Assert.False(dueWhenEmpty, "an empty reserve is refilled by the caller that waits for it, not ahead");
    }

    [Fact]
    public void A_slow_caller_taking_single_permits_never_starts_a_take_ahead()
    {
        var reserve = new PermitReserve();
        Assert.Equal(1, reserve.NextTake(Now, largest: 64));
        reserve.Add(1, usableUntil: Now + 60_000);

        Assert.True(reserve.TryTake(Now + 5, out var nextTakeDue));
        Assert.False(nextTakeDue);
    }

    [Fact]
    public void In_the_last_second_of_a_window_a_take_is_one_permit_and_the_next_window_takes_as_many_as_before()
    {
        var reserve = new PermitReserve();
        foreach (var (at, expected) in new[] { (0, 1), (10, 2), (20, 4), (30, 8) })
        {
            Assert.Equal(expected, reserve.NextTake(Now + at, largest: 8));
        }

        // The shared window resets at Now + 2,000 ms: its permits are handed out until Now + 1,000.
        reserve.Add(8, usableUntil: Now + 1_000);
        while (reserve.TryTake(Now + 500))
        {
        }

        Assert.Equal(1, reserve.NextTake(Now + 1_000, largest: 8));
        Assert.Equal(1, reserve.NextTake(Now + 1_500, largest: 8));
        Assert.Equal(1, reserve.NextTake(Now + 1_999, largest: 8));
        Assert.Equal(8, reserve.NextTake(Now + 2_000, largest: 8));
    }

    [Fact]
    public void Permits_past_their_window_are_neither_handed_out_nor_a_reason_to_take_ahead()
    {
        var reserve = new PermitReserve();
        reserve.NextTake(Now, largest: 4);
        reserve.NextTake(Now + 1, largest: 4);
        reserve.Add(2, usableUntil: Now + 100);

        Assert.False(reserve.TryTake(Now + 100, out var nextTakeDue));
        Assert.False(nextTakeDue);
        Assert.Equal(6, PermitReserve.MostHeldUnused(4));
    }
}
