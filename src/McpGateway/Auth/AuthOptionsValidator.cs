using McpGateway.Auth.ClientAuthentication;
using Microsoft.Extensions.Options;

namespace McpGateway.Auth;

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Authority))
        {
            failures.Add("Auth:Authority is required: the issuer URL of the authorization server, e.g. https://login.example.com.");
        }
        else if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority)
                 || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp)
                 || authority.Query.Length > 0 || authority.Fragment.Length > 0)
        {
            failures.Add($"Auth:Authority must be an absolute http(s) URL without query or fragment, got '{options.Authority}'.");
        }
        else if (authority.Scheme == Uri.UriSchemeHttp && options.RequireHttpsMetadata)
        {
            failures.Add($"Auth:Authority '{options.Authority}' is http: set Auth:RequireHttpsMetadata=false to allow it (local stacks only).");
        }

        if (!options.ScopeList.Contains("openid"))
        {
            failures.Add($"Auth:Scopes must include 'openid', got '{options.Scopes}'.");
        }

        var prompts = options.Prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!(prompts is [AuthOptions.NoPrompt] || prompts.All(AuthOptions.PromptValues.Contains)))
        {
            failures.Add($"Auth:Prompt must be empty (consent when offline_access is requested), '{AuthOptions.NoPrompt}' (no prompt parameter) "
                + $"or space-separated values of {string.Join(", ", AuthOptions.PromptValues)}; got '{options.Prompt}'.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientName))
        {
            failures.Add("Auth:ClientName must not be empty.");
        }

        if (!options.UsesDynamicRegistration && string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add("Auth:ClientSecret is required with Auth:ClientId (the gateway is a confidential client).");
        }

        if (!ClientAuthMethods.Settings.Contains(options.TokenEndpointAuthMethod))
        {
            failures.Add($"Auth:TokenEndpointAuthMethod must be {string.Join(", ", ClientAuthMethods.Settings)}; got '{options.TokenEndpointAuthMethod}'.");
        }
        else if (!options.UsesDynamicRegistration && options.TokenEndpointAuthMethod == ClientAuthMethods.PrivateKeyJwt)
        {
            failures.Add("Auth:TokenEndpointAuthMethod private_key_jwt needs dynamic registration: a pre-registered client (Auth:ClientId) authenticates with client_secret_post.");
        }

        if (!Dpop.DpopModes.Settings.Contains(options.Dpop))
        {
            failures.Add($"Auth:Dpop must be {string.Join(", ", Dpop.DpopModes.Settings)} (RFC 9449 sender-constrained tokens); got '{options.Dpop}'.");
        }

        if (!AuthOptions.ResourceIndicatorsValues.Contains(options.ResourceIndicators.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"Auth:ResourceIndicators must be {string.Join(" or ", AuthOptions.ResourceIndicatorsValues)} (RFC 8707 per-server tokens for session-mode connectors); got '{options.ResourceIndicators}'.");
        }

        if (options.RefreshMargin < TimeSpan.Zero || options.RefreshMargin > TimeSpan.FromHours(1))
        {
            failures.Add($"Auth:RefreshMargin must be between 00:00:00 and 01:00:00, got {options.RefreshMargin}.");
        }

        if (options.RegistrationRetryMaxDelay < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Auth:RegistrationRetryMaxDelay must be at least 00:00:01, got {options.RegistrationRetryMaxDelay}.");
        }

        if (options.BackchannelTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Auth:BackchannelTimeout must be at least 00:00:01, got {options.BackchannelTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
