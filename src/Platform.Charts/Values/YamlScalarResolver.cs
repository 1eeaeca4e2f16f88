using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Charts.Values;

/// <summary>
/// Resolves plain YAML scalars the way Helm's YAML library does (YAML 1.1 rules of go-yaml v2, as used by
/// sigs.k8s.io/yaml): <c>yes/no/on/off/y/n</c> are booleans, <c>~</c>/<c>null</c>/empty are null, integers may
/// carry <c>0x</c>/<c>0o</c>/<c>0b</c>/leading-<c>0</c> octal prefixes and <c>_</c> separators, timestamps and
/// <c>1:30</c> stay strings, and <c>.inf</c>/<c>.nan</c> are floats that JSON (and so Helm) rejects.
/// </summary>
/// <remarks>
/// One deliberate difference: Helm turns every number into a float64 on its way through JSON, which rounds
/// integers above 2^53. Integers are kept exact here.
/// </remarks>
internal static class YamlScalarResolver
{
    internal enum Kind
    {
        String,
        Null,
        Bool,
        Integer,
        Float,
        NonFinite,
    }

    private static readonly Dictionary<string, bool> Booleans = new(StringComparer.Ordinal)
    {
        ["y"] = true, ["Y"] = true, ["yes"] = true, ["Yes"] = true, ["YES"] = true,
        ["true"] = true, ["True"] = true, ["TRUE"] = true,
        ["on"] = true, ["On"] = true, ["ON"] = true,
        ["n"] = false, ["N"] = false, ["no"] = false, ["No"] = false, ["NO"] = false,
        ["false"] = false, ["False"] = false, ["FALSE"] = false,
        ["off"] = false, ["Off"] = false, ["OFF"] = false,
    };

    private static readonly HashSet<string> Nulls = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    private static readonly HashSet<string> NonFinites = new(StringComparer.Ordinal)
    {
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    };

    /// <summary>Classifies a plain scalar without building a node.</summary>
    public static Kind Classify(string text) => Resolve(text, out _);

    /// <summary>Resolves a plain scalar to a JSON node (<see langword="null"/> for YAML null).</summary>
    /// <exception cref="FormatException">The scalar is <c>.inf</c> or <c>.nan</c>, which JSON cannot hold.</exception>
    public static JsonNode? ToNode(string text)
    {
        switch (Resolve(text, out object? value))
        {
            case Kind.Null:
                return null;
            case Kind.Bool:
                return JsonValue.Create((bool)value!);
            case Kind.Integer:
                return value switch
                {
                    long l => Number(l.ToString(CultureInfo.InvariantCulture)),
                    ulong u => Number(u.ToString(CultureInfo.InvariantCulture)),
                    BigInteger b => Number(b.ToString(CultureInfo.InvariantCulture)),
                    _ => throw new InvalidOperationException(),
                };
            case Kind.Float:
                return JsonValue.Create(JsonSerializer.SerializeToElement((double)value!))!;
            case Kind.NonFinite:
                throw new FormatException($"'{text}' is a non-finite float (infinity or NaN), which JSON and Helm cannot represent; quote it to keep it as a string");
            default:
                return JsonValue.Create(text);
        }
    }

    /// <summary>
    /// Creates a number node backed by its JSON text, so that callers can read it as any numeric type
    /// (<c>(int)node</c>, <c>(long)node</c>, <c>(decimal)node</c>) and its digits stay exact.
    /// </summary>
    internal static JsonValue Number(string jsonNumberText)
    {
        // Elements are immutable, so small canonical integers ("7", never "07") (ports, replicas, counts) share one cached element each.
        if (jsonNumberText.Length <= 3 && int.TryParse(jsonNumberText, NumberStyles.None, CultureInfo.InvariantCulture, out int small)
            && small < SmallIntegers.Length && (jsonNumberText[0] != '0' || jsonNumberText.Length == 1))
        {
            StrongBox<JsonElement>? cached = SmallIntegers[small];
            if (cached is null)
            {
                cached = new StrongBox<JsonElement>(JsonElement.Parse(jsonNumberText));
                SmallIntegers[small] = cached;
            }

            return JsonValue.Create(cached.Value)!;
        }

        // One non-pooled document per number (JsonDocument.Parse followed by Clone built two).
        return JsonValue.Create(JsonElement.Parse(jsonNumberText))!;
    }

    private static readonly StrongBox<JsonElement>?[] SmallIntegers = new StrongBox<JsonElement>?[1000];

