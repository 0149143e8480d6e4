using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace McpGateway.Sessions;

/// <summary>
/// The session cookie's manager: ASP.NET Core's chunking manager, with a way round parsing the whole
/// <c>Cookie</c> header into a collection (a dictionary and a string per cookie) on every request. When the
/// header is one line holding the session cookie's name exactly once, plainly (no quotes, no escapes, no
/// chunks), its value is looked up by span among the values seen lately and that string is answered; in every
/// other case, and for a value not seen yet, the chunking manager answers as it always did.
/// </summary>
internal sealed class SessionCookieManager : ICookieManager
{
    /// <summary>Beyond this many values the set starts again: a flood of new cookies only costs their parse.</summary>
    public const int MaxRemembered = 20_000;

    private readonly ChunkingCookieManager _inner = new();
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte>.AlternateLookup<ReadOnlySpan<char>> _seenBySpan;

    public SessionCookieManager() => _seenBySpan = _seen.GetAlternateLookup<ReadOnlySpan<char>>();

    public string? GetRequestCookie(HttpContext context, string key)
    {
        if (FindPlainValue(context.Request.Headers.Cookie, key) is { IsEmpty: false } span && _seenBySpan.TryGetValue(span, out var known, out _))
        {
            return known;
        }

        var value = _inner.GetRequestCookie(context, key);
        if (value is { Length: > 0 })
        {
            if (_seen.Count >= MaxRemembered)
            {
                _seen.Clear();
            }

            _seen.TryAdd(value, 0);
        }

        return value;
    }

    public void AppendResponseCookie(HttpContext context, string key, string? value, CookieOptions options)
        => _inner.AppendResponseCookie(context, key, value, options);

    public void DeleteCookie(HttpContext context, string key, CookieOptions options) => _inner.DeleteCookie(context, key, options);

    /// <summary>
    /// The value of <paramref name="name"/> in a single-line Cookie header, when it occurs exactly once (names compare
    /// without case, as the request's cookie collection does) and needs no decoding; otherwise empty.
    /// </summary>
    internal static ReadOnlySpan<char> FindPlainValue(Microsoft.Extensions.Primitives.StringValues header, string name)
    {
        if (header.Count != 1 || header[0] is not { Length: > 0 } line)
        {
            return default;
        }

        var text = line.AsSpan();
        ReadOnlySpan<char> found = default;
        var occurrences = 0;
        foreach (var range in text.Split(';'))
        {
            var pair = text[range].TrimStart(' ');
            var equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].TrimEnd(' ').Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                occurrences++;
                found = pair[..equals].TrimEnd(' ').SequenceEqual(name) ? pair[(equals + 1)..].Trim(' ') : default;
            }
        }

        return occurrences == 1 && !found.IsEmpty && found.IndexOfAny('"', '%', ',') < 0 && !found.StartsWith("chunks-", StringComparison.Ordinal)
            ? found
            : default;
    }
}
