using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Charts.Schema.Internal;

/// <summary>A JSON number held exactly as a decimal when it fits, else as a double.</summary>
internal readonly struct Num
{
    public readonly decimal Dec;
    public readonly double Dbl;
    public readonly bool IsDec;

    public Num(decimal d)
    {
        Dec = d;
        Dbl = (double)d;
        IsDec = true;
    }

    public Num(double d)
    {
        Dec = 0;
        Dbl = d;
        IsDec = false;
    }

    public bool IsInteger => IsDec ? decimal.Truncate(Dec) == Dec : double.IsFinite(Dbl) && Math.Floor(Dbl) == Dbl;

    public static int Compare(in Num a, in Num b) => a.IsDec && b.IsDec ? a.Dec.CompareTo(b.Dec) : a.Dbl.CompareTo(b.Dbl);

    public static bool Equal(in Num a, in Num b) => Compare(a, b) == 0;

    public bool IsMultipleOf(in Num m)
    {
        if (IsDec && m.IsDec && m.Dec != 0)
        {
            try
            {
                return Dec % m.Dec == 0;
            }
            catch (OverflowException)
            {
                // fall through to the double arithmetic
            }
        }

        if (m.Dbl == 0)
        {
            return false;
        }

        double q = Dbl / m.Dbl;
        if (double.IsInfinity(q))
        {
            // the quotient overflows: an integer is a multiple of any m whose inverse is an integer
            double inv = 1 / m.Dbl;
            return IsInteger && Math.Floor(inv) == inv;
        }

        return Math.Abs(q - Math.Round(q)) < 1e-9 * Math.Max(1, Math.Abs(q));
    }

    public override string ToString() => IsDec ? Dec.ToString(CultureInfo.InvariantCulture) : Dbl.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Reads the number a JSON value of kind Number holds.</summary>
    public static Num From(JsonNode node)
    {
        var value = (JsonValue)node;
        if (value.TryGetValue(out JsonElement e))
        {
            return FromElement(e);
        }

        if (value.TryGetValue(out int i))
        {
            return new Num((decimal)i);
        }

        if (value.TryGetValue(out long l))
        {
            return new Num((decimal)l);
        }

        if (value.TryGetValue(out double d))
        {
            return FromDouble(d);
        }

        if (value.TryGetValue(out decimal m))
        {
            return new Num(m);
        }

        if (value.TryGetValue(out float f))
        {
            return FromDouble(f);
        }

        if (value.TryGetValue(out ulong ul))
        {
            return new Num((decimal)ul);
        }

        if (value.TryGetValue(out uint ui))
        {
            return new Num((decimal)ui);
        }

        if (value.TryGetValue(out short s))
        {
            return new Num((decimal)s);
        }

        if (value.TryGetValue(out byte b))
        {
            return new Num((decimal)b);
        }

        if (value.TryGetValue(out BigInteger big))
        {
            return decimal.TryParse(big.ToString(CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out decimal bd)
                ? new Num(bd)
                : new Num((double)big);
        }

        // any other number representation: go through its JSON text
        return Parse(value.ToJsonString());
    }

    public static Num FromElement(JsonElement e)
    {
        if (e.TryGetDecimal(out decimal dec))
        {
            if (dec != 0 || IsZeroText(e))
            {
                return new Num(dec);
            }
        }

        return new Num(e.GetDouble());
    }

    private static bool IsZeroText(JsonElement e)
    {
        // decimal parsing rounds tiny magnitudes (1e-50) to zero; only a zero literal is zero
        return e.TryGetDouble(out double d) && d == 0;
    }

    private static Num FromDouble(double d)
    {
        if (double.IsFinite(d) && Math.Abs(d) < 7.9e27)
        {
            // the shortest round-trip text of the double is what the user wrote
            if (decimal.TryParse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal m) && (m != 0 || d == 0))
            {
                return new Num(m);
            }
        }

        return new Num(d);
    }

    public static Num Parse(string text)
    {
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal m)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && (m != 0 || d == 0))
        {
            return new Num(m);
        }

        return new Num(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }
}

