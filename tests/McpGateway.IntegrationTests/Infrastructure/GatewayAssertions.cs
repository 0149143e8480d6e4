using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>Small readers for the gateway's JSON answers.</summary>
internal static class GatewayAssertions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
        => await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<string?> ErrorCodeAsync(this HttpResponseMessage response)
        => (await response.JsonAsync()).GetProperty("error").GetString();

    /// <summary>Asserts the signed-in user as <c>/auth/session</c> reports it.</summary>
    public static async Task AssertSignedInAsync(this Browser browser, string user)
    {
        using var response = await browser.GetAsync("/auth/session");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/auth/session answered {(int)response.StatusCode}: {body}");
        Assert.Equal(user, JsonDocument.Parse(body).RootElement.GetProperty("sub").GetString());
    }

    /// <summary>Polls until <paramref name="condition"/> holds, for conditions reached by a background process.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:F0} s waiting until {what}.");
            }

            await Task.Delay(200);
        }
    }
}