    private static Kind Resolve(string text, out object? value)
    {
        value = null;
        if (Nulls.Contains(text))
        {
            return Kind.Null;
        }

        char first = text[0];
        if (first is 'y' or 'Y' or 'n' or 'N' or 't' or 'T' or 'f' or 'F' or 'o' or 'O')
        {
            if (Booleans.TryGetValue(text, out bool b))
            {
                value = b;
                return Kind.Bool;
            }

            return Kind.String;
        }

        if (first == '.')
        {
            if (NonFinites.Contains(text))
            {
                return Kind.NonFinite;
            }

            // go's ParseFloat on ".5", ".5e3"; it would also take hex floats, which no real file carries.
            if (IsYamlFloat(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            {
                value = d;
                return Kind.Float;
            }

            return Kind.String;
        }

        if (first is '+' or '-' || char.IsAsciiDigit(first))
        {
            if (NonFinites.Contains(text))
            {
                return Kind.NonFinite;
            }

            if (LooksLikeTimestamp(text))
            {
                // go-yaml v2 resolves these as timestamps but hands them to interface{} targets as strings.
                return Kind.String;
            }

            string plain = text.Contains('_', StringComparison.Ordinal) ? text.Replace("_", string.Empty, StringComparison.Ordinal) : text;
            if (TryParseGoInteger(plain, out object? integer))
            {
                value = integer;
                return Kind.Integer;
            }

            if (IsYamlFloat(plain))
            {
                if (IsIntegerDigits(plain, out bool negative))
                {
                    // An integer too large for 64 bits: go-yaml falls back to float64 (rounding it); we keep it exact.
                    var big = BigInteger.Parse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    _ = negative;
                    value = big;
                    return Kind.Integer;
                }

                if (double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d))
                {
                    value = d;
                    return Kind.Float;
                }
            }

            return Kind.String;
        }

        return Kind.String;
    }

    /// <summary>go-yaml v2's float pattern: <c>^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$</c>.</summary>
    private static bool IsYamlFloat(string s)
    {
        int i = 0;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            i++;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }
        else
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }

            if (i < s.Length && s[i] == '.')
            {
                i++;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }
            }
        }

        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            {
                i++;
            }

            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        return i == s.Length;
    }

    private static bool IsIntegerDigits(string s, out bool negative)
    {
        negative = s.Length > 0 && s[0] == '-';
        int i = s.Length > 0 && (s[0] == '+' || s[0] == '-') ? 1 : 0;
        if (i >= s.Length || (s[i] == '0' && s.Length - i > 1))
        {
            return false;
        }

        for (; i < s.Length; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Parses like go's <c>strconv.ParseInt(s, 0, 64)</c>, then <c>ParseUint</c>, then go-yaml's own
    /// <c>0b</c>/<c>-0b</c> handling: sign, then <c>0x</c>/<c>0o</c>/<c>0b</c> prefix or a leading <c>0</c> for octal.
    /// </summary>
    internal static bool TryParseGoInteger(string s, out object? value)
    {
        value = null;
        if (s.Length == 0)
        {
            return false;
        }

        int i = 0;
        bool negative = false;
        if (s[0] == '+' || s[0] == '-')
        {
            negative = s[0] == '-';
            i = 1;
        }

        if (i >= s.Length)
        {
            return false;
        }

        int radix = 10;
        if (s[i] == '0' && i + 1 < s.Length)
        {
            char p = s[i + 1];
            if (p is 'x' or 'X')
            {
                radix = 16;
                i += 2;
            }
            else if (p is 'o' or 'O')
            {
                radix = 8;
                i += 2;
            }
            else if (p is 'b' or 'B')
            {
                radix = 2;
                i += 2;
            }
            else
            {
                radix = 8;
                i += 1;
            }
        }

        if (i >= s.Length)
        {
            return false;
        }

        UInt128 acc = 0;
        for (; i < s.Length; i++)
        {
            int digit = s[i] switch
            {
                >= '0' and <= '9' => s[i] - '0',
                >= 'a' and <= 'f' => s[i] - 'a' + 10,
                >= 'A' and <= 'F' => s[i] - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return false;
            }

            acc = (acc * (uint)radix) + (uint)digit;
            if (acc > ulong.MaxValue)
            {
                return false;
            }
        }

        if (negative)
        {
            if (acc > (UInt128)long.MaxValue + 1)
            {
                return false;
            }

            value = acc == (UInt128)long.MaxValue + 1 ? long.MinValue : -(long)acc;
            return true;
        }

        value = acc <= long.MaxValue ? (long)acc : (ulong)acc;
        return true;
    }

    /// <summary>The shapes go-yaml v2 treats as timestamps: <c>YYYY-M-D</c> optionally followed by a time.</summary>
    internal static bool LooksLikeTimestamp(string s)
    {
        if (s.Length < 8 || !char.IsAsciiDigit(s[0]) || !char.IsAsciiDigit(s[1]) || !char.IsAsciiDigit(s[2]) || !char.IsAsciiDigit(s[3]) || s[4] != '-')
        {
            return false;
        }

        string[] formats =
        [
            "yyyy-M-d'T'H:m:s.FFFFFFFK", "yyyy-M-d't'H:m:s.FFFFFFFK", "yyyy-M-d H:m:s.FFFFFFF", "yyyy-M-d",
            "yyyy-M-d'T'H:m:sK", "yyyy-M-d H:m:sK", "yyyy-M-d H:m:s.FFFFFFFK",
        ];
        return DateTime.TryParseExact(s, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out _);
    }
}
