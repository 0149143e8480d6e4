using McpGateway.Auth.Registration;

namespace McpGateway.Tests.Auth.Registration;

public sealed class StoredRegistrationTests
{
    private static readonly ClientRegistration Current = new() { Issuer = "https://idp", ClientId = "new" };
    private static readonly ClientRegistration Previous = new() { Issuer = "https://idp", ClientId = "old" };

    [Fact]
    public void Finds_the_current_client_by_id()
        => Assert.Same(Current, new StoredRegistration(Current, Previous).Find("new"));

    [Fact]
    public void Finds_the_previous_client_by_id_so_older_sessions_can_still_refresh()
        => Assert.Same(Previous, new StoredRegistration(Current, Previous).Find("old"));

    [Theory]
    [InlineData("other")]
    [InlineData("")]
    [InlineData("NEW")]
    public void Unknown_client_is_not_found(string clientId)
        => Assert.Null(new StoredRegistration(Current, Previous).Find(clientId));

    [Fact]
    public void Without_previous_only_the_current_client_is_found()
    {
        var stored = new StoredRegistration(Current, null);

        Assert.Same(Current, stored.Find("new"));
        Assert.Null(stored.Find("old"));
    }
}
