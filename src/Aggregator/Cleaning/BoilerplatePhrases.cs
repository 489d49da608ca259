using System.Collections.Frozen;

namespace Aggregator.Cleaning;

/// <summary>
/// Every phrase the boilerplate remover looks for, in one place. Phrases are matched at the start of a
/// block, case- and accent-insensitively, so write them lower-case without accents.
/// </summary>
internal static class BoilerplatePhrases
{
    /// <summary>Update and publication stamps; a block matches only if it also carries a digit.</summary>
    public static readonly string[] Stamps =
    [
        "derniere mise a jour", "mis a jour", "mise a jour", "publie le", "publie a", "publie :",
        "last updated", "updated", "published", "posted on", "posted",
    ];

    /// <summary>Share and follow bars; the rest of the block must be made of <see cref="Filler"/> words.</summary>
    public static readonly string[] Share =
    [
        "partager", "partagez", "suivez-nous", "suivez nous", "nous suivre", "imprimer", "envoyer par e-mail",
        "share", "follow us", "tweet", "print",
    ];

    /// <summary>Ads; the rest of the block must be made of <see cref="Filler"/> words.</summary>
    public static readonly string[] Ads =
    [
        "publicite", "annonce", "contenu sponsorise", "sponsorise", "advertisement", "advertising", "sponsored",
    ];

    /// <summary>Related-link blocks: removed with the link list that follows a bare heading.</summary>
    public static readonly string[] Related =
    [
        "a lire aussi", "a lire egalement", "lire aussi", "lire egalement", "lire la suite", "voir aussi",
        "sur le meme sujet", "articles lies", "articles similaires", "dans la meme rubrique", "a voir aussi",
        "read more", "read also", "see also", "related articles", "related stories", "related", "more on this",
    ];

    /// <summary>Words that may follow a share or ad phrase without making the block real text.</summary>
    public static readonly FrozenSet<string> Filler = FrozenSet.Create(StringComparer.Ordinal,
        "sur", "on", "via", "et", "and", "ou", "or", "nous", "us", "cet", "cette", "this", "l", "article", "story",
        "le", "la", "les", "page", "facebook", "twitter", "x", "linkedin", "whatsapp", "telegram", "messenger",
        "email", "e-mail", "mail", "courriel", "imprimer", "print", "pinterest", "reddit", "instagram", "youtube",
        "tiktok", "weibo", "wechat", "google", "flipboard", "copier", "copy", "lien", "link", "partager", "share",
        "tweet", "tweeter", "suivez-nous", "suivez", "follow", "publicite", "advertisement", "ad");
}
