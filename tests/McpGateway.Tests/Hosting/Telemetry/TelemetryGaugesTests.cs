using System.Diagnostics.Metrics;
using McpGateway.Auth.Registration;
using McpGateway.Hosting.Telemetry;
using McpGateway.Sessions;
using McpGateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace McpGateway.Tests.Hosting.Telemetry;

public sealed class TelemetryGaugesTests : IAsyncDisposable
{
    private const string SecretDetail = "password=hunter2 at redis-internal:6379";

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();
    private readonly CapturingLogger<TelemetryGauges> _logger = new();
    private readonly CountingSessions _sessions = new();
    private readonly TelemetryGauges _gauges;

    public TelemetryGaugesTests()
        => _gauges = new TelemetryGauges(new GatewayTelemetry(_services.GetRequiredService<IMeterFactory>()), _sessions, new ClientRegistrationState(), _time, _logger);

    public async ValueTask DisposeAsync()
    {
        await _gauges.StopAsync(CancellationToken.None);
        _gauges.Dispose();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task A_redis_timeout_or_any_other_failure_while_sampling_is_logged_and_sampling_goes_on()
    {
        _sessions.Answers.Enqueue(() => throw new RedisTimeoutException(CommandFlags.None, SecretDetail, CommandStatus.Sent));
        _sessions.Answers.Enqueue(() => throw new InvalidOperationException("a bug"));
        _sessions.Answers.Enqueue(() => 7);

        await _gauges.StartAsync(TestContext.Current.CancellationToken);
        await Until(() => _sessions.Calls >= 1);
        await Until(() => _sessions.Calls >= 2, advance: true);
        await Until(() => _sessions.Calls >= 3, advance: true);
        await Until(() => _gauges.ActiveSessions == 7);

        // The sampling loop is still running: a failed ExecuteAsync would stop the host.
        Assert.False(_gauges.ExecuteTask!.IsCompleted);
        var warnings = _logger.Entries.Where(entry => entry.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(nameof(RedisTimeoutException), warnings[0].Message, StringComparison.Ordinal);
        Assert.Null(warnings[0].Exception);
        Assert.IsType<InvalidOperationException>(warnings[1].Exception);
        Assert.DoesNotContain("hunter2", _logger.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_sample_keeps_the_last_value()
    {
        _sessions.Answers.Enqueue(() => 3);
        _sessions.Answers.Enqueue(() => throw new RedisConnectionException(ConnectionFailureType.SocketFailure, CommandFlags.None, SecretDetail, null, CommandStatus.Sent));

        await _gauges.StartAsync(TestContext.Current.CancellationToken);
        await Until(() => _gauges.ActiveSessions == 3);
        await Until(() => _sessions.Calls >= 2, advance: true);
        await Until(() => _logger.Entries.Any(entry => entry.Level == LogLevel.Warning));

        Assert.Equal(3, _gauges.ActiveSessions);
        Assert.False(_gauges.ExecuteTask!.IsCompleted);
    }

    [Fact]
    public async Task Stopping_ends_the_loop_without_a_fault_or_a_log()
    {
        _sessions.Answers.Enqueue(() => 1);
        await _gauges.StartAsync(TestContext.Current.CancellationToken);
        await Until(() => _gauges.ActiveSessions == 1);

        await _gauges.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(_gauges.ExecuteTask!.IsCompletedSuccessfully);
        Assert.Empty(_logger.Entries);
    }

    /// <summary>Waits for <paramref name="condition"/>, moving the clock one sampling interval at a time when asked.</summary>
    private async Task Until(Func<bool> condition, bool advance = false)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            if (advance)
            {
                _time.Advance(TelemetryGauges.SampleInterval);
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Answers CountAsync from a queue (the last answer repeats); nothing else is used by the gauges.</summary>
    private sealed class CountingSessions : ISessionRepository
    {
        private int _calls;
        private Func<long> _last = () => 0;

        public Queue<Func<long>> Answers { get; } = new();

        public int Calls => Volatile.Read(ref _calls);

        public Task<long> CountAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            lock (Answers)
            {
                _last = Answers.TryDequeue(out var next) ? next : _last;
            }

            try
            {
                return Task.FromResult(_last());
            }
            catch (Exception ex)
            {
                return Task.FromException<long>(ex);
            }
        }

        public Task CreateAsync(string key, SessionRecord record, TimeSpan timeToLive, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<SessionRecord?> GetAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<byte[]?> GetTokensAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> UpdateTicketAsync(string key, byte[] protectedTicket, TimeSpan timeToLive, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> UpdateTokensAsync(string key, byte[] protectedTokens, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> RemoveAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> FindBySubjectAsync(string subject, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> FindBySidAsync(string sid, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
