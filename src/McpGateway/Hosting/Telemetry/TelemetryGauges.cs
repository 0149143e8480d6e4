using System.Diagnostics.Metrics;
using McpGateway.Auth.Registration;
using McpGateway.Sessions;

namespace McpGateway.Hosting.Telemetry;

/// <summary>
/// Gauges read at scrape time: the sessions alive across every replica (sampled every 15 s, so a
/// scrape never waits on Redis) and the state of the client registration.
/// </summary>
internal sealed class TelemetryGauges : BackgroundService
{
    internal static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(15);
    private readonly ISessionRepository _sessions;
    private readonly TimeProvider _time;
    private readonly ILogger<TelemetryGauges> _logger;
    private long _activeSessions = -1;

    public TelemetryGauges(
        GatewayTelemetry telemetry, ISessionRepository sessions, ClientRegistrationState registrations, TimeProvider time, ILogger<TelemetryGauges> logger)
    {
        _sessions = sessions;
        _time = time;
        _logger = logger;
        telemetry.Observe("mcpgw.sessions.active", "{session}", "Server-side sessions alive, across every replica.",
            () => new Measurement<long>(ActiveSessions));
        telemetry.Observe("mcpgw.dcr.ready", "1", "1 when a client is registered and the authority's metadata was read, else 0.",
            () => new Measurement<int>(registrations.IsReady ? 1 : 0, new KeyValuePair<string, object?>("registration",
                registrations.Current is null ? "none" : registrations.Current.Preconfigured ? "preconfigured" : "dynamic")));
    }

    /// <summary>The last sampled count, or -1 before the first sample succeeded.</summary>
    internal long ActiveSessions => Interlocked.Read(ref _activeSessions);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await SampleAsync(stoppingToken);
            await Task.Delay(SampleInterval, _time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// One sample. A failure keeps the last value and is logged: an exception leaving
    /// <see cref="ExecuteAsync"/> would stop the whole host (BackgroundServiceExceptionBehavior.StopHost),
    /// and a stalled Redis throws <c>RedisTimeoutException</c>, which is no <c>RedisException</c>.
    /// </summary>
    private async Task SampleAsync(CancellationToken stoppingToken)
    {
        try
        {
            Interlocked.Exchange(ref _activeSessions, await _sessions.CountAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (StoreUnavailableExceptionHandler.IsStoreOutage(ex))
        {
            // Readiness reports the outage; the exception's text (endpoints, key names) stays out of the log.
            HostingLog.GaugeStoreUnavailable(_logger, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            HostingLog.GaugeSampleFailed(_logger, ex);
        }
    }
}
