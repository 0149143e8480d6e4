using McpGateway.Auth.Registration;
using Microsoft.Extensions.Options;

namespace McpGateway.Hosting;

/// <summary>
/// Runs the gateway, or its one maintenance command (<c>unregister</c>). A configuration error ends
/// the process with exit code 2 and one line per bad key, not a stack trace.
/// </summary>
internal static class GatewayCommandLine
{
    public const string UnregisterCommand = "unregister";

    public static async Task<int> RunGatewayAsync(this WebApplication app, string[] args)
    {
        try
        {
            // Validate before the host starts, so a bad key is reported as one line, not a failed start-up with a stack trace.
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            if (args.Contains(UnregisterCommand, StringComparer.Ordinal))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                return await app.Services.GetRequiredService<ClientUnregistration>().RunAsync(Console.Out, timeout.Token);
            }

            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ValidationFailures(ex) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
            {
                await Console.Error.WriteLineAsync("Configuration error: " + failure);
            }

            return 2;
        }
        catch (ClientRegistrationException ex)
        {
            await Console.Error.WriteLineAsync("Unregistration failed: " + ex.Message);
            return 1;
        }
    }

    private static List<string> ValidationFailures(Exception exception) => exception switch
    {
        OptionsValidationException validation => [.. validation.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(ValidationFailures)],
        _ => [],
    };
}
