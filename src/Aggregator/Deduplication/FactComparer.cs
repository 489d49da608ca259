using System.Collections.Immutable;

namespace Aggregator.Deduplication;

/// <summary>Finds facts that two texts state in the same place (same two words before or after) and counts those that disagree.</summary>
/// <remarks>
/// Comparing facts by place rather than as bags means a sentence added or cut, with its own figures, is
/// neither agreement nor conflict, while « magnitude de 5.8 » against « magnitude de 4.9 » is a conflict.
/// </remarks>
internal static class FactComparer
{
    public static (int Conflicts, int Agreements) Compare(TextEvidence shorter, TextEvidence longer)
    {
        var places = longer.Places;
        int conflicts = 0, agreements = 0;
        foreach (var fact in shorter.Facts)
        {
            var before = places.GetValueOrDefault((fact.Kind, false, fact.Before));
            var after = places.GetValueOrDefault((fact.Kind, true, fact.After));
            if (before is null && after is null)
            {
                continue;
            }

            if (Matches(fact, before) || Matches(fact, after))
            {
                agreements++;
            }
            else
            {
                conflicts++;
            }
        }

        return (conflicts, agreements);
    }

    /// <summary>The values of <paramref name="facts"/> by place: kind, side (false: the words before, true: after) and the words' hash.</summary>
    public static Dictionary<(FactKind, bool, ulong), List<string>> PlacesOf(ImmutableArray<Fact> facts)
    {
        var places = new Dictionary<(FactKind, bool, ulong), List<string>>();
        foreach (var fact in facts)
        {
            AddPlace(places, (fact.Kind, false, fact.Before), fact.Value);
            AddPlace(places, (fact.Kind, true, fact.After), fact.Value);
        }

        return places;
    }

    private static void AddPlace(Dictionary<(FactKind, bool, ulong), List<string>> places, (FactKind, bool, ulong) key, string value)
    {
        if (key.Item3 == 0)
        {
            return;
        }

        if (!places.TryGetValue(key, out var values))
        {
            places[key] = values = [];
        }

        values.Add(value);
    }

    // A name one typo away (« Jiashi » / « Jaishi ») is the same name misspelt, not another place.
    private static bool Matches(Fact fact, List<string>? values) =>
        values is not null && values.Exists(v => v == fact.Value || (fact.Kind == FactKind.Name && WithinOneEdit(v, fact.Value)));

    private static bool WithinOneEdit(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        int endA = a.Length, endB = b.Length;
        while (endA > i && endB > i && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }

        // Transposed letters count as one edit too.
        return (endA - i <= 1 && endB - i <= 1) || (endA - i == 2 && endB - i == 2 && a[i] == b[i + 1] && a[i + 1] == b[i]);
    }
}
