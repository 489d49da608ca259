using System.Text.RegularExpressions;

namespace Aggregator.Cleaning;

/// <summary>Turns photo credits such as « (Xinhua/Xie Huanchi) » into the caption of the image they follow.</summary>
internal static partial class CreditCaptioner
{
    public static List<CleanNode> Caption(List<(CleanNode Block, string Text)> blocks)
    {
        var result = new List<CleanNode>(blocks.Count);
        foreach (var (block, text) in blocks)
        {
            if (block.Tag != "p" || !IsCredit(text))
            {
                result.Add(block);
                continue;
            }

            if (block.Children.Exists(c => c.Tag == "img"))
            {
                result.Add(SplitImageAndCredit(block) ?? block);
                continue;
            }

            var caption = new CleanNode("figcaption") { Children = block.Children, HasContent = true };
            var previous = result.Count > 0 ? result[^1] : null;
            if (previous is not null && previous.Tag == "p" && IsLoneImage(previous))
            {
                var image = previous.Children.First(c => c.Tag == "img");
                result[^1] = new CleanNode("figure") { Children = [image, caption], HasContent = true };
                continue;
            }

            if (previous is not null && previous.Tag == "figure" && !previous.Children.Exists(c => c.Tag == "figcaption"))
            {
                previous.Children.Add(caption);
                continue;
            }

            result.Add(new CleanNode("figure") { Children = [caption], HasContent = true });
        }

        return result;
    }

    /// <summary>« &lt;p&gt;&lt;img&gt;&lt;br&gt;(Xinhua/Li Xin)&lt;/p&gt; »: one image first, then only the credit.</summary>
    private static CleanNode? SplitImageAndCredit(CleanNode paragraph)
    {
        var children = paragraph.Children;
        if (children[0].Tag != "img" || children.FindLastIndex(c => c.Tag == "img") != 0)
        {
            return null;
        }

        var rest = children.Skip(1).SkipWhile(c => c.Tag == "br" || (c.IsText && !c.HasContent)).ToList();
        TreeNormalizer.TrimEdges(rest, false);
        var caption = new CleanNode("figcaption") { Children = rest, HasContent = true };
        return new CleanNode("figure") { Children = [children[0], caption], HasContent = true };
    }

    private static bool IsLoneImage(CleanNode paragraph)
    {
        var images = 0;
        foreach (var child in paragraph.Children)
        {
            if (child.Tag == "img")
            {
                images++;
            }
            else if (child.HasContent || !(child.IsText || child.Tag == "br"))
            {
                return false;
            }
        }

        return images == 1;
    }

    private static bool IsCredit(string text) => text.Length <= 100 && CreditPattern().IsMatch(text);

    [GeneratedRegex(@"^(?:\(\s*(?:photos?\s*:\s*)?[\p{L}][^()/]{0,50}/[^()]{1,60}\)|\(?\s*(?:photo|photos|crédit photo|crédits photo|crédit|credit|photo credit|©)\s*:?\s*[^()\n]{1,60}\)?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreditPattern();
}
