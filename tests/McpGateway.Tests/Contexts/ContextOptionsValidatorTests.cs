using McpGateway.Contexts;

namespace McpGateway.Tests.Contexts;

public sealed class ContextOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
        => Assert.True(new ContextOptionsValidator().Validate(null, new ContextOptions()).Succeeded);

    [Theory]
    [InlineData(0, 200, 60, "Contexts:MaxContentBytes must be between 1 and 16777216, got 0.")]
    [InlineData(16 * 1024 * 1024 + 1, 200, 60, "Contexts:MaxContentBytes must be between 1 and 16777216, got 16777217.")]
    [InlineData(1, 0, 60, "Contexts:MaxPerConversation must be between 1 and 10000, got 0.")]
    [InlineData(1, 10_001, 60, "Contexts:MaxPerConversation must be between 1 and 10000, got 10001.")]
    [InlineData(1, 1, 59, "Contexts:TimeToLive must be at least 00:01:00, got 00:00:59.")]
    public void A_value_out_of_range_fails_with_a_message_naming_the_key(int maxContentBytes, int maxPerConversation, int ttlSeconds, string message)
    {
        var result = new ContextOptionsValidator().Validate(null, new ContextOptions
        {
            MaxContentBytes = maxContentBytes,
            MaxPerConversation = maxPerConversation,
            TimeToLive = TimeSpan.FromSeconds(ttlSeconds),
        });

        Assert.True(result.Failed);
        Assert.Equal([message], result.Failures);
    }

    [Fact]
    public void The_boundaries_are_valid()
        => Assert.True(new ContextOptionsValidator().Validate(null, new ContextOptions
        {
            MaxContentBytes = 16 * 1024 * 1024,
            MaxPerConversation = 10_000,
            TimeToLive = TimeSpan.FromMinutes(1),
        }).Succeeded);

    [Theory]
    [InlineData(255, false)]
    [InlineData(256, true)]
    [InlineData(1024 * 1024, true)]
    [InlineData(1024 * 1024 + 1, false)]
    public void The_metadata_bound_is_between_256_bytes_and_a_mebibyte(int maxMetadataBytes, bool valid)
    {
        var result = new ContextOptionsValidator().Validate(null, new ContextOptions { MaxMetadataBytes = maxMetadataBytes });

        Assert.Equal(valid, result.Succeeded);
        Assert.Equal(valid ? null : [$"Contexts:MaxMetadataBytes must be between 256 and 1048576, got {maxMetadataBytes}."], result.Failures);
    }

    [Fact]
    public void Every_failure_is_reported_at_once()
        => Assert.Equal(3, new ContextOptionsValidator().Validate(null, new ContextOptions { MaxContentBytes = 0, MaxPerConversation = 0, TimeToLive = TimeSpan.Zero }).Failures!.Count());
}
