using Microsoft.Extensions.Options;

namespace McpGateway.Limits;

internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        Check(options.Chat, "Chat", failures);
        Check(options.Tools, "Tools", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(RateLimitBudget budget, string name, List<string> failures)
    {
        if (budget.PermitLimit < 1)
        {
            failures.Add($"RateLimits:{name}:PermitLimit must be at least 1, got {budget.PermitLimit}.");
        }

        if (budget.Window < TimeSpan.FromSeconds(1) || budget.Window > TimeSpan.FromDays(1))
        {
            failures.Add($"RateLimits:{name}:Window must be between 00:00:01 and 1.00:00:00, got {budget.Window}.");
        }
    }
}
