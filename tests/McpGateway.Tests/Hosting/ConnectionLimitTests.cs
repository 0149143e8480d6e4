using McpGateway.Hosting;

namespace McpGateway.Tests.Hosting;

public sealed class ConnectionLimitTests
{
    [Theory]
    [InlineData(null, 20_000L, 9_872L)]
    [InlineData(null, 1_024L, 384L)]
    [InlineData(null, 300L, ConnectionLimit.Minimum)]
    [InlineData(5_000L, 20_000L, 5_000L)]
    [InlineData(5_000L, null, 5_000L)]
    [InlineData(null, null, null)]
    public void The_configured_limit_wins_else_half_the_descriptors_after_a_reserve(long? configured, long? descriptors, long? expected)
        => Assert.Equal(expected, ConnectionLimit.Resolve(configured, descriptors));

    [Theory]
    [InlineData("Max open files            20000                20000                files     ", 20_000L)]
    [InlineData("Max open files            unlimited            unlimited            files     ", null)]
    public void The_soft_limit_is_read_from_proc_limits(string line, long? expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["Limit                     Soft Limit           Hard Limit           Units     ", "Max cpu time              unlimited            unlimited            seconds   ", line]);
            Assert.Equal(expected, ConnectionLimit.ReadDescriptorLimit(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
