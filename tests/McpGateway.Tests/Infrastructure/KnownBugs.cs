namespace McpGateway.Tests.Infrastructure;

/// <summary>
/// Tests that pin a known bug in src/ are skipped (<c>Skip = "bug: …"</c>) so the suite stays green;
/// set <c>RUN_BUG_TESTS=1</c> to run them and see whether the bug is still there.
/// </summary>
public static class KnownBugs
{
    public static bool Unfixed => Environment.GetEnvironmentVariable("RUN_BUG_TESTS") is null;
}
