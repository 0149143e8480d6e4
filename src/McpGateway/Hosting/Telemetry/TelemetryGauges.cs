using System.Diagnostics.Metrics;
using McpGateway.Auth.Registration;
using McpGateway.Sessions;
using StackExchange.Redis;

namespace McpGateway.Hosting.Telemetry;

/// <summary>
/// Gauges read at scrape time: the sessions alive across every replica (sampled every 15 s, so a
/// scrape never waits on Redis) and the state of the client registration.
/// </summary>
internal sealed class TelemetryGauges : BackgroundService
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(15);
    private readonly ISessionRepository _sessions;
    private readonly TimeProvider _time;
    private long _activeSessions = -1;

    public TelemetryGauges(GatewayTelemetry telemetry, ISessionRepository sessions, ClientRegistrationState registrations, TimeProvider time)
    {
        _sessions = sessions;
        _time = time;
        telemetry.Observe("mcpgw.sessions.active", "{session}", "Server-side sessions alive, across every replica.",
            () => new Measurement<long>(Interlocked.Read(ref _activeSessions)));
        telemetry.Observe("mcpgw.dcr.ready", "1", "1 when a client is registered and the authority's metadata was read, else 0.",
            () => new Measurement<int>(registrations.IsReady ? 1 : 0, new KeyValuePair<string, object?>("registration",
                registrations.Current is null ? "none" : registrations.Current.Preconfigured ? "preconfigured" : "dynamic")));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Interlocked.Exchange(ref _activeSessions, await _sessions.CountAsync(stoppingToken));
            }
            catch (RedisException)
            {
                // Redis is away: keep the last value; readiness reports the outage.
            }

            await Task.Delay(SampleInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
