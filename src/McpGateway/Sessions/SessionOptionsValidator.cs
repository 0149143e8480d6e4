using Microsoft.Extensions.Options;

namespace McpGateway.Sessions;

internal sealed class SessionOptionsValidator : IValidateOptions<SessionOptions>
{
    public ValidateOptionsResult Validate(string? name, SessionOptions options)
    {
        if (options.IdleTimeout < TimeSpan.FromMinutes(1))
        {
            return ValidateOptionsResult.Fail($"Sessions:IdleTimeout must be at least 00:01:00, got {options.IdleTimeout}.");
        }

        if (options.AbsoluteLifetime < options.IdleTimeout)
        {
            return ValidateOptionsResult.Fail($"Sessions:AbsoluteLifetime ({options.AbsoluteLifetime}) must not be shorter than Sessions:IdleTimeout ({options.IdleTimeout}).");
        }

        return ValidateOptionsResult.Success;
    }
}
