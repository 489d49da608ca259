namespace Aggregator.Export;

/// <summary>The home page's style sheet: inline and small, fluid from a phone to a desktop, light and dark.</summary>
internal static class HtmlPageStyle
{
    public const string Css = """
        :root{color-scheme:light dark;--fg:#1b1b1f;--muted:#5c5f66;--line:#e3e4e8;--link:#0b57a4;--bg:#fff;--chip:#eef2f8}
        @media (prefers-color-scheme:dark){:root{--fg:#e6e6ea;--muted:#a2a5ad;--line:#2f3138;--link:#8ab8ff;--bg:#121316;--chip:#1f2836}}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
        body{margin:0 auto;max-width:46rem;padding:1rem 1rem 2rem;font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:break-word}
        a{color:var(--link)}
        header{border-bottom:2px solid var(--fg);padding-bottom:.75rem;margin-bottom:.25rem}
        h1{font-size:1.6rem;line-height:1.2;margin:.25rem 0 .35rem}
        nav,.health,.meta,.also,footer{font-size:.9rem;color:var(--muted)}
        nav{margin:.3rem 0}
        nav span{margin-right:.15rem}
        .health{margin:0 0 .4rem}
        .health::before{content:"";display:inline-block;width:.55rem;height:.55rem;border-radius:50%;background:#2e9d5b;margin-right:.4rem;vertical-align:.05rem}
        .health.failing::before{background:#d98a00}
        .categories a,.category{display:inline-block;padding:0 .45rem;border-radius:.6rem;background:var(--chip);text-decoration:none;margin:.1rem 0}
        article{padding:.9rem 0;border-bottom:1px solid var(--line)}
        article h2{font-size:1.15rem;line-height:1.3;margin:0 0 .3rem}
        article h2 a{color:var(--fg);text-decoration:none}
        article h2 a:hover,article h2 a:focus{text-decoration:underline;color:var(--link)}
        .meta{margin:0 0 .35rem}
        .outlet{font-weight:600;color:var(--fg)}
        time{white-space:nowrap}
        .summary{margin:0 0 .35rem;font-size:1rem}
        .also{margin:0}
        footer h2{font-size:1rem;margin:1.5rem 0 .4rem;color:var(--fg)}
        footer ul{padding-left:1.1rem;margin:0}
        """;
}
