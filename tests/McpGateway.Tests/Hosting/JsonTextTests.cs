using System.Text;
using System.Text.Json;
using McpGateway.Hosting;

namespace McpGateway.Tests.Hosting;

public sealed class JsonTextTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("""{"a":"plain","b":[1,true,null,{"c":"d"}]}""")]
    [InlineData("""{"emoji":"\ud83d\ude00","escaped":"line\nbreak \u00e9"}""")]
    [InlineData("""{"caf\u00e9":"café 😀"}""")]
    [InlineData("\uFEFF{\"bom\":1}")]
    public void Valid_text_is_readable(string json)
        => Assert.True(JsonText.IsReadable(Encoding.UTF8.GetBytes(json), Web));

    [Theory]
    [InlineData("""{"a":"\ud800"}""")]
    [InlineData("""{"a":"\udfff"}""")]
    [InlineData("""{"a":"x\udc00y"}""")]
    [InlineData("""{"a":{"deep":["\ud800\ud800"]}}""")]
    [InlineData("""{"\ud800":1}""")]
    public void A_lone_surrogate_escape_in_a_value_or_a_member_name_is_not_readable(string json)
        => Assert.False(JsonText.IsReadable(Encoding.UTF8.GetBytes(json), Web));

    [Fact]
    public void Invalid_utf8_inside_a_string_is_not_readable()
        => Assert.False(JsonText.IsReadable([.. "{\"a\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8], Web));

    [Fact]
    public void Text_that_is_not_json_is_not_readable()
        => Assert.False(JsonText.IsReadable("{\"a\":"u8, Web));
}
