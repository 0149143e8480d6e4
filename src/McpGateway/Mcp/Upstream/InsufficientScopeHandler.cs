using System.Net;
using System.Net.Http.Headers;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// Turns a 403 with <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="…"</c> (RFC 6750 §3.1, the MCP
/// step-up) into <see cref="ConnectorInsufficientScopeException"/>: here the header is still there, while the SDK's
/// <see cref="HttpRequestException"/> keeps only the status.
/// </summary>
internal sealed class InsufficientScopeHandler(string connector) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Forbidden && InsufficientScope(response.Headers.WwwAuthenticate) is { } scope)
        {
            response.Dispose();
            throw new ConnectorInsufficientScopeException(connector, scope);
        }

        return response;
    }

    /// <returns>The scope the challenge asks for ("" when it names none), or <see langword="null"/> when it is no insufficient_scope challenge.</returns>
    internal static string? InsufficientScope(HttpHeaderValueCollection<AuthenticationHeaderValue> challenges)
    {
        foreach (var challenge in challenges)
        {
            if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Parameter is not { } parameters)
            {
                continue;
            }

            var values = AuthParameters(parameters);
            if (values.TryGetValue("error", out var error) && error == "insufficient_scope")
            {
                return values.GetValueOrDefault("scope", "");
            }
        }

        return null;
    }

    /// <summary>The auth-params of one challenge (RFC 9110 §11.2): <c>name=token</c> or <c>name="quoted string"</c>, comma-separated.</summary>
    internal static Dictionary<string, string> AuthParameters(string parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var at = 0;
        while (at < parameters.Length)
        {
            while (at < parameters.Length && (parameters[at] == ',' || char.IsWhiteSpace(parameters[at])))
            {
                at++;
            }

            var equals = parameters.IndexOf('=', at);
            if (equals < 0)
            {
                break;
            }

            var name = parameters[at..equals].Trim();
            at = equals + 1;
            var value = new System.Text.StringBuilder();
            if (at < parameters.Length && parameters[at] == '"')
            {
                for (at++; at < parameters.Length && parameters[at] != '"'; at++)
                {
                    if (parameters[at] == '\\' && at + 1 < parameters.Length)
                    {
                        at++;
                    }

                    value.Append(parameters[at]);
                }

                at++;
            }
            else
            {
                for (; at < parameters.Length && parameters[at] != ','; at++)
                {
                    value.Append(parameters[at]);
                }
            }

            values.TryAdd(name, value.ToString().Trim());
        }

        return values;
    }
}
