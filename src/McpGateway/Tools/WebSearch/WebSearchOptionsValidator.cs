using Microsoft.Extensions.Options;

namespace McpGateway.Tools.WebSearch;

internal sealed class WebSearchOptionsValidator : IValidateOptions<WebSearchOptions>
{
    public const int MaxResultsLimit = 20;
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(2);

    public ValidateOptionsResult Validate(string? name, WebSearchOptions options)
    {
        var failures = new List<string>();
        if (options.IsEnabled
            && (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url)
                || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
                || url.Fragment.Length > 0 || url.UserInfo.Length > 0))
        {
            failures.Add($"Tools:WebSearch:Url must be an absolute http(s) URL without credentials or fragment, e.g. http://searxng:8080/search; got '{Redacted(options.Url)}'. Leave it empty to disable web_search.");
        }

        if (options.MaxResults is < 1 or > MaxResultsLimit)
        {
            failures.Add($"Tools:WebSearch:MaxResults must be between 1 and {MaxResultsLimit}, got {options.MaxResults}.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"Tools:WebSearch:Timeout must be more than 00:00:00 and at most {MaxTimeout}, got {options.Timeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The URL as a message may show it: never with a password in it.</summary>
    private static string Redacted(string url)
        => Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.UserInfo.Length > 0
            ? url.Replace(parsed.UserInfo, "***", StringComparison.Ordinal)
            : url;
}
