using McpGateway.Auth.Registration;
using Microsoft.Extensions.Time.Testing;

namespace McpGateway.Tests.Auth.Registration;

public sealed class ClientRegistrationStateTests
{
    private static readonly StoredRegistration Registered = new(new ClientRegistration { Issuer = "https://idp", ClientId = "c1" }, null);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public void New_state_is_not_ready_and_says_why()
    {
        var state = new ClientRegistrationState();

        Assert.False(state.IsReady);
        Assert.NotNull(state.AuthorityProblem);
        Assert.NotNull(state.RegistrationProblem);
        Assert.Null(state.Current);
    }

    [Fact]
    public void Ready_once_the_authority_was_read_and_a_client_published()
    {
        var state = new ClientRegistrationState();

        state.AuthorityAvailable();
        Assert.False(state.IsReady);
        state.Publish(Registered);

        Assert.True(state.IsReady);
        Assert.Null(state.AuthorityProblem);
        Assert.Null(state.RegistrationProblem);
        Assert.Equal("c1", state.Current?.ClientId);
    }

    [Fact]
    public void Authority_outage_after_registration_keeps_the_client_but_is_not_ready()
    {
        var state = new ClientRegistrationState();
        state.AuthorityAvailable();
        state.Publish(Registered);

        state.AuthorityUnavailable("down");

        Assert.False(state.IsReady);
        Assert.Equal("down", state.AuthorityProblem);
        Assert.Null(state.RegistrationProblem);
        Assert.Equal("c1", state.Current?.ClientId);
    }

    [Fact]
    public void Failed_registration_is_reported_until_the_next_publish()
    {
        var state = new ClientRegistrationState();
        state.AuthorityAvailable();
        state.Publish(Registered);

        state.RegistrationFailed("refused");
        Assert.False(state.IsReady);
        Assert.Equal("refused", state.RegistrationProblem);

        state.Publish(Registered);
        Assert.True(state.IsReady);
    }

    [Fact]
    public async Task Invalid_client_report_wakes_the_waiting_coordinator_with_the_client_id()
    {
        var state = new ClientRegistrationState();
        var waiting = state.WaitForRecheckAsync(TimeSpan.FromMinutes(1), new FakeTimeProvider(), Cancellation);

        state.ReportInvalidClient("c1");

        Assert.Equal("c1", await waiting.WaitAsync(TimeSpan.FromSeconds(10), Cancellation));
    }

    [Fact]
    public async Task Wait_returns_null_when_the_timeout_passes_first()
    {
        var state = new ClientRegistrationState();
        var time = new FakeTimeProvider();
        var waiting = state.WaitForRecheckAsync(TimeSpan.FromMinutes(1), time, Cancellation);
        Assert.False(waiting.IsCompleted);

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(10), Cancellation));
    }

    [Fact]
    public async Task Reports_made_while_nobody_waits_are_kept_once_not_piled_up()
    {
        var state = new ClientRegistrationState();
        var time = new FakeTimeProvider();
        state.ReportInvalidClient("c1");
        state.ReportInvalidClient("c1");
        state.ReportInvalidClient("c2");

        Assert.Equal("c1", await state.WaitForRecheckAsync(TimeSpan.FromMinutes(1), time, Cancellation));
        var next = state.WaitForRecheckAsync(TimeSpan.FromMinutes(1), time, Cancellation);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await next.WaitAsync(TimeSpan.FromSeconds(10), Cancellation));
    }

    [Fact]
    public async Task Stopping_cancels_the_wait()
    {
        var state = new ClientRegistrationState();
        using var stopping = new CancellationTokenSource();
        var waiting = state.WaitForRecheckAsync(TimeSpan.FromMinutes(1), new FakeTimeProvider(), stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
