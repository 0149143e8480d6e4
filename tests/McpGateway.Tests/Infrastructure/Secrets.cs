using System.Text;

namespace McpGateway.Tests.Infrastructure;

/// <summary>Looks for a secret in stored bytes, in the encodings a careless store would leave it in.</summary>
internal static class Secrets
{
    public static bool AppearIn(byte[] data, string secret)
    {
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        var asText = Encoding.UTF8.GetString(data);
        var asLatin1 = Encoding.Latin1.GetString(data);
        var asBase64 = Convert.ToBase64String(data);
        return data.AsSpan().IndexOf(secretBytes) >= 0
               || data.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) >= 0
               || asText.Contains(secret, StringComparison.Ordinal)
               || asBase64.Contains(secret, StringComparison.Ordinal)
               || Base64Forms(secretBytes).Any(form => asText.Contains(form, StringComparison.Ordinal) || asLatin1.Contains(form, StringComparison.Ordinal));
    }

    /// <summary>The secret's base64 (and base64url) text at each of the three byte alignments, without the edge characters that depend on neighbours.</summary>
    private static IEnumerable<string> Base64Forms(byte[] secret)
    {
        for (var shift = 0; shift < 3; shift++)
        {
            var padded = new byte[shift + secret.Length];
            secret.CopyTo(padded, shift);
            var encoded = Convert.ToBase64String(padded);
            var start = (shift * 4 + 2) / 3 + 1;
            var end = encoded.TrimEnd('=').Length - 2;
            if (end - start < 8)
            {
                continue;
            }

            var core = encoded[start..end];
            yield return core;
            yield return core.Replace('+', '-').Replace('/', '_');
        }
    }
}
