using System.Diagnostics.Metrics;
using McpGateway.Hosting.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace McpGateway.Tests.Hosting.Telemetry;

public sealed class HotPathInstrumentsTests
{
    [Fact]
    public void A_dropped_instrument_is_left_disabled_so_the_framework_skips_recording_it_while_the_others_are_collected()
    {
        using var routing = new Meter("Microsoft.AspNetCore.Routing");
        using var http = new Meter("System.Net.Http");
        var matchAttempts = routing.CreateCounter<long>("aspnetcore.routing.match_attempts");
        var openConnections = http.CreateUpDownCounter<long>("http.client.open_connections");
        var requestDuration = http.CreateHistogram<double>("http.client.request.duration");
        var exporter = new CollectingExporter();
        using var reader = new BaseExportingMetricReader(exporter);
        using (var provider = Sdk.CreateMeterProviderBuilder()
                   .AddMeter(routing.Name, http.Name)
                   .DropHotPathInstruments()
                   .AddReader(reader)
                   .Build())
        {
            Assert.False(matchAttempts.Enabled);
            Assert.False(openConnections.Enabled);
            Assert.True(requestDuration.Enabled);

            matchAttempts.Add(1);
            requestDuration.Record(0.01);
            provider.ForceFlush();
        }

        Assert.Contains("http.client.request.duration", exporter.Names);
        Assert.DoesNotContain("aspnetcore.routing.match_attempts", exporter.Names);
    }

    [Fact]
    public void The_request_duration_series_that_carry_what_the_dropped_ones_told_are_never_dropped()
    {
        Assert.DoesNotContain("http.server.request.duration", HotPathInstruments.Dropped);
        Assert.DoesNotContain("http.client.request.duration", HotPathInstruments.Dropped);
        Assert.DoesNotContain("aspnetcore.rate_limiting.requests", HotPathInstruments.Dropped);
        Assert.Equal(HotPathInstruments.Dropped.Count, HotPathInstruments.Dropped.Distinct().Count());
    }

    private sealed class CollectingExporter : BaseExporter<Metric>
    {
        public List<string> Names { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                Names.Add(metric.Name);
            }

            return ExportResult.Success;
        }
    }
}
