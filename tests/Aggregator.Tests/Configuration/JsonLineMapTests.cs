using System.Text;
using Aggregator.Configuration;

namespace Aggregator.Tests.Configuration;

public sealed class JsonLineMapTests
{
    private static JsonLineMap Map(string json) => JsonLineMap.Build(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void LineOf_NestedArrayItem_IsTheLineOfItsToken()
    {
        var map = Map("{\n  // a comment\n  \"a\": [\n    1,\n    { \"b\": true }\n  ]\n}");

        Assert.Equal(3, map.LineOf("$.a"));
        Assert.Equal(4, map.LineOf("$.a[0]"));
        Assert.Equal(5, map.LineOf("$.a[1].b"));
    }

    [Fact]
    public void LineOf_CrLfLineEndings_CountsLines()
    {
        var map = Map("{\r\n\"a\": 1,\r\n\"b\": 2\r\n}");

        Assert.Equal(3, map.LineOf("$.b"));
    }

    [Fact]
    public void LineOf_MissingPath_FallsBackToNearestAncestor()
    {
        var map = Map("{\n\"a\": [\n{}\n]\n}");

        Assert.Equal(3, map.LineOf("$.a[0].missing"));
    }

    [Fact]
    public void Build_TrailingCommas_AreAccepted()
    {
        var map = Map("{ \"a\": [1, 2,], }");

        Assert.False(map.HasSyntaxError);
        Assert.Empty(map.Problems);
    }
}
