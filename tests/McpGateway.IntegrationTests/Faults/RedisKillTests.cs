using System.Net;
using McpGateway.IntegrationTests.Hostile;
using McpGateway.IntegrationTests.Infrastructure;

namespace McpGateway.IntegrationTests.Faults;

[Collection(nameof(FaultCollection))]
public sealed class RedisKillTests(FaultStack stack, ITestOutputHelper output)
{
    private const int Users = 4;
    /// <summary>No call may take longer, outage or not (calls fail fast while Redis is away; the slack is for a loaded machine).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(8);
    /// <summary>Once every session answers again, calls that start this much later must all succeed (the other connections of the pool reconnect meanwhile).</summary>
    private static readonly TimeSpan RecoveryGrace = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Redis_killed_and_restarted_under_load_answers_503_json_meanwhile_and_loses_no_session_or_acknowledged_context()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = GatewayHost.Start(stack.Settings(redis));
        await gateway.WaitUntilReadyAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var users = await Task.WhenAll(Enumerable.Range(0, Users).Select(i => LoadUser.SignInAsync(gateway, $"load{i}-{suffix}")));
        try
        {
            var journal = new LoadJournal();
            using var stop = new CancellationTokenSource();
            var workers = users.SelectMany(user => new[]
            {
                user.RunHttpAsync(0, journal, stop.Token),
                user.RunHttpAsync(1, journal, stop.Token),
                user.RunSocketAsync(journal, stop.Token),
            }).Append(UpgradeLoopAsync(users, journal, stop.Token)).ToList();

            await Task.Delay(TimeSpan.FromSeconds(2));
            var acknowledgedBeforeKill = users.Sum(user => user.Acknowledged.Count);
            var killed = await ProcessKiller.KillAsync(redis);
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            var restarting = DateTime.UtcNow;
            await redis.StartAgainAsync();
            await GatewayAssertions.EventuallyAsync(async () => (await Task.WhenAll(users.Select(SessionWorksAsync))).All(ok => ok),
                TimeSpan.FromSeconds(30), "every user's session answers 200 again");
            var recovered = DateTime.UtcNow;
            await Task.Delay(RecoveryGrace + TimeSpan.FromSeconds(2));
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            var records = journal.Records.OrderBy(record => record.Start).ToList();
            var outage = records.Where(record => record.Start > killed.AddMilliseconds(250) && record.End < restarting).ToList();
            var after = records.Where(record => record.Start > recovered + RecoveryGrace).ToList();
            output.WriteLine($"{records.Count} calls: {acknowledgedBeforeKill} contexts acknowledged before the kill, {outage.Count} calls during the outage, "
                + $"{after.Count} after recovery ({(recovered - restarting).TotalSeconds:F1} s to recover); slowest call {records.Max(record => record.Duration).TotalMilliseconds:F0} ms.");
            foreach (var group in records.GroupBy(record => (record.Op, record.Status)).OrderBy(group => group.Key.Op))
            {
                output.WriteLine($"  {group.Key.Op} {group.Key.Status}: {group.Count()}");
            }

            var failures = new List<string>();
            failures.AddRange(records.Where(record => !Acceptable(record)).Select(record => "unacceptable answer: " + record));
            failures.AddRange(records.Where(record => record.Duration > Bound).Select(record => $"slower than {Bound.TotalSeconds} s: " + record));
            failures.AddRange(outage.Where(record => !IsOutageAnswer(record)).Select(record => "not an outage answer while Redis was down: " + record));
            failures.AddRange(after.Where(record => !IsSuccess(record)).Select(record => "failed after Redis was back: " + record));
            failures.AddRange(users.Where(user => user.SocketClosed is not null).Select(user => $"{user.Name}'s socket closed: {user.SocketClosed}"));
            Assert.True(failures.Count == 0, $"{failures.Count} problems:\n{string.Join('\n', failures.Take(30))}");
            Assert.True(acknowledgedBeforeKill >= 20, $"only {acknowledgedBeforeKill} contexts were stored before the kill: the load did not run");
            Assert.True(outage.Count(record => !record.IsSocketRequest && record.Op != "ws-upgrade") >= 20,
                $"only {outage.Count} calls fell in the outage: the load did not run while Redis was down");
            Assert.True(after.Count >= 10, $"only {after.Count} calls ran after the recovery: the load stopped");
            Assert.Contains(outage, record => record.IsSocketRequest);
            Assert.Contains(outage, record => record.Op == "ws-upgrade");

            // No token, cookie or client credential reached a log line, outage or not.
            GatewaySecrets.AssertNotInLogs(gateway, await GatewaySecrets.CollectAsync(gateway, [.. users.Select(user => user.Browser)]));

            // Nothing acknowledged is lost, every session and every socket goes on working.
            foreach (var user in users)
            {
                await user.Browser.AssertSignedInAsync(user.Name);
                var stored = await user.SocketStoreAsync(99_999, "after-restart", "still here");
                Assert.Equal(200, stored.Status);
                var chat = await user.CallAsync("chat", HttpMethod.Post, "/api/v2/chat", new { messages = new[] { new { role = "user", content = "back" } } });
                Assert.Equal(200, chat.Status);
                foreach (var conversation in user.Acknowledged.GroupBy(ack => ack.Conversation))
                {
                    var listed = await user.CallAsync("verify", HttpMethod.Get, $"/api/conversations/{conversation.Key}/contexts", null);
                    Assert.Equal((int)HttpStatusCode.OK, listed.Status);
                    var missing = conversation.Select(ack => ack.Id).Where(id => !listed.Body.Contains($"\"{id}\"", StringComparison.Ordinal)).ToList();
                    Assert.True(missing.Count == 0, $"{user.Name} lost {missing.Count} acknowledged contexts of {conversation.Key}: {string.Join(", ", missing)}");
                }
            }
        }
        finally
        {
            foreach (var user in users)
            {
                await user.DisposeAsync();
            }
        }
    }

    private static async Task<bool> SessionWorksAsync(LoadUser user)
        => (await user.CallAsync("probe", HttpMethod.Get, "/auth/session", null)).Status == 200;

    private static async Task UpgradeLoopAsync(LoadUser[] users, LoadJournal journal, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            journal.Add(await users[n % users.Length].UpgradeAsync());
            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static bool IsSuccess(LoadRecord record) => record.Status is 200 or 201 or 101;

    /// <summary>What Redis being away may produce: 503 JSON temporarily_unavailable with Retry-After, or a JSON-RPC error on a socket.</summary>
    private static bool IsOutageAnswer(LoadRecord record) => record.IsSocketRequest
        ? record.Status < 0 && record.Status != -1 && !GatewayInternals.Shows(record.Body)
        : record.Status == 503 && (record.Op == "ws-upgrade" || (record.ErrorCode == "temporarily_unavailable" && record.RetryAfter && !GatewayInternals.Shows(record.Body)));

    private static bool Acceptable(LoadRecord record) => IsSuccess(record) || IsOutageAnswer(record);
}
