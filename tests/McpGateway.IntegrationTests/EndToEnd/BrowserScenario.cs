using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using McpGateway.IntegrationTests.Infrastructure;
using McpGateway.Sessions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace McpGateway.IntegrationTests.EndToEnd;

/// <summary>
/// One scenario in a fresh browser context on one gateway: its pages (tabs) share the cookie jar
/// like the tabs of one browser window. Screenshots go to tests/artifacts/screenshots as
/// <c>{scenario}-{nn}-{step}.png</c>. Requests that would leave the machine (the provider's pages
/// import a web font) are aborted and recorded; the gateway's own page must make none.
/// </summary>
internal sealed partial class BrowserScenario : IAsyncDisposable
{
    private const float ActionTimeout = 30_000;

    private readonly string _name;
    private readonly string _screenshots;
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly ConcurrentQueue<(string Url, string From)> _external = new();
    private readonly List<IPage> _pages = [];
    private readonly DateTime _started = DateTime.UtcNow;
    private int _shot;

    private BrowserScenario(string name, IBrowserContext context, GatewayHost gateway, string providerIssuer)
    {
        _name = name;
        Context = context;
        Gateway = gateway;
        ProviderIssuer = providerIssuer;
        _screenshots = Directory.CreateDirectory(Path.Combine(TestPaths.Artifacts, "screenshots")).FullName;
        foreach (var old in Directory.EnumerateFiles(_screenshots, name + "-*.png"))
        {
            File.Delete(old);
        }
    }

    public IBrowserContext Context { get; }

    public GatewayHost Gateway { get; }

    public string ProviderIssuer { get; }

