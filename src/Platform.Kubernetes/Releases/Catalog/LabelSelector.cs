namespace Platform.Kubernetes.Releases;

/// <summary>
/// A Kubernetes label selector: equality (<c>k=v</c>, <c>k==v</c>, <c>k!=v</c>), existence (<c>k</c>, <c>!k</c>) and
/// set terms (<c>k in (a,b)</c>, <c>k notin (a,b)</c>), all of which must match.
/// </summary>
internal sealed class LabelSelector
{
    private readonly Term[] _terms;

    private LabelSelector(Term[] terms) => _terms = terms;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Length == 0;

    /// <summary>Parses a selector; throws <see cref="ArgumentException"/> naming the bad term.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<Term>();
        foreach (string raw in SplitTerms(text))
        {
            string term = raw.Trim();
            if (term.Length == 0)
            {
                throw new ArgumentException($"label selector '{text}': empty term", nameof(text));
            }

            int inAt = IndexOfWord(term, " in ");
            int notInAt = IndexOfWord(term, " notin ");
            if (notInAt > 0 || inAt > 0)
            {
                bool notIn = notInAt > 0;
                int at = notIn ? notInAt : inAt;
                string key = term[..at].Trim();
                string rest = term[(at + (notIn ? 7 : 4))..].Trim();
                if (!rest.StartsWith('(') || !rest.EndsWith(')'))
                {
                    throw new ArgumentException($"label selector '{text}': expected '(v1,v2)' after '{(notIn ? "notin" : "in")}' in '{term}'", nameof(text));
                }

                string[] values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries);
                terms.Add(new Term(CheckKey(key, text), notIn ? Op.NotIn : Op.In, values));
            }
            else if (term.Contains("!=", StringComparison.Ordinal))
            {
                int at = term.IndexOf("!=", StringComparison.Ordinal);
                terms.Add(new Term(CheckKey(term[..at].Trim(), text), Op.NotEquals, [term[(at + 2)..].Trim()]));
            }
            else if (term.Contains('=', StringComparison.Ordinal))
            {
                int at = term.IndexOf('=', StringComparison.Ordinal);
                string value = term[(at + 1)..];
                value = value.StartsWith('=') ? value[1..] : value;
                terms.Add(new Term(CheckKey(term[..at].Trim(), text), Op.Equals, [value.Trim()]));
            }
            else if (term.StartsWith('!'))
            {
                terms.Add(new Term(CheckKey(term[1..].Trim(), text), Op.NotExists, []));
            }
            else
            {
                terms.Add(new Term(CheckKey(term, text), Op.Exists, []));
            }
        }

        return new LabelSelector([.. terms]);
    }

    /// <summary>Whether the labels (looked up through <paramref name="label"/>) satisfy every term.</summary>
    public bool Matches<TState>(TState state, Func<TState, string, string?> label)
    {
        foreach (Term term in _terms)
        {
            string? value = label(state, term.Key);
            bool ok = term.Op switch
            {
                Op.Equals => value == term.Values[0],
                Op.NotEquals => value != term.Values[0],
                Op.Exists => value is not null,
                Op.NotExists => value is null,
                Op.In => value is not null && Array.IndexOf(term.Values, value) >= 0,
                Op.NotIn => value is null || Array.IndexOf(term.Values, value) < 0,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string CheckKey(string key, string text) =>
        key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '!' or '=')
            ? throw new ArgumentException($"label selector '{text}': invalid key '{key}'", nameof(text))
            : key;

    private static int IndexOfWord(string term, string word) => term.IndexOf(word, StringComparison.Ordinal);

    private static IEnumerable<string> SplitTerms(string text)
    {
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private enum Op
    {
        Equals,
        NotEquals,
        Exists,
        NotExists,
        In,
        NotIn,
    }

    private sealed record Term(string Key, Op Op, string[] Values);
}
