using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace McpGateway.IntegrationTests.Hostile;

/// <summary>
/// HTTP/1.1 written by hand on a TCP connection, for what HttpClient will not send: repeated headers,
/// odd header names and values, any bytes. The answer is read until the server closes the connection.
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends one request on a new connection and reads one answer (by its Content-Length or chunks; a 101 ends at its head).</summary>
    public static async Task<RawResponse> SendAsync(
        Uri server, string method, string target, IEnumerable<(string Name, string Value)> headers, byte[]? body = null, bool close = true)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\n");
        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (body is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), timeout.Token);
        if (body is not null)
        {
            try
            {
                await stream.WriteAsync(body, timeout.Token);
            }
            catch (IOException)
            {
                // The server answered and closed before it took the whole body, as HTTP allows (a 413, a refusal of the
                // request's head): what it answered is read below, as far as the connection still gives it.
            }
        }

        var received = new List<byte>();
        var buffer = new byte[16 * 1024];
        try
        {
            while (!Complete(received))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                received.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
            // A reset after the answer was written.
        }

        return RawResponse.Parse(Encoding.UTF8.GetString([.. received]));
    }

    private static bool Complete(List<byte> received)
    {
        var text = Encoding.Latin1.GetString([.. received]);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        var head = text[..split];
        if (head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) || head.StartsWith("HTTP/1.1 204", StringComparison.Ordinal)
            || head.StartsWith("HTTP/1.1 304", StringComparison.Ordinal))
        {
            return true;
        }

        var length = System.Text.RegularExpressions.Regex.Match(head, @"(?im)^content-length:\s*(\d+)");
        if (length.Success)
        {
            return text.Length - split - 4 >= int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        return head.Contains("chunked", StringComparison.OrdinalIgnoreCase) && text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }
}

internal sealed record RawResponse(int Status, string Head, string Body)
{
    public string Everything => Head + "\n\n" + Body;

    public static RawResponse Parse(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 4)..];
        var parts = head.Split(' ', 3);
        var status = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : -1;
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }

        return new RawResponse(status, head, body);
    }

    private static string Unchunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var end = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (end < 0 || !int.TryParse(body.AsSpan(position, end - position), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            position = end + 2;
            result.Append(body.AsSpan(position, Math.Min(size, body.Length - position)));
            position += size + 2;
        }

        return result.ToString();
    }
}
