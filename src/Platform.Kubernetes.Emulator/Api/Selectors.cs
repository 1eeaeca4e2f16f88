using System.Globalization;
using System.Text;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

/// <summary>Label and field selectors with the grammar of <c>k8s.io/apimachinery</c> (labels and fields packages).</summary>
internal static class Selectors
{
    private enum Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    /// <summary>Parses a label selector (<c>=</c>, <c>==</c>, <c>!=</c>, <c>in</c>, <c>notin</c>, <c>key</c>, <c>!key</c>, <c>gt</c>/<c>lt</c>).</summary>
    public static Func<StoredObject, bool>? ParseLabels(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return null;
        }

        var requirements = new List<Requirement>();
        foreach (string part in SplitTopLevel(selector))
        {
            requirements.Add(ParseLabelRequirement(part.Trim(), selector));
        }

        return item => requirements.All(r => MatchLabel(r, item.Labels));
    }

    /// <summary>Parses a field selector (<c>=</c>, <c>==</c>, <c>!=</c>) and checks every field is supported by the type.</summary>
    public static Func<StoredObject, bool>? ParseFields(string? selector, ResourceInfo type)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return null;
        }

        var requirements = new List<Requirement>();
        foreach (string raw in SplitEscaped(selector, ','))
        {
            string term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            int index = IndexOfUnescaped(term, "!=");
            Op op = Op.NotEquals;
            int length = 2;
            if (index < 0)
            {
                index = IndexOfUnescaped(term, "==");
                op = Op.Equals;
            }

            if (index < 0)
            {
                index = IndexOfUnescaped(term, "=");
                length = 1;
            }

            if (index < 0)
            {
                throw ApiException.BadRequest($"invalid field selector: '{term}' is not a valid field selector: invalid selector: '{term}'; can't understand '{term}'");
            }

            string key = term[..index].Trim();
            string value = Unescape(term[(index + length)..].Trim());
            if (!type.SupportsField(key))
            {
                throw ApiException.BadRequest($"field label not supported: {key}");
            }

            requirements.Add(new Requirement(key, op, [value]));
        }

        return item => requirements.All(r =>
        {
            string actual = item.Fields.TryGetValue(r.Key, out string? v) ? v : "";
            return r.Op == Op.Equals ? actual == r.Values[0] : actual != r.Values[0];
        });
    }

    private static Requirement ParseLabelRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw ApiException.BadRequest($"unable to parse requirement: found '', expected: identifier (in selector '{whole}')");
        }

        if (part.StartsWith('!'))
        {
            string key = part[1..].Trim();
            ValidateKey(key, whole);
            return new Requirement(key, Op.DoesNotExist, []);
        }

        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals), (">", Op.GreaterThan), ("<", Op.LessThan) })
        {
            int index = part.IndexOf(token, StringComparison.Ordinal);
            if (index > 0)
            {
                string key = part[..index].Trim();
                string value = part[(index + token.Length)..].Trim();
                ValidateKey(key, whole);
                ValidateValue(value, whole);
                if (op is Op.GreaterThan or Op.LessThan && !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                {
                    throw ApiException.BadRequest($"unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer (in selector '{whole}')");
                }

                return new Requirement(key, op, [value]);
            }
        }

        int paren = part.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0)
        {
            string head = part[..paren].Trim();
            if (!part.EndsWith(')'))
            {
                throw ApiException.BadRequest($"unable to parse requirement: found '{part}', expected: ')' (in selector '{whole}')");
            }

            string[] words = head.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 2 || (words[1] != "in" && words[1] != "notin"))
            {
                throw ApiException.BadRequest($"unable to parse requirement: found '{head}', expected: in, notin, =, ==, !=, gt, lt (in selector '{whole}')");
            }

            ValidateKey(words[0], whole);
            string[] values = part[(paren + 1)..^1].Split(',').Select(v => v.Trim()).ToArray();
            foreach (string v in values)
            {
                ValidateValue(v, whole);
            }

            return new Requirement(words[0], words[1] == "in" ? Op.In : Op.NotIn, values);
        }

        if (part.Contains(' ', StringComparison.Ordinal))
        {
            throw ApiException.BadRequest($"unable to parse requirement: found '{part}', expected: in, notin, =, ==, !=, gt, lt (in selector '{whole}')");
        }

        ValidateKey(part, whole);
        return new Requirement(part, Op.Exists, []);
    }

    private static bool MatchLabel(Requirement r, IReadOnlyDictionary<string, string> labels)
    {
        bool has = labels.TryGetValue(r.Key, out string? value);
        return r.Op switch
        {
            Op.Exists => has,
            Op.DoesNotExist => !has,
            Op.Equals => has && value == r.Values[0],
            Op.NotEquals => !has || value != r.Values[0],
            Op.In => has && r.Values.Contains(value!),
            Op.NotIn => !has || !r.Values.Contains(value!),
            Op.GreaterThan => has && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long g) && g > long.Parse(r.Values[0], CultureInfo.InvariantCulture),
            Op.LessThan => has && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) && l < long.Parse(r.Values[0], CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    private static void ValidateKey(string key, string whole)
    {
        // A qualified name: optional DNS-subdomain prefix and '/', then a name of at most 63 characters.
        string name = key;
        int slash = key.LastIndexOf('/');
        if (slash >= 0)
        {
            string prefix = key[..slash];
            name = key[(slash + 1)..];
            if (prefix.Length == 0 || prefix.Length > 253 || !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
            {
                throw ApiException.BadRequest($"unable to parse requirement: invalid label key \"{key}\": prefix part must be a lowercase RFC 1123 subdomain (in selector '{whole}')");
            }
        }

        if (name.Length == 0 || name.Length > 63 || !char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1])
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw ApiException.BadRequest($"unable to parse requirement: invalid label key \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (in selector '{whole}')");
        }
    }

    private static void ValidateValue(string value, string whole)
    {
        if (value.Length > 63 || (value.Length > 0 && (!char.IsAsciiLetterOrDigit(value[0]) || !char.IsAsciiLetterOrDigit(value[^1])
            || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
        {
            throw ApiException.BadRequest($"unable to parse requirement: invalid label value: \"{value}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (in selector '{whole}')");
        }
    }

    /// <summary>Splits on commas that are not inside parentheses.</summary>
    private static IEnumerable<string> SplitTopLevel(string selector)
    {
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.Length; i++)
        {
            char c = selector[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }

        yield return selector[start..];
    }

    private static IEnumerable<string> SplitEscaped(string text, char separator)
    {
        var current = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (text[i] == separator)
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        yield return current.ToString();
    }

    private static int IndexOfUnescaped(string text, string token)
    {
        for (int i = 0; i <= text.Length - token.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            sb.Append(value[i]);
        }

        return sb.ToString();
    }
}
