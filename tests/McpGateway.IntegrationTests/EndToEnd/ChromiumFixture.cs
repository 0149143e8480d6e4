using Microsoft.Playwright;

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>
/// Debian's headless Chromium driven by Playwright, launched once per test class (each scenario
/// opens its own browser context). Playwright's own browsers are never downloaded: the node driver
/// ships inside the Microsoft.Playwright package and the browser is /usr/bin/chromium
/// (<c>./scripts/test.sh</c> installs the <c>chromium</c> package).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    internal IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: install Debian's chromium package (apt-get install -y chromium; ./scripts/test.sh does). Never run 'playwright install'.");
        }

        await FrontendBuild.EnsureBuiltAsync();

        // Nothing may be downloaded: the driver must not look for, or fetch, browsers of its own.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_VALIDATE_HOST_REQUIREMENTS", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
            Timeout = 60_000,
        });

        // Generous: two cores run the gateway, Redis, the node servers and Chromium at once, with other test collections beside.
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