/// <summary>JSON equality and hashing as JSON Schema defines them (numbers by value, objects unordered).</summary>
internal static class JsonEquality
{
    public static JsonValueKind Kind(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        JsonValueKind ka = Kind(a), kb = Kind(b);
        if (ka != kb)
        {
            return false;
        }

        switch (ka)
        {
            case JsonValueKind.Null:
            case JsonValueKind.True:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Number:
                return Num.Equal(Num.From(a!), Num.From(b!));
            case JsonValueKind.String:
                return StringEquals(a!, GetString(b!));
            case JsonValueKind.Array:
                {
                    var x = (JsonArray)a!;
                    var y = (JsonArray)b!;
                    if (x.Count != y.Count)
                    {
                        return false;
                    }

                    for (int i = 0; i < x.Count; i++)
                    {
                        if (!Equal(x[i], y[i]))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JsonValueKind.Object:
                {
                    var x = (JsonObject)a!;
                    var y = (JsonObject)b!;
                    if (x.Count != y.Count)
                    {
                        return false;
                    }

                    for (int i = 0; i < x.Count; i++)
                    {
                        var kv = x.GetAt(i);
                        if (!y.TryGetPropertyValue(kv.Key, out JsonNode? other) || !Equal(kv.Value, other))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            default:
                return false;
        }
    }

    /// <summary>Reads a value of kind String, whatever CLR type backs it (string, JsonElement, char, DateTime, Guid…).</summary>
    public static string GetString(JsonNode node) =>
        ((JsonValue)node).TryGetValue(out string? s) ? s : JsonSerializer.Deserialize<string>(node.ToJsonString())!;

    /// <summary>Compares a string instance with a string, without allocating when the instance is element-backed.</summary>
    public static bool StringEquals(JsonNode instance, string value) =>
        ((JsonValue)instance).TryGetValue(out JsonElement e) ? e.ValueEquals(value) : string.Equals(GetString(instance), value, StringComparison.Ordinal);

    public static int Hash(JsonNode? node)
    {
        switch (Kind(node))
        {
            case JsonValueKind.Null:
                return 1;
            case JsonValueKind.True:
                return 2;
            case JsonValueKind.False:
                return 3;
            case JsonValueKind.Number:
                {
                    Num n = Num.From(node!);
                    return n.Dbl.GetHashCode();
                }

            case JsonValueKind.String:
                return StringComparer.Ordinal.GetHashCode(GetString(node!));
            case JsonValueKind.Array:
                {
                    var h = new HashCode();
                    foreach (JsonNode? item in (JsonArray)node!)
                    {
                        h.Add(Hash(item));
                    }

                    return h.ToHashCode();
                }

            case JsonValueKind.Object:
                {
                    int h = 17;
                    var obj = (JsonObject)node!;
                    for (int i = 0; i < obj.Count; i++)
                    {
                        var kv = obj.GetAt(i);
                        h ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(kv.Key), Hash(kv.Value));
                    }

                    return h;
                }

            default:
                return 0;
        }
    }

    /// <summary>Reads a whole tree once so that lazily materialized nodes become safe for concurrent reads.</summary>
    public static JsonNode? Freeze(JsonNode? node)
    {
        JsonNode? copy = node?.DeepClone();
        Touch(copy, 0);
        return copy;
    }

    private static void Touch(JsonNode? node, int depth)
    {
        if (depth > 1000)
        {
            return;
        }

        switch (node)
        {
            case JsonObject o:
                for (int i = 0; i < o.Count; i++)
                {
                    Touch(o.GetAt(i).Value, depth + 1);
                }

                break;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++)
                {
                    Touch(a[i], depth + 1);
                }

                break;
            case JsonValue v:
                _ = v.GetValueKind();
                break;
        }
    }

    public static bool IsContainer(JsonNode? node) => node is JsonObject or JsonArray;

    /// <summary>Formats a value for a message: strings in single quotes, anything else as compact JSON.</summary>
    public static string Display(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => "'" + GetString(v) + "'",
        _ => node.ToJsonString(),
    };
}
