using System.Net;

namespace McpGateway.Mcp.Upstream;

/// <summary>
/// The outermost handler of an upstream session's <see cref="HttpClient"/>. Once <see cref="Detach"/>ed, the DELETE the
/// SDK sends when its transport is disposed is answered here (204) instead of ending the server's session: a browser
/// whose socket was lost resumes that session, perhaps on another replica.
/// </summary>
internal sealed class SessionDetachHandler : DelegatingHandler
{
    private int _detached;

    public void Detach() => Interlocked.Exchange(ref _detached, 1);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => request.Method == HttpMethod.Delete && Volatile.Read(ref _detached) == 1
            ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request })
            : base.SendAsync(request, cancellationToken);
}
