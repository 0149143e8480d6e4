using Microsoft.Extensions.Options;

namespace McpGateway.Proxy;

internal sealed class ChatUpstreamOptionsValidator : IValidateOptions<ChatUpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatUpstreamOptions options)
    {
        var failures = new List<string>();
        if (options.IsConfigured
            && (!Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.Query.Length > 0))
        {
            failures.Add($"Upstreams:Chat:Url must be an absolute http(s) base address without credentials or query, got '{options.Url}'.");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromHours(1))
        {
            failures.Add($"Upstreams:Chat:Timeout must be between 00:00:01 and 01:00:00, got {options.Timeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
