using Microsoft.Extensions.Options;

namespace McpGateway.Contexts;

internal sealed class ContextOptionsValidator : IValidateOptions<ContextOptions>
{
    public ValidateOptionsResult Validate(string? name, ContextOptions options)
    {
        var failures = new List<string>();
        if (options.MaxContentBytes is < 1 or > 16 * 1024 * 1024)
        {
            failures.Add($"Contexts:MaxContentBytes must be between 1 and 16777216, got {options.MaxContentBytes}.");
        }

        if (options.MaxMetadataBytes is < 256 or > 1024 * 1024)
        {
            failures.Add($"Contexts:MaxMetadataBytes must be between 256 and 1048576, got {options.MaxMetadataBytes}.");
        }

        if (options.MaxPerConversation is < 1 or > 10_000)
        {
            failures.Add($"Contexts:MaxPerConversation must be between 1 and 10000, got {options.MaxPerConversation}.");
        }

        if (options.TimeToLive < TimeSpan.FromMinutes(1))
        {
            failures.Add($"Contexts:TimeToLive must be at least 00:01:00, got {options.TimeToLive}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
