using System.Globalization;
using Microsoft.AspNetCore.Authentication;

namespace McpGateway.Sessions;

/// <summary>
/// When the user signed in, kept in the ticket. The cookie handler moves <c>IssuedUtc</c> forward at
/// every sliding renewal, so the absolute lifetime is measured from this instead.
/// </summary>
internal static class SignInTime
{
    private const string Item = ".mcpgw.signed_in";

    public static void Mark(AuthenticationProperties properties, DateTimeOffset now)
    {
        if (!properties.Items.ContainsKey(Item))
        {
            properties.Items[Item] = now.ToString("O", CultureInfo.InvariantCulture);
        }
    }

    public static DateTimeOffset? Of(AuthenticationProperties properties)
        => properties.Items.TryGetValue(Item, out var value)
           && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedIn)
            ? signedIn
            : properties.IssuedUtc;
}
