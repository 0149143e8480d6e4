using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Bench;

/// <summary>One burst: 100 requests released at once on one session.</summary>
internal sealed record BurstFigures(string Kind, int Requests, int Ok, double WallMs, double P50Ms, double MaxMs, int TokenCalls, int TokenErrors);

/// <summary>
/// The cost of a refresh under concurrency: a session whose access token is about to expire, 100
/// concurrent chat calls released together; the provider's /_stats counts the token-endpoint calls
/// (one is the target: a single-flight refresh). The same burst with a fresh token is the baseline.
/// </summary>
internal static class RefreshBurst
{
    public const int Callers = 100;

    public static async Task<List<BurstFigures>> MeasureAsync(Uri gateway, CookieContainer cookies, Uri issuer, TimeSpan tokenFreshFor, DateTime signedInAt, int rounds)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = int.MaxValue }) { Timeout = TimeSpan.FromSeconds(60) };
        using var stats = new HttpClient { BaseAddress = issuer };
        var cookie = BrowserLogin.CookieHeader(cookies, gateway);
        var figures = new List<BurstFigures>();

        // Opens the 100 connections while the token is fresh, so no burst pays for TCP set-up.
        await BurstAsync(http, stats, gateway, cookie, "warm-up");
        var issuedAt = signedInAt;
        for (var round = 0; round < rounds; round++)
        {
            figures.Add(await BurstAsync(http, stats, gateway, cookie, "fresh token"));
            var due = issuedAt + tokenFreshFor + TimeSpan.FromMilliseconds(500);
            if (due > DateTime.UtcNow)
            {
                await Task.Delay(due - DateTime.UtcNow);
            }

            issuedAt = DateTime.UtcNow;
            figures.Add(await BurstAsync(http, stats, gateway, cookie, "refresh due"));
        }

        return figures;
    }

    private static async Task<BurstFigures> BurstAsync(HttpClient http, HttpClient stats, Uri gateway, string cookie, string kind)
    {
        var before = await RefreshCountsAsync(stats);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, Callers).Select(async _ =>
        {
            await release.Task;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "/api/v2/chat"))
            {
                Content = new StringContent("""{"messages":[{"role":"user","content":"hello there"}],"model":"bench-1","stream":false}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Cookie", cookie);
            request.Headers.Add("X-CSRF", "1");
            var began = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return (Ok: response.StatusCode == HttpStatusCode.OK, Ticks: Stopwatch.GetTimestamp() - began);
        }).ToArray();
        var start = Stopwatch.GetTimestamp();
        release.SetResult();
        var results = await Task.WhenAll(calls);
        var wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var after = await RefreshCountsAsync(stats);
        var sorted = results.Select(result => result.Ticks).Order().ToArray();
        return new BurstFigures(kind, Callers, results.Count(result => result.Ok), wall, Stats.Percentile(sorted, 50), Stats.Percentile(sorted, 100),
            after.Calls - before.Calls, after.Errors - before.Errors);
    }

    /// <summary>Successful and failed refresh_token grants so far, from the provider's dev-only counters.</summary>
    private static async Task<(int Calls, int Errors)> RefreshCountsAsync(HttpClient stats)
    {
        var json = await stats.GetFromJsonAsync<JsonElement>("/_stats");
        var ok = json.TryGetProperty("token", out var token) && token.TryGetProperty("refresh_token", out var count) ? count.GetInt32() : 0;
        var errors = json.TryGetProperty("tokenErrors", out var failed) && failed.TryGetProperty("refresh_token", out var errorCount) ? errorCount.GetInt32() : 0;
        return (ok + errors, errors);
    }
}
