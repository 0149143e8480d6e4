using System.Security.Cryptography;
using System.Text;
using McpGateway.Sessions;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGateway.Tests.Sessions;

public sealed class SessionIdTests
{
    [Fact]
    public void New_id_carries_256_random_bits_in_base64url()
    {
        var id = SessionId.New();

        Assert.Equal(32, WebEncoders.Base64UrlDecode(id.Value).Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", id.Value);
    }

    [Fact]
    public void New_ids_are_distinct()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => SessionId.New().Value).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(10_000, ids.Count);
    }

    [Fact]
    public void New_ids_do_not_share_a_common_prefix()
    {
        // A counter or a timestamp would show up as a prefix shared by ids made one after the other.
        var first = SessionId.New().Value;
        var second = SessionId.New().Value;

        Assert.NotEqual(first[..8], second[..8]);
    }

    [Fact]
    public void ToString_never_contains_the_secret_value()
    {
        for (var i = 0; i < 200; i++)
        {
            var id = SessionId.New();
            var text = id.ToString();

            Assert.DoesNotContain(id.Value, text, StringComparison.Ordinal);
            Assert.DoesNotContain(id.Value[..16], text, StringComparison.Ordinal);
            Assert.StartsWith("session:", text, StringComparison.Ordinal);
            Assert.DoesNotContain(id.Value, $"{id}", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToString_names_the_session_by_a_prefix_of_its_storage_key()
    {
        var id = SessionId.New();

        Assert.Equal("session:" + id.StorageKey[..12], id.ToString());
    }

    [Fact]
    public void Storage_key_is_the_lowercase_hex_sha256_of_the_value()
    {
        var id = SessionId.Parse("the-cookie-value");

        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("the-cookie-value")));
        Assert.Equal(expected, id.StorageKey);
        Assert.Matches("^[0-9a-f]{64}$", id.StorageKey);
    }

    [Fact]
    public void Storage_key_is_stable_and_differs_from_the_value()
    {
        var id = SessionId.New();

        Assert.Equal(id.StorageKey, SessionId.Parse(id.Value).StorageKey);
        Assert.NotEqual(id.Value, id.StorageKey);
        Assert.DoesNotContain(id.Value, id.StorageKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_values_have_different_storage_keys()
        => Assert.NotEqual(SessionId.Parse("a").StorageKey, SessionId.Parse("b").StorageKey);

    [Fact]
    public void Parsed_id_equals_the_original()
    {
        var id = SessionId.New();

        Assert.Equal(id, SessionId.Parse(id.Value));
    }

    [Fact]
    public void Parse_refuses_null_and_empty()
    {
        Assert.Throws<ArgumentNullException>(() => SessionId.Parse(null!));
        Assert.Throws<ArgumentException>(() => SessionId.Parse(""));
    }

    [Fact]
    public void Describe_shortens_a_storage_key_to_twelve_characters()
    {
        Assert.Equal("session:0123456789ab", SessionId.Describe("0123456789abcdef"));
        Assert.Equal("session:abc", SessionId.Describe("abc"));
    }
}
