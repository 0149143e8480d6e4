using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace McpGateway.Storage;

internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        if (options.IsConfigured)
        {
            if (options.Configuration.Contains("://", StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Fail(
                    "Redis:Configuration must be a StackExchange.Redis configuration string such as 'redis:6379,password=…,ssl=true', not a redis:// URL.");
            }

            try
            {
                var parsed = ConfigurationOptions.Parse(options.Configuration);
                if (parsed.EndPoints.Count == 0)
                {
                    return ValidateOptionsResult.Fail("Redis:Configuration names no endpoint, e.g. 'redis:6379' or 'host:6379,password=…'.");
                }
            }
            catch (ArgumentException ex)
            {
                return ValidateOptionsResult.Fail($"Redis:Configuration is not a valid StackExchange.Redis configuration string: {ex.Message}");
            }
        }

        if (string.IsNullOrEmpty(options.KeyPrefix) || options.KeyPrefix.Any(char.IsWhiteSpace))
        {
            return ValidateOptionsResult.Fail("Redis:KeyPrefix must be a non-empty prefix without white space, e.g. 'mcpgw:'.");
        }

        return ValidateOptionsResult.Success;
    }
}
