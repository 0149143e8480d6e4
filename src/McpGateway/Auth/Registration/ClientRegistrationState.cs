using System.Threading.Channels;

namespace McpGateway.Auth.Registration;

/// <summary>
/// This replica's view of the authorization server and its client registration: what the OpenID
/// Connect handler and the token service use, what readiness reports, and the channel through which
/// they ask the coordinator to check the registration again (an <c>invalid_client</c> answer).
/// </summary>
internal sealed class ClientRegistrationState
{
    private readonly Channel<string> _rechecks = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile StoredRegistration? _registration;
    private volatile string? _authorityProblem = "The authorization server's metadata has not been read yet.";
    private volatile string? _registrationProblem = "The client is not registered yet.";

    public StoredRegistration? Registration => _registration;

    public ClientRegistration? Current => _registration?.Current;

    /// <summary>Why the authorization server is not usable, or <see langword="null"/> when its metadata was read.</summary>
    public string? AuthorityProblem => _authorityProblem;

    /// <summary>Why there is no usable client, or <see langword="null"/> when there is.</summary>
    public string? RegistrationProblem => _registrationProblem;

    public bool IsReady => _authorityProblem is null && _registrationProblem is null && _registration is not null;

    public void AuthorityAvailable() => _authorityProblem = null;

    public void AuthorityUnavailable(string problem)
    {
        _authorityProblem = problem;
        if (_registration is null)
        {
            _registrationProblem = "Waiting for the authorization server.";
        }
    }

    public void Publish(StoredRegistration registration)
    {
        _registration = registration;
        _registrationProblem = null;
    }

    public void RegistrationFailed(string problem) => _registrationProblem = problem;

    /// <summary>The token endpoint refused <paramref name="clientId"/>'s credentials: read or replace the registration.</summary>
    public void ReportInvalidClient(string clientId) => _rechecks.Writer.TryWrite(clientId);

    /// <returns>The client id reported invalid, or <see langword="null"/> when <paramref name="timeout"/> passed first.</returns>
    public async Task<string?> WaitForRecheckAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await _rechecks.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
