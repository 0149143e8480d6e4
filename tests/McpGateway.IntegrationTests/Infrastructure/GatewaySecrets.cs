using McpGateway.Auth.Registration;
using McpGateway.Auth.Tokens;
using McpGateway.Sessions;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>What must never reach a browser or a log line, read on the server side of one gateway.</summary>
internal static class GatewaySecrets
{
    /// <summary>
    /// The gateway's client secret (or private key) and registration access token, and for each browser its cookie,
    /// session reference and (while the session lasts) access, refresh and ID tokens.
    /// </summary>
    public static async Task<IReadOnlyCollection<string>> CollectAsync(GatewayHost gateway, params Browser[] browsers)
    {
        var secrets = new List<string>();
        var registration = gateway.GetRequiredService<ClientRegistrationState>().Current;
        secrets.AddRange(new[] { registration?.ClientSecret, registration?.SigningKey?.PrivateKey, registration?.RegistrationAccessToken }.OfType<string>());
        var tokens = gateway.GetRequiredService<SessionTokenService>();
        foreach (var browser in browsers)
        {
            if (browser.GatewayCookie(SessionCookie.DevelopmentName)?.Value is not { } cookie)
            {
                continue;
            }

            secrets.Add(cookie);
            var reference = await SessionCookieReader.ReadReferenceAsync(gateway, cookie);
            secrets.Add(reference);
            var set = await tokens.ReadAsync(SessionId.Parse(reference), CancellationToken.None);
            secrets.AddRange(new[] { set?.AccessToken, set?.RefreshToken, set?.IdToken }.OfType<string>());
        }

        return secrets;
    }

    /// <summary>Fails when the gateway's log, all of it, holds any of the secrets (16 characters or more).</summary>
    public static void AssertNotInLogs(GatewayHost gateway, IEnumerable<string> secrets)
        => AssertNotInLogs(gateway.Logs.Text, $"tests/artifacts/logs/gateway-{gateway.BaseAddress.Port}-*.log", secrets);

    /// <summary>The same for a log read elsewhere, e.g. the output of a gateway process (<paramref name="where"/> says where it is written).</summary>
    public static void AssertNotInLogs(string logs, string where, IEnumerable<string> secrets)
    {
        var all = secrets.Distinct(StringComparer.Ordinal).ToList();
        var leaked = all.Where(secret => secret.Length >= 16 && logs.Contains(secret, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0,
            $"The gateway's log holds {leaked.Count} of the {all.Count} secrets (first 8 characters: {string.Join(", ", leaked.Select(secret => secret[..8]))}); the log is written to {where}.");
    }
}
