using Aggregator.Configuration;
using Aggregator.Opml;

namespace Aggregator.Tests.Opml;

public sealed class FeedsFileEditorTests
{
    private static readonly NewFeedEntry Entry = new("le-temps", "Le Temps", new Uri("https://www.letemps.ch/rss"), "monde");

    private const string EntryLine = """{ "id": "le-temps", "name": "Le Temps", "url": "https://www.letemps.ch/rss", "category": "monde" }""";

    [Fact]
    public void Append_EmptyArray_IndentsOneLevelInside()
    {
        var result = FeedsFileEditor.Append("{\n  \"feeds\": []\n}\n", [Entry]);

        Assert.Equal("{\n  \"feeds\": [\n    " + EntryLine + "\n  ]\n}\n", result);
        Assert.True(ConfigLoader.Parse(result!).IsValid);
    }

    [Fact]
    public void Append_AfterTrailingComma_KeepsTheCommaStyle()
    {
        var json = "{\n  \"feeds\": [\n    { \"id\": \"rfi\", \"url\": \"https://www.rfi.fr/fr/rss\" },\n  ]\n}\n";

        var result = FeedsFileEditor.Append(json, [Entry]);

        Assert.Equal("{\n  \"feeds\": [\n    { \"id\": \"rfi\", \"url\": \"https://www.rfi.fr/fr/rss\" },\n    " + EntryLine + ",\n  ]\n}\n", result);
    }

    [Fact]
    public void Append_CrLfFile_WritesCrLf()
    {
        var json = "{\r\n  \"feeds\": [\r\n    { \"id\": \"rfi\", \"url\": \"https://www.rfi.fr/fr/rss\" }\r\n  ]\r\n}\r\n";

        var result = FeedsFileEditor.Append(json, [Entry]);

        Assert.Equal("{\r\n  \"feeds\": [\r\n    { \"id\": \"rfi\", \"url\": \"https://www.rfi.fr/fr/rss\" },\r\n    " + EntryLine + "\r\n  ]\r\n}\r\n", result);
    }

    [Fact]
    public void Append_FrenchText_StaysReadable()
    {
        var entry = new NewFeedEntry("oeuvres", "Œuvres & « Économie »", new Uri("https://example.org/rss"), null);

        var result = FeedsFileEditor.Append("{ \"feeds\": [] }", [entry]);

        Assert.Contains("\"name\": \"Œuvres & « Économie »\"", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_NoFeedsArray_ReturnsNull()
    {
        Assert.Null(FeedsFileEditor.Append("{ \"output\": {} }", [Entry]));
    }
}
