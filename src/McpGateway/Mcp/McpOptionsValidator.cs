using Microsoft.Extensions.Options;

namespace McpGateway.Mcp;

internal sealed class McpOptionsValidator : IValidateOptions<McpOptions>
{
    public ValidateOptionsResult Validate(string? name, McpOptions options)
    {
        var failures = new List<string>();
        if (options.MaxFrameBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"Mcp:MaxFrameBytes must be between 1024 and 67108864, got {options.MaxFrameBytes}.");
        }

        if (options.MaxSocketsPerUser < 1)
        {
            failures.Add($"Mcp:MaxSocketsPerUser must be at least 1, got {options.MaxSocketsPerUser}.");
        }

        if (options.MaxHttpSessionsPerUser < 1)
        {
            failures.Add($"Mcp:MaxHttpSessionsPerUser must be at least 1, got {options.MaxHttpSessionsPerUser}.");
        }

        if (options.MaxStreamsPerUser < 1)
        {
            failures.Add($"Mcp:MaxStreamsPerUser must be at least 1, got {options.MaxStreamsPerUser}.");
        }

        if (options.MaxConcurrentRequestsPerSocket < 1)
        {
            failures.Add($"Mcp:MaxConcurrentRequestsPerSocket must be at least 1, got {options.MaxConcurrentRequestsPerSocket}.");
        }

        if (options.DrainTimeout < TimeSpan.Zero || options.DrainTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"Mcp:DrainTimeout must be between 00:00:00 and 00:05:00, got {options.DrainTimeout}.");
        }

        if (options.IdleTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Mcp:IdleTimeout must be at least 00:00:01, got {options.IdleTimeout}.");
        }

        if (options.RequestTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Mcp:RequestTimeout must be at least 00:00:01, got {options.RequestTimeout}.");
        }

        if (options.ResumeTimeout < TimeSpan.FromSeconds(3) || options.ResumeTimeout > TimeSpan.FromDays(1))
        {
            failures.Add($"Mcp:ResumeTimeout must be between 00:00:03 and 1.00:00:00, got {options.ResumeTimeout}.");
        }

        if (options.KeepAliveInterval < TimeSpan.Zero)
        {
            failures.Add($"Mcp:KeepAliveInterval must not be negative, got {options.KeepAliveInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
