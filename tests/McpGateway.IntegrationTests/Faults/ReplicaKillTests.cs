using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpGateway.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace McpGateway.IntegrationTests.Faults;

/// <summary>
/// Two gateway replicas on one Redis behind the compose stack's load balancer (nginx with
/// deploy/compose/nginx/nginx.conf, <see cref="ComposeNginxBalancer"/>); one is its own process and is killed with
/// SIGKILL while sockets call a tool in a loop. The other is the test's in-process host (its services read the secrets
/// the logs are scanned for). The sockets of the killed replica reconnect through the balancer with their resume handle
/// and continue the same upstream MCP session on the surviving replica.
/// </summary>
[Collection(nameof(FaultCollection))]
public sealed class ReplicaKillTests(FaultStack stack, ITestOutputHelper output)
{
    private const int Users = 4;
    private const int SocketsPerUser = 5;

    [Fact]
    public async Task Sockets_of_a_killed_replica_resume_their_upstream_sessions_on_the_other_and_every_call_is_answered_or_fails_visibly_and_is_sent_again()
    {
        await using var replicas = await BalancedReplicas.StartAsync(stack, composeNginx: true);

        var browsers = new List<Browser>();
        var clients = new List<ResumingClient>();
        try
        {
            for (var user = 0; user < Users; user++)
            {
                var browser = new Browser(replicas.Balancer.BaseAddress);
                browsers.Add(browser);
                await browser.LoginAsync($"kill-{user}");
                for (var socket = 0; socket < SocketsPerUser; socket++)
                {
                    var client = new ResumingClient(clients.Count, browser);
                    await client.OpenAsync();
                    clients.Add(client);
                }
            }

            await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis.Configuration);
            var upstreamBefore = new Dictionary<int, string>();
            foreach (var client in clients)
            {
                upstreamBefore[client.Index] = await UpstreamSessionAsync(redis, replicas.Settings.KeyPrefix, client.Handle)
                                               ?? throw new InvalidOperationException($"socket {client.Index} has no binding in Redis");
            }

            using var stop = new CancellationTokenSource();
            var running = clients.Select(client => client.RunAsync(stop.Token)).ToList();
            await GatewayAssertions.EventuallyAsync(() => Task.FromResult(clients.All(client => client.Answered >= 3)),
                TimeSpan.FromSeconds(60), "every socket has answered calls");

                        var killedAt = await replicas.KillAsync();
            var clock = Stopwatch.StartNew();
            var answeredAtKill = clients.Sum(client => client.Answered);

            // Every socket that lost its connection comes back and makes calls again; the others never stopped.
            await GatewayAssertions.EventuallyAsync(
                () => Task.FromResult(clients.Any(client => client.LostAt is not null)
                                      && clients.All(client => client.LostAt is null ? client.Answered >= 10 : client.AnsweredSinceRecovery >= 5)),
                TimeSpan.FromSeconds(120), "every socket of the killed replica resumed and answered calls again");
            var recoveredAfter = clock.Elapsed;
            await stop.CancelAsync();
            await Task.WhenAll(running);

            var lost = clients.Where(client => client.LostAt is not null).ToList();
            var failures = clients.SelectMany(client => client.Failures).ToList();
            var lastRecovery = lost.Max(client => client.RecoveredAt!.Value - killedAt);
            output.WriteLine($"Sockets: {clients.Count} ({Users} users) through nginx; requests and sockets each replica served, from nginx's log: {string.Join("/", replicas.Balancer.Routed)} (killed/survivor).");
            output.WriteLine($"Sockets on the killed replica that lost their connection: {lost.Count}; reconnected: {lost.Count(client => client.Reconnects > 0)}; resumed: {lost.Count(client => client.Resumed > 0)}; new sessions instead: {clients.Sum(client => client.NewHandles.Count)}.");
            output.WriteLine($"Calls answered: {clients.Sum(client => client.Answered)} ({answeredAtKill} before the kill); in flight at the loss and answered after resuming (not sent again): {clients.Sum(client => client.Recovered)}; calls failed and sent again: {failures.Count}; never answered: {clients.Sum(client => client.GaveUp.Count)}.");
            output.WriteLine($"Time to recover (kill → the last lost socket's first answered call after resuming): {lastRecovery.TotalSeconds:F2} s; until every socket had answered again: {recoveredAfter.TotalSeconds:F1} s.");
            foreach (var failure in failures.GroupBy(text => text.Length > 90 ? text[..90] : text).OrderByDescending(group => group.Count()))
            {
                output.WriteLine($"  {failure.Count()} × {failure.Key}");
            }

            Assert.NotEmpty(lost);
            Assert.All(clients, client => Assert.Empty(client.GaveUp));
            Assert.All(clients, client => Assert.Empty(client.NewHandles));
            Assert.All(lost, client => Assert.True(client.Resumed >= 1 && client.Resumed == client.Reconnects,
                $"socket {client.Index}: {client.Reconnects} reconnects, {client.Resumed} resumed"));
            // A failure is only ever a lost connection, never a wrong answer (every failure happened to a socket of the killed replica).
            Assert.All(clients.Where(client => client.LostAt is null), client => Assert.Empty(client.Failures));
            Assert.All(failures, failure => Assert.DoesNotContain("answered", failure, StringComparison.Ordinal));

            // The same upstream session: the binding still names the one opened before the kill, and the survivor never opened another.
            foreach (var client in clients)
            {
                Assert.Equal(upstreamBefore[client.Index], await UpstreamSessionAsync(redis, replicas.Settings.KeyPrefix, client.Handle));
            }

            Assert.DoesNotContain("in place of the lost one", replicas.Survivor.Logs.Text, StringComparison.Ordinal);
            Assert.True(replicas.SurvivorLogged("resumed its MCP session") >= lost.Count, "the survivor logged each resumption");

            // Neither replica logged a secret, a resume handle or an upstream session id.
            var secrets = (await GatewaySecrets.CollectAsync(replicas.Survivor, [.. browsers])).Concat(clients.Select(client => client.Handle)).Concat(upstreamBefore.Values).ToList();
            GatewaySecrets.AssertNotInLogs(replicas.Survivor, secrets);
            GatewaySecrets.AssertNotInLogs(string.Join('\n', replicas.Doomed.Lines), $"tests/artifacts/logs/{replicas.Doomed.Name}-*.log", secrets);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            browsers.ForEach(browser => browser.Dispose());
        }
    }

    private static async Task<string?> UpstreamSessionAsync(ConnectionMultiplexer redis, string prefix, string handle)
    {
        var key = $"{prefix}mcp-session:ws-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(handle)))}";
        var value = await redis.GetDatabase().StringGetAsync(key);
        return value.HasValue ? JsonDocument.Parse((string)value!).RootElement.GetProperty("upstream_session").GetString() : null;
    }
}