    public string Origin => Gateway.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Uncaught exceptions of the gateway's page (and the provider's).</summary>
    public IReadOnlyCollection<string> PageErrors => _pageErrors;

    public static async Task<BrowserScenario> StartAsync(string name, IBrowser browser, GatewayHost gateway, string providerIssuer)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = gateway.BaseAddress.GetLeftPart(UriPartial.Authority),
            ViewportSize = new() { Width = 1280, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(ActionTimeout);
        context.SetDefaultNavigationTimeout(ActionTimeout);
        var scenario = new BrowserScenario(name, context, gateway, providerIssuer);
        await context.RouteAsync(url => !IsLoopback(url), async route =>
        {
            string from;
            try
            {
                from = route.Request.Frame.Url;
            }
            catch (PlaywrightException)
            {
                from = "(no frame)";
            }

            scenario._external.Enqueue((route.Request.Url, from));
            await route.AbortAsync("internetdisconnected");
        });
        return scenario;
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await Context.NewPageAsync();
        var index = _pages.Count + 1;
        page.PageError += (_, error) => _pageErrors.Enqueue($"tab {index}: {error}");
        _pages.Add(page);
        return page;
    }

    /// <summary>Runs the scenario; on failure every open tab is photographed (<c>…-failed-tabN.png</c>) before the error goes on.</summary>
    public async Task RunAsync(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            for (var i = 0; i < _pages.Count; i++)
            {
                if (!_pages[i].IsClosed)
                {
                    try
                    {
                        await _pages[i].ScreenshotAsync(new() { Path = Path.Combine(_screenshots, $"{_name}-failed-tab{i + 1}.png"), FullPage = true, Timeout = 10_000 });
                    }
                    catch (PlaywrightException)
                    {
                        // The failure itself matters more than its picture.
                    }
                }
            }

            throw;
        }
    }

    /// <summary>A PNG of the whole page for the test artifacts.</summary>
    public async Task ShotAsync(IPage page, string step)
    {
        var file = Path.Combine(_screenshots, $"{_name}-{++_shot:00}-{step}.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        Log($"screenshot {Path.GetFileName(file)}");
    }

    public void Log(string message)
        => TestContext.Current.TestOutputHelper?.WriteLine($"[{(DateTime.UtcNow - _started).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),6} s] {message}");

    /// <summary>
    /// Signs in as a user would: the page's Sign-in button, the provider's login form (any name,
    /// any password), its consent page, and back to the gateway's page, which shows the user's name.
    /// </summary>
    public async Task SignInAsync(IPage page, string user, bool screenshots = false)
    {
        var signIn = page.GetByTestId("login-button");
        await Expect(signIn).ToBeEnabledAsync();
        await signIn.ClickAsync();

        // The provider's form, then where it is: Playwright's WaitForURL also waits for a load event, which in CI runs
        // twice never came within 30 s although the form had been shown (the failure's screenshot).
        await Expect(page.Locator("input[name=login]")).ToBeVisibleAsync();
        Assert.StartsWith(ProviderIssuer + "/interaction/", page.Url, StringComparison.Ordinal);
        await page.Locator("input[name=login]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync("any-password");
        if (screenshots)
        {
            await ShotAsync(page, "provider-login");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in", Exact = true }).ClickAsync();

        var consent = page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true });
        await Expect(consent).ToBeVisibleAsync();
        Assert.StartsWith(ProviderIssuer + "/interaction/", page.Url, StringComparison.Ordinal);
        if (screenshots)
        {
            await ShotAsync(page, "provider-consent");
        }

        await consent.ClickAsync();
        await Expect(page.GetByTestId("user-name")).ToHaveTextAsync(DisplayName(user));
        Assert.StartsWith(Origin + "/", page.Url, StringComparison.Ordinal);
        Log($"signed in as {user}");
    }

    /// <summary>The signed-in page has loaded its panels: the tools (with the calculator) and the usage table.</summary>
    public static async Task ExpectPanelsLoadedAsync(IPage page)
    {
        await Expect(page.Locator("[data-testid=tool-item][data-tool-name=calculator]")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("usage-panel")).ToHaveAttributeAsync("data-status", "ready");
    }

    /// <summary>The dev provider's name claim for a login name.</summary>
    public static string DisplayName(string user) => "User " + user;

    /// <summary>
    /// No token ever reaches the page: the session cookie is HttpOnly (so not in document.cookie),
    /// and nothing token-like is in localStorage, sessionStorage or the document.
    /// </summary>
    public async Task AssertNoTokenInPageAsync(IPage page)
    {
        var cookies = await Context.CookiesAsync([Origin + "/"]);
        var session = Assert.Single(cookies, cookie => cookie.Name == SessionCookie.DevelopmentName);
        Assert.True(session.HttpOnly, "the session cookie must be HttpOnly");

        var visible = await page.EvaluateAsync<string>("() => document.cookie");
        foreach (var cookie in cookies.Where(cookie => cookie.HttpOnly))
        {
            Assert.DoesNotContain(cookie.Name + "=", visible, StringComparison.Ordinal);
            Assert.DoesNotContain(cookie.Value, visible, StringComparison.Ordinal);
        }

        var stored = await page.EvaluateAsync<string[]>(
            """
            () => [['local', localStorage], ['session', sessionStorage]].flatMap(([kind, storage]) =>
              Array.from({ length: storage.length }, (_, i) => `${kind}:${storage.key(i)}=${storage.getItem(storage.key(i))}`))
            """);
        foreach (var entry in stored)
        {
            Assert.False(TokenLike().IsMatch(entry), $"token-like entry in web storage: {entry}");
            Assert.DoesNotContain(session.Value, entry, StringComparison.Ordinal);
        }

        var html = await page.EvaluateAsync<string>("() => document.documentElement.outerHTML");
        Assert.DoesNotMatch(Jwt(), html);
        Assert.DoesNotContain(session.Value, html, StringComparison.Ordinal);
        Log($"no token in the page: document.cookie='{visible}', web storage [{string.Join(", ", stored)}]");
    }

    /// <summary>The gateway's page asked for nothing outside 127.0.0.1 (no fonts, no CDN).</summary>
    public void AssertGatewayPageStayedLocal()
    {
        var fromGateway = _external.Where(request => request.From.StartsWith(Origin + "/", StringComparison.Ordinal)).ToList();
        Assert.True(fromGateway.Count == 0, "the gateway's page requested " + string.Join(", ", fromGateway.Select(request => request.Url)));
    }

    public void AssertNoPageErrors() => Assert.True(_pageErrors.IsEmpty, "uncaught errors in the page:\n" + string.Join('\n', _pageErrors));

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    private static bool IsLoopback(string url)
        => !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is "data" or "blob" or "about" || uri.Host == "127.0.0.1";

    [GeneratedRegex(@"eyJ[\w-]{5,}\.[\w-]{5,}|(access|refresh|id)[_-]?token|bearer|[A-Za-z0-9_-]{32,}", RegexOptions.IgnoreCase)]
    private static partial Regex TokenLike();

    [GeneratedRegex(@"eyJ[\w-]{5,}\.eyJ[\w-]{5,}\.")]
    private static partial Regex Jwt();
}
