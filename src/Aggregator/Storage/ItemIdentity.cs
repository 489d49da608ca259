using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aggregator.Parsing;

namespace Aggregator.Storage;

/// <summary>How an item is recognised inside its feed, and the stable id derived from that.</summary>
internal static class ItemIdentity
{
    /// <summary>The guid or atom:id when present; else the canonical link; else a hash of title and date.</summary>
    public static string Of(ParsedItem item)
    {
        if (!string.IsNullOrWhiteSpace(item.SourceId))
        {
            return "id:" + item.SourceId.Trim();
        }

        if (item.Link is not null)
        {
            return "link:" + LinkCanonicalizer.Canonicalize(item.Link);
        }

        var date = item.Published?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? "";
        return "hash:" + Digest(item.Title + "\n" + date);
    }

    /// <summary>The item's id in the store and in every export: the same across re-fetches and restarts.</summary>
    public static string StableId(string feedId, string identity) => Digest(feedId + "\n" + identity);

    public static string Digest(string text) => Digest([text]);

    /// <summary>The digest of the parts joined by U+001F (null as empty), without building the joined string.</summary>
    public static string Digest(params ReadOnlySpan<string?> parts)
    {
        var max = parts.Length * 3;
        foreach (var part in parts)
        {
            max += Encoding.UTF8.GetMaxByteCount(part?.Length ?? 0);
        }

        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = 0;
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    rented[length++] = 0x1F;
                }

                length += Encoding.UTF8.GetBytes(parts[i] ?? "", rented.AsSpan(length));
            }

            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(rented.AsSpan(0, length), hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
