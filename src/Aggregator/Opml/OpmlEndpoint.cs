using Aggregator.Configuration;
using Aggregator.Storage;

namespace Aggregator.Opml;

/// <summary>GET /feeds.opml: the enabled sources as a subscription list, for readers that want them one by one.</summary>
internal static class OpmlEndpoint
{
    public const string ContentType = "text/x-opml; charset=utf-8";

    public static void MapOpml(this IEndpointRouteBuilder app) =>
        app.MapMethods("/feeds.opml", [HttpMethods.Get, HttpMethods.Head], (ActiveConfig config, ItemStore store) =>
        {
            var current = config.Current;
            var sites = store.AllStates().ToDictionary(s => s.Id, s => s.SourceLink);
            var body = OpmlWriter.Write(current.Output.Title, current.EnabledFeeds, id => sites.GetValueOrDefault(id));
            return Results.Bytes(body, ContentType);
        });
}
