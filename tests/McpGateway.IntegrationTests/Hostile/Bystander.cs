using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// A signed-in user going about their business while a barrage runs: health, session, gateway and
/// upstream tools over a socket, contexts over the socket and REST, chat. Every call must succeed,
/// and quickly; the loop must have run during the whole barrage.
/// </summary>
internal sealed class Bystander
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(10);

    private readonly HostileStack _stack;
    private readonly List<string> _failures = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private int _calls;
    private TimeSpan _slowest;

    private Bystander(HostileStack stack) => _stack = stack;

    /// <summary>Runs <paramref name="attack"/> with the bystander working alongside, then asserts that all its calls succeeded.</summary>
    public static async Task DuringAsync(HostileStack stack, ITestOutputHelper output, Func<Task> attack)
    {
        var bystander = new Bystander(stack);
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var loop = bystander.LoopAsync(started, stop.Token);
        await started.Task;
        var clock = Stopwatch.StartNew();
        try
        {
            await attack();
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
        }

        output.WriteLine($"Bystander: {bystander._calls} calls in {clock.Elapsed.TotalSeconds:F1} s, slowest {bystander._slowest.TotalMilliseconds:F0} ms, {bystander._failures.Count} failures.");
        Assert.True(bystander._failures.Count == 0,
            $"the bystander's calls failed during the barrage {HostileSeed.Replay}:\n{string.Join('\n', bystander._failures.Take(20))}");
        Assert.True(bystander._calls >= 5, $"the bystander made only {bystander._calls} calls: it did not work during the barrage");
    }

    private async Task LoopAsync(TaskCompletionSource started, CancellationToken stop)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = _stack.Bystander.Cookies })
        {
            BaseAddress = _stack.Gateway.BaseAddress,
            Timeout = TimeSpan.FromSeconds(15),
        };
        using var anonymous = new HttpClient { BaseAddress = _stack.Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        RawSocket? socket = null;
        try
        {
            socket = await RawSocket.OpenAsync(_stack.Bystander);
            await socket.InitializeAsync();
            started.SetResult();
            for (var i = 1; !stop.IsCancellationRequested; i++)
            {
                await StepAsync("healthz", async () => (await anonymous.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK);
                await StepAsync("session", async () =>
                {
                    using var response = await http.GetAsync("/auth/session");
                    return response.StatusCode == HttpStatusCode.OK && (await response.JsonAsync()).GetProperty("sub").GetString() == _stack.BystanderName;
                });
                await StepAsync("calculator", async () => Text(await socket.RequestAsync(10 * i, "tools/call",
                    new { name = "calculator", arguments = new { expression = $"{i} + 1" } })) == (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                await StepAsync("echo upstream", async () => Text(await socket.RequestAsync(10 * i + 1, "tools/call",
                    new { name = "echo", arguments = new { message = $"by {i}" } })) == $"Echo: by {i}");
                var conversation = $"by-{_run}-{i / 50}";
                await StepAsync("context over the socket", async () =>
                {
                    var stored = await socket.RequestAsync(10 * i + 2, "context/store", new { conversation_id = conversation, content = $"note {i}" });
                    var id = stored.GetProperty("result").GetProperty("context").GetProperty("id").GetString();
                    var listed = await socket.RequestAsync(10 * i + 3, "context/list", new { conversation_id = conversation });
                    return listed.GetProperty("result").GetProperty("contexts").EnumerateArray().Any(context => context.GetProperty("id").GetString() == id);
                });
                if (i % 3 == 1)
                {
                    await StepAsync("context over REST", async () =>
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{conversation}/contexts") { Content = JsonContent.Create(new { content = $"rest {i}" }) };
                        request.Headers.Add("X-CSRF", "1");
                        using var response = await http.SendAsync(request);
                        return response.StatusCode == HttpStatusCode.Created;
                    });
                    await StepAsync("chat", async () =>
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/chat")
                        {
                            Content = JsonContent.Create(new { messages = new[] { new { role = "user", content = $"bystander {i}" } } }),
                        };
                        request.Headers.Add("X-CSRF", "1");
                        using var response = await http.SendAsync(request);
                        return response.StatusCode == HttpStatusCode.OK
                            && (await response.JsonAsync()).GetProperty("message").GetProperty("content").GetString() == $"Echo: bystander {i}";
                    });
                }

                await Task.Delay(30, CancellationToken.None);
            }
        }
        catch (Exception ex) when (!started.Task.IsCompleted)
        {
            started.SetException(ex);
        }
        finally
        {
            if (socket is not null)
            {
                await socket.DisposeAsync();
            }
        }
    }

    private async Task StepAsync(string what, Func<Task<bool>> call)
    {
        var clock = Stopwatch.StartNew();
        string? failure;
        try
        {
            failure = await call() ? null : "wrong answer";
        }
        catch (Exception ex)
        {
            failure = $"{ex.GetType().Name}: {ex.Message}";
        }

        _calls++;
        _slowest = clock.Elapsed > _slowest ? clock.Elapsed : _slowest;
        if (failure is null && clock.Elapsed > Slow)
        {
            failure = $"took {clock.Elapsed.TotalSeconds:F1} s";
        }

        if (failure is not null)
        {
            _failures.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {what}: {failure}");
        }
    }

    private static string? Text(JsonElement response)
        => response.TryGetProperty("result", out var result) && result.TryGetProperty("content", out var content)
            ? content[0].GetProperty("text").GetString()
            : response.GetRawText();
}
