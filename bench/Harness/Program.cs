// The McpGateway benchmark harness (bench/run.sh runs it): starts Redis, the dev OpenID provider,
// the bench upstreams, a bare YARP proxy and the gateway's Release build on 127.0.0.1, measures,
// prints a Markdown table of every figure next to its baseline, and stops everything it started.
using Bench;

if (args.Length > 0 && args[0] == "idle-worker")
{
    return await IdleSockets.WorkerAsync(args);
}

var settings = BenchSettings.FromEnvironment();
var machine = await Machine.DescribeAsync(settings.Repo);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    ManagedProcess.StopAllAsync().GetAwaiter().GetResult();
    Environment.Exit(130);
};

try
{
    var results = await new BenchRun(settings, Profiler.FromEnvironment()).RunAsync();
    var markdown = Report.Render(machine, settings, results, Machine.LoadAverage());
    Console.WriteLine();
    Console.WriteLine(markdown);
    if (settings.Output is { } output)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, markdown);
        Console.WriteLine($"(written to {output}; process logs in {settings.Logs})");
    }

    return 0;
}
catch (Exception ex)
{
    Console.Error.WriteLine("The benchmark failed: " + ex);
    return 1;
}
finally
{
    await ManagedProcess.StopAllAsync();
}
