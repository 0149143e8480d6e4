using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        const string key = GatewayOptions.SectionName + ":" + nameof(GatewayOptions.PublicOrigin);
        if (string.IsNullOrWhiteSpace(options.PublicOrigin))
        {
            return ValidateOptionsResult.Fail($"{key} is required: the origin browsers use, e.g. https://chat.example.com.");
        }

        if (!Uri.TryCreate(options.PublicOrigin, UriKind.Absolute, out var origin)
            || (origin.Scheme != Uri.UriSchemeHttps && origin.Scheme != Uri.UriSchemeHttp))
        {
            return ValidateOptionsResult.Fail($"{key} must be an absolute http(s) URL, got '{options.PublicOrigin}'.");
        }

        if (origin.AbsolutePath != "/" || origin.Query.Length > 0 || origin.Fragment.Length > 0 || origin.UserInfo.Length > 0)
        {
            return ValidateOptionsResult.Fail($"{key} must be an origin (scheme, host and optional port) without path, query or credentials, got '{options.PublicOrigin}'.");
        }

        if (options.MaxConnections is < 1)
        {
            return ValidateOptionsResult.Fail($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.MaxConnections)} must be at least 1, got {options.MaxConnections}.");
        }

        return ValidateOptionsResult.Success;
    }
}
