using System.Diagnostics;

namespace McpGateway.IntegrationTests.Infrastructure;

/// <summary>Runs the gateway's own executable as an operator would (<c>dotnet McpGateway.dll …</c>) with configuration in environment variables.</summary>
internal static class GatewayCommand
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(GatewaySettings settings, string? command = null, Dictionary<string, string>? environmentOverrides = null)
    {
        var assembly = typeof(Program).Assembly.Location;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(assembly);
        if (command is not null)
        {
            info.ArgumentList.Add(command);
        }

        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:" + FreePort.Next();
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings.Build(new Uri("http://127.0.0.1:" + FreePort.Next())))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        foreach (var (key, value) in environmentOverrides ?? [])
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
