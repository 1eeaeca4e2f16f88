using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Platform.Charts.Schema.Internal;

/// <summary>One compiled keyword (or a group of keywords that read the same instance facts).</summary>
internal abstract class Keyword
{
    protected Keyword(string location)
    {
        Location = location;
    }

    /// <summary>The schema location of the keyword's parent schema object (keyword names are appended for errors).</summary>
    public string Location { get; }

    public abstract bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann);

    protected string At(string keyword) => Location + "/" + keyword;

    protected static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => "'" + n + "'"));
}

[Flags]
internal enum TypeSet
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    String = 32,
    Integer = 64,
}

internal sealed class TypeKeyword(string location, TypeSet types, string display) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        TypeSet actual = kind switch
        {
            JsonValueKind.Null => TypeSet.Null,
            JsonValueKind.True or JsonValueKind.False => TypeSet.Boolean,
            JsonValueKind.Object => TypeSet.Object,
            JsonValueKind.Array => TypeSet.Array,
            JsonValueKind.String => TypeSet.String,
            JsonValueKind.Number => TypeSet.Number,
            _ => TypeSet.None,
        };
        if ((types & actual) != 0)
        {
            return true;
        }

        if (actual == TypeSet.Number && (types & TypeSet.Integer) != 0 && Num.From(instance!).IsInteger)
        {
            return true;
        }

        string got = actual switch
        {
            TypeSet.Null => "null",
            TypeSet.Boolean => "boolean",
            TypeSet.Object => "object",
            TypeSet.Array => "array",
            TypeSet.String => "string",
            _ => "number",
        };
        return ev.Fail("type", At("type"), $"got {got}, want {display}");
    }
}

internal sealed class ConstKeyword(string location, JsonNode? value) : Keyword(location)
{
    private readonly string? text = JsonEquality.Kind(value) == JsonValueKind.String ? JsonEquality.GetString(value!) : null;

    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        bool equal = text is not null
            ? kind == JsonValueKind.String && JsonEquality.StringEquals(instance!, text)
            : JsonEquality.Equal(instance, value);
        return equal || ev.Fail("const", At("const"), JsonEquality.IsContainer(value) ? "'const' failed" : "value must be " + JsonEquality.Display(value));
    }
}

internal sealed class EnumKeyword : Keyword
{
    private readonly JsonNode?[] values;
    private readonly string[] strings;
    private readonly JsonNode?[] others;

    public EnumKeyword(string location, JsonNode?[] values)
        : base(location)
    {
        this.values = values;
        strings = values.Where(v => JsonEquality.Kind(v) == JsonValueKind.String).Select(v => JsonEquality.GetString(v!)).ToArray();
        others = values.Where(v => JsonEquality.Kind(v) != JsonValueKind.String).ToArray();
    }

    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        if (kind == JsonValueKind.String)
        {
            // compare without materializing the instance string when it is backed by a JsonElement
            foreach (string s in strings)
            {
                if (JsonEquality.StringEquals(instance!, s))
                {
                    return true;
                }
            }
        }
        else
        {
            foreach (JsonNode? v in others)
            {
                if (JsonEquality.Equal(instance, v))
                {
                    return true;
                }
            }
        }

        string message = values.Any(JsonEquality.IsContainer) ? "'enum' failed"
            : values.Length == 1 ? "value must be " + JsonEquality.Display(values[0])
            : "value must be one of " + string.Join(", ", values.Select(JsonEquality.Display));
        return ev.Fail("enum", At("enum"), message);
    }
}

internal sealed class NumberKeyword : Keyword
{
    public NumberKeyword(string location)
        : base(location)
    {
    }

    public Num? Minimum { get; set; }

    public Num? Maximum { get; set; }

    public Num? ExclusiveMinimum { get; set; }

    public Num? ExclusiveMaximum { get; set; }

    public Num? MultipleOf { get; set; }

    public bool IsEmpty => Minimum is null && Maximum is null && ExclusiveMinimum is null && ExclusiveMaximum is null && MultipleOf is null;

    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        if (kind != JsonValueKind.Number)
        {
            return true;
        }

        Num n = Num.From(instance!);
        bool ok = true;
        if (Minimum is { } min && Num.Compare(n, min) < 0)
        {
            ok = ev.Fail("minimum", At("minimum"), $"minimum: got {n}, want {min}");
            if (ev.Errors is null)
            {
                return false;
            }
        }

        if (Maximum is { } max && Num.Compare(n, max) > 0)
        {
            ok = ev.Fail("maximum", At("maximum"), $"maximum: got {n}, want {max}");
            if (ev.Errors is null)
            {
                return false;
            }
        }

        if (ExclusiveMinimum is { } emin && Num.Compare(n, emin) <= 0)
        {
            ok = ev.Fail("exclusiveMinimum", At("exclusiveMinimum"), $"exclusiveMinimum: got {n}, want {emin}");
            if (ev.Errors is null)
            {
                return false;
            }
        }

        if (ExclusiveMaximum is { } emax && Num.Compare(n, emax) >= 0)
        {
            ok = ev.Fail("exclusiveMaximum", At("exclusiveMaximum"), $"exclusiveMaximum: got {n}, want {emax}");
            if (ev.Errors is null)
            {
                return false;
            }
        }

        if (MultipleOf is { } m && !n.IsMultipleOf(m))
        {
            ok = ev.Fail("multipleOf", At("multipleOf"), $"multipleOf: got {n}, want {m}");
        }

        return ok;
    }
}

internal sealed class StringKeyword : Keyword
{
    public StringKeyword(string location)
        : base(location)
    {
    }

    public int? MinLength { get; set; }

    public int? MaxLength { get; set; }

    public Regex? Pattern { get; set; }

    public string? PatternSource { get; set; }

    public Func<string, bool>? FormatCheck { get; set; }

    public string? FormatName { get; set; }

    public bool IsEmpty => MinLength is null && MaxLength is null && Pattern is null && FormatCheck is null;

    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        if (kind != JsonValueKind.String)
        {
            return true;
        }

        string s = JsonEquality.GetString(instance!);
        bool ok = true;
        if (MinLength is not null || MaxLength is not null)
        {
            int length = CodePoints(s);
            if (MinLength is int min && length < min)
            {
                ok = ev.Fail("minLength", At("minLength"), $"minLength: got {length}, want {min}");
                if (ev.Errors is null)
                {
                    return false;
                }
            }

            if (MaxLength is int max && length > max)
            {
                ok = ev.Fail("maxLength", At("maxLength"), $"maxLength: got {length}, want {max}");
                if (ev.Errors is null)
                {
                    return false;
                }
            }
        }

        if (Pattern is not null)
        {
            bool matched;
            try
            {
                matched = Pattern.IsMatch(s);
            }
            catch (RegexMatchTimeoutException)
            {
                ok = ev.Fail("pattern", At("pattern"), $"matching pattern '{PatternSource}' timed out after {Pattern.MatchTimeout.TotalMilliseconds} ms");
                matched = true;
                if (ev.Errors is null)
                {
                    return false;
                }
            }

            if (!matched)
            {
                ok = ev.Fail("pattern", At("pattern"), $"'{s}' does not match pattern '{PatternSource}'");
                if (ev.Errors is null)
                {
                    return false;
                }
            }
        }

        if (FormatCheck is not null && !FormatCheck(s))
        {
            ok = ev.Fail("format", At("format"), $"'{s}' is not valid {FormatName}");
        }

        return ok;
    }

    private static int CodePoints(string s)
    {
        int n = s.Length;
        for (int i = 0; i < s.Length - 1; i++)
        {
            if (char.IsHighSurrogate(s[i]) && char.IsLowSurrogate(s[i + 1]))
            {
                n--;
                i++;
            }
        }

        return n;
    }
}

internal sealed class ObjectKeyword : Keyword
{
    public ObjectKeyword(string location)
        : base(location)
    {
    }

    public Dictionary<string, SchemaNode>? Properties { get; set; }

    public KeyValuePair<string, SchemaNode>[]? PropertyList { get; set; }

    public (Regex Regex, string Source, SchemaNode Schema)[]? Patterns { get; set; }

    public SchemaNode? Additional { get; set; }

    public string[]? Required { get; set; }

    public int? MinProperties { get; set; }

    public int? MaxProperties { get; set; }

    public SchemaNode? PropertyNames { get; set; }

    public (string Name, string[] Required, string Keyword)[]? DependentRequired { get; set; }

    public bool IsEmpty => Properties is null && Patterns is null && Additional is null && Required is null && MinProperties is null
        && MaxProperties is null && PropertyNames is null && DependentRequired is null;

    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        if (kind != JsonValueKind.Object)
        {
            return true;
        }

        var obj = (JsonObject)instance!;
        bool ok = true;
        if (Required is not null)
        {
            List<string>? missing = null;
            foreach (string name in Required)
            {
                if (!obj.ContainsKey(name))
                {
                    if (ev.Errors is null)
                    {
                        return false;
                    }

                    (missing ??= []).Add(name);
                }
            }

            if (missing is not null)
            {
                ok = ev.Fail("required", At("required"), missing.Count == 1 ? $"missing property '{missing[0]}'" : "missing properties " + Quote(missing));
            }
        }

        if (Properties is not null || Patterns is not null || Additional is not null)
        {
            if (Patterns is null && Additional is null && ann is null && PropertyList!.Length <= obj.Count)
            {
                foreach (var p in PropertyList)
                {
                    if (obj.TryGetPropertyValue(p.Key, out JsonNode? value))
                    {
                        ev.Push(p.Key);
                        bool valid = p.Value.Evaluate(value, ev, null);
                        ev.Pop();
                        if (!valid)
                        {
                            ok = false;
                            if (ev.Errors is null)
                            {
                                return false;
                            }
                        }
                    }
                }
            }
            else if (!EvaluateEach(obj, ev, ann))
            {
                ok = false;
                if (ev.Errors is null)
                {
                    return false;
                }
            }
        }

        if (MinProperties is int minP && obj.Count < minP)
        {
            ok = ev.Fail("minProperties", At("minProperties"), $"minProperties: got {obj.Count}, want {minP}");
            if (ev.Errors is null)
            {
                return false;
            }
        }

        if (MaxProperties is int maxP && obj.Count > maxP)
        {
            ok = ev.Fail("maxProperties", At("maxProperties"), $"maxProperties: got {obj.Count}, want {maxP}");
            if (ev.Errors is null)
            {
                return false;
            }
        }

        if (DependentRequired is not null)
        {
            foreach (var (name, required, keyword) in DependentRequired)
            {
                if (!obj.ContainsKey(name))
                {
                    continue;
                }

                List<string>? missing = null;
                foreach (string r in required)
                {
                    if (!obj.ContainsKey(r))
                    {
                        (missing ??= []).Add(r);
                    }
                }

                if (missing is not null)
                {
                    ok = ev.Fail(keyword, At(keyword + "/" + SchemaUri.EscapeToken(name)), $"properties {Quote(missing)} required, if '{name}' exists");
                    if (ev.Errors is null)
                    {
                        return false;
                    }
                }
            }
        }

        if (PropertyNames is not null)
        {
            for (int i = 0; i < obj.Count; i++)
            {
                string key = obj.GetAt(i).Key;
                JsonNode keyNode = JsonValue.Create(key);
                if (!PropertyNames.Test(keyNode, ev, null))
                {
                    ok = ev.Fail("propertyNames", At("propertyNames"), $"invalid propertyName '{key}'", ev.Errors is null ? null : PropertyNames.Explain(keyNode, ev));
                    if (ev.Errors is null)
                    {
                        return false;
                    }
                }
            }
        }

        return ok;
    }

    private bool EvaluateEach(JsonObject obj, Evaluator ev, Annot? ann)
    {
        bool ok = true;
        List<string>? notAllowed = null;
        for (int i = 0; i < obj.Count; i++)
        {
            var kv = obj.GetAt(i);
            bool matched = false;
            if (Properties is not null && Properties.TryGetValue(kv.Key, out SchemaNode? schema))
            {
                matched = true;
                ann?.MarkProp(kv.Key);
                ev.Push(kv.Key);
                bool valid = schema.Evaluate(kv.Value, ev, null);
                ev.Pop();
                if (!valid)
                {
                    ok = false;
                    if (ev.Errors is null)
                    {
                        return false;
                    }
                }
            }

            if (Patterns is not null)
            {
                foreach (var (regex, source, patternSchema) in Patterns)
                {
                    bool isMatch;
                    try
                    {
                        isMatch = regex.IsMatch(kv.Key);
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        ok = ev.Fail("patternProperties", At("patternProperties"), $"matching pattern '{source}' timed out after {regex.MatchTimeout.TotalMilliseconds} ms");
                        if (ev.Errors is null)
                        {
                            return false;
                        }

                        continue;
                    }

                    if (!isMatch)
                    {
                        continue;
                    }

                    matched = true;
                    ann?.MarkProp(kv.Key);
                    ev.Push(kv.Key);
                    bool valid = patternSchema.Evaluate(kv.Value, ev, null);
                    ev.Pop();
                    if (!valid)
                    {
                        ok = false;
                        if (ev.Errors is null)
                        {
                            return false;
                        }
                    }
                }
            }

            if (!matched && Additional is not null)
            {
                if (Additional.IsFalse)
                {
                    if (ev.Errors is null)
                    {
                        return false;
                    }

                    (notAllowed ??= []).Add(kv.Key);
                    continue;
                }

                ev.Push(kv.Key);
                bool valid = Additional.Evaluate(kv.Value, ev, null);
                ev.Pop();
                if (!valid)
                {
                    ok = false;
                    if (ev.Errors is null)
                    {
                        return false;
                    }
                }
            }
        }

        if (notAllowed is not null)
        {
            ok = ev.Fail("additionalProperties", At("additionalProperties"), $"additional properties {Quote(notAllowed)} not allowed");
        }

        if (Additional is not null && ann is not null)
        {
            ann.AllProps = true;
        }

        return ok;
    }
}

internal sealed class ArrayKeyword : Keyword
{
    public ArrayKeyword(string location)
        : base(location)
    {
    }

    public SchemaNode[]? Prefix { get; set; }

    public SchemaNode? Items { get; set; }

    public string ItemsKeyword { get; set; } = "items";

    public int? MinItems { get; set; }

    public int? MaxItems { get; set; }

    public bool UniqueItems { get; set; }

    public bool IsEmpty => Prefix is null && Items is null && MinItems is null && MaxItems is null && !UniqueItems;

    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        if (kind != JsonValueKind.Array)
        {
            return true;
        }

        var array = (JsonArray)instance!;
        int n = array.Count;
        bool ok = true;
        if (MinItems is int min && n < min)
        {
            ok = ev.Fail("minItems", At("minItems"), $"minItems: got {n}, want {min}");
            if (ev.Errors is null)
            {
                return false;
            }
        }

        if (MaxItems is int max && n > max)
        {
            ok = ev.Fail("maxItems", At("maxItems"), $"maxItems: got {n}, want {max}");
            if (ev.Errors is null)
            {
                return false;
            }
        }

        int start = 0;
        if (Prefix is not null)
        {
            start = Prefix.Length;
            int count = Math.Min(n, Prefix.Length);
            for (int i = 0; i < count; i++)
            {
                ev.Push(i);
                bool valid = Prefix[i].Evaluate(array[i], ev, null);
                ev.Pop();
                if (!valid)
                {
                    ok = false;
                    if (ev.Errors is null)
                    {
                        return false;
                    }
                }
            }

            if (ann is not null)
            {
                ann.Items = Math.Max(ann.Items, count);
            }
        }

        if (Items is not null)
        {
            if (Items.IsFalse && n > start)
            {
                ok = ev.Fail(ItemsKeyword, At(ItemsKeyword), $"last {n - start} additionalItem(s) not allowed");
                if (ev.Errors is null)
                {
                    return false;
                }
            }
            else if (!Items.IsTrue)
            {
                for (int i = start; i < n; i++)
                {
                    ev.Push(i);
                    bool valid = Items.Evaluate(array[i], ev, null);
                    ev.Pop();
                    if (!valid)
                    {
                        ok = false;
                        if (ev.Errors is null)
                        {
                            return false;
                        }
                    }
                }
            }

            if (ann is not null)
            {
                ann.AllItems = true;
            }
        }

        if (UniqueItems && n > 1)
        {
            var (i, j) = FindDuplicate(array);
            if (i >= 0)
            {
                ok = ev.Fail("uniqueItems", At("uniqueItems"), $"items at {i} and {j} are equal");
            }
        }

        return ok;
    }

    private static (int, int) FindDuplicate(JsonArray array)
    {
        int n = array.Count;
        if (n <= 16)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    if (JsonEquality.Equal(array[i], array[j]))
                    {
                        return (i, j);
                    }
                }
            }

            return (-1, -1);
        }

        var seen = new Dictionary<int, List<int>>();
        for (int j = 0; j < n; j++)
        {
            int h = JsonEquality.Hash(array[j]);
            if (seen.TryGetValue(h, out List<int>? same))
            {
                foreach (int i in same)
                {
                    if (JsonEquality.Equal(array[i], array[j]))
                    {
                        return (i, j);
                    }
                }

                same.Add(j);
            }
            else
            {
                seen[h] = [j];
            }
        }

        return (-1, -1);
    }
}

internal sealed class ContainsKeyword(string location, SchemaNode schema, int min, int? max, bool annotates) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        if (kind != JsonValueKind.Array)
        {
            return true;
        }

        var array = (JsonArray)instance!;
        bool needAll = max is not null || (ann is not null && annotates);
        List<int>? matched = null;
        int count = 0;
        for (int i = 0; i < array.Count; i++)
        {
            ev.Push(i);
            bool valid = schema.Test(array[i], ev, null);
            ev.Pop();
            if (valid)
            {
                count++;
                if (annotates)
                {
                    ann?.MarkIndex(i);
                }

                if (ev.Errors is not null)
                {
                    (matched ??= []).Add(i);
                }

                if (!needAll && count >= min)
                {
                    return true;
                }
            }
        }

        if (count < min)
        {
            if (min == 1 && max is null && count == 0)
            {
                return ev.Fail("contains", At("contains"), "no items match contains schema");
            }

            return ev.Fail("minContains", At("minContains"), count == 0
                ? $"min {min} items required to match contains schema, but none matched"
                : $"min {min} items required to match contains schema, but matched {count} items at {string.Join(", ", matched ?? [])}");
        }

        if (max is int mx && count > mx)
        {
            return ev.Fail("maxContains", At("maxContains"), $"max {mx} items required to match contains schema, but matched {count} items at {string.Join(", ", matched ?? [])}");
        }

        return true;
    }
}

internal sealed class AllOfKeyword(string location, SchemaNode[] schemas) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        bool ok = true;
        foreach (SchemaNode s in schemas)
        {
            if (!s.Evaluate(instance, ev, ann))
            {
                ok = false;
                if (ev.Errors is null)
                {
                    return false;
                }
            }
        }

        return ok;
    }
}

internal sealed class AnyOfKeyword(string location, SchemaNode[] schemas) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        bool any = false;
        foreach (SchemaNode s in schemas)
        {
            if (ann is null)
            {
                if (s.Test(instance, ev, null))
                {
                    return true;
                }
            }
            else
            {
                var branch = new Annot();
                if (s.Test(instance, ev, branch))
                {
                    any = true;
                    ann.Merge(branch);
                }
            }
        }

        if (any)
        {
            return true;
        }

        List<SchemaError>? causes = null;
        if (ev.Errors is not null)
        {
            causes = [];
            foreach (SchemaNode s in schemas)
            {
                causes.AddRange(s.Explain(instance, ev));
            }
        }

        return ev.Fail("anyOf", At("anyOf"), "'anyOf' failed", causes);
    }
}

internal sealed class OneOfKeyword(string location, SchemaNode[] schemas) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        int first = -1, second = -1;
        Annot? firstAnn = null;
        for (int i = 0; i < schemas.Length; i++)
        {
            Annot? branch = ann is null ? null : new Annot();
            if (schemas[i].Test(instance, ev, branch))
            {
                if (first < 0)
                {
                    first = i;
                    firstAnn = branch;
                }
                else
                {
                    second = i;
                    break;
                }
            }
        }

        if (first >= 0 && second < 0)
        {
            if (ann is not null && firstAnn is not null)
            {
                ann.Merge(firstAnn);
            }

            return true;
        }

        if (first < 0)
        {
            List<SchemaError>? causes = null;
            if (ev.Errors is not null)
            {
                causes = [];
                foreach (SchemaNode s in schemas)
                {
                    causes.AddRange(s.Explain(instance, ev));
                }
            }

            return ev.Fail("oneOf", At("oneOf"), "'oneOf' failed, none matched", causes);
        }

        return ev.Fail("oneOf", At("oneOf"), $"'oneOf' failed, subschemas {first}, {second} matched");
    }
}

internal sealed class NotKeyword(string location, SchemaNode schema) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann) =>
        !schema.Test(instance, ev, null) || ev.Fail("not", At("not"), "'not' failed");
}

internal sealed class IfKeyword(string location, SchemaNode condition, SchemaNode? then, SchemaNode? otherwise) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        Annot? branch = ann is null ? null : new Annot();
        if (condition.Test(instance, ev, branch))
        {
            if (ann is not null)
            {
                ann.Merge(branch!);
            }

            return then is null || then.Evaluate(instance, ev, ann);
        }

        return otherwise is null || otherwise.Evaluate(instance, ev, ann);
    }
}

internal sealed class DependentSchemasKeyword(string location, (string Name, SchemaNode Schema)[] schemas) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        if (kind != JsonValueKind.Object)
        {
            return true;
        }

        var obj = (JsonObject)instance!;
        bool ok = true;
        foreach (var (name, schema) in schemas)
        {
            if (obj.ContainsKey(name) && !schema.Evaluate(instance, ev, ann))
            {
                ok = false;
                if (ev.Errors is null)
                {
                    return false;
                }
            }
        }

        return ok;
    }
}

internal sealed class RefKeyword(string location) : Keyword(location)
{
    public SchemaNode? Target { get; set; }

    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann) =>
        Target!.Evaluate(instance, ev, ann);
}

/// <summary><c>$dynamicRef</c> (2020-12) and <c>$recursiveRef</c> (2019-09): resolved against the dynamic scope.</summary>
internal sealed class DynamicRefKeyword(string location, SchemaNode fallback, string? anchor, bool recursive) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        SchemaNode target = fallback;
        if (recursive)
        {
            for (int i = 0; i < ev.ScopeLength; i++)
            {
                Resource r = ev.ScopeAt(i);
                if (r.RecursiveAnchor && r.Root is not null)
                {
                    target = r.Root;
                    break;
                }
            }
        }
        else if (anchor is not null)
        {
            for (int i = 0; i < ev.ScopeLength; i++)
            {
                if (ev.ScopeAt(i).DynamicAnchors is { } anchors && anchors.TryGetValue(anchor, out SchemaNode? found))
                {
                    target = found;
                    break;
                }
            }
        }

        return target.Evaluate(instance, ev, ann);
    }
}

internal sealed class UnevaluatedPropertiesKeyword(string location, SchemaNode schema) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        if (kind != JsonValueKind.Object || ann is null || ann.AllProps)
        {
            return true;
        }

        var obj = (JsonObject)instance!;
        bool ok = true;
        List<string>? notAllowed = null;
        for (int i = 0; i < obj.Count; i++)
        {
            var kv = obj.GetAt(i);
            if (ann.IsPropEvaluated(kv.Key))
            {
                continue;
            }

            if (schema.IsFalse)
            {
                if (ev.Errors is null)
                {
                    return false;
                }

                (notAllowed ??= []).Add(kv.Key);
                continue;
            }

            ev.Push(kv.Key);
            bool valid = schema.Evaluate(kv.Value, ev, null);
            ev.Pop();
            if (!valid)
            {
                ok = false;
                if (ev.Errors is null)
                {
                    return false;
                }
            }
        }

        if (notAllowed is not null)
        {
            ok = ev.Fail("unevaluatedProperties", At("unevaluatedProperties"), $"unevaluated properties {Quote(notAllowed)} not allowed");
        }

        ann.AllProps = true;
        return ok;
    }
}

internal sealed class UnevaluatedItemsKeyword(string location, SchemaNode schema) : Keyword(location)
{
    public override bool Evaluate(JsonNode? instance, JsonValueKind kind, Evaluator ev, Annot? ann)
    {
        if (kind != JsonValueKind.Array || ann is null || ann.AllItems)
        {
            return true;
        }

        var array = (JsonArray)instance!;
        bool ok = true;
        var sb = (StringBuilder?)null;
        for (int i = 0; i < array.Count; i++)
        {
            if (ann.IsItemEvaluated(i))
            {
                continue;
            }

            if (schema.IsFalse)
            {
                if (ev.Errors is null)
                {
                    return false;
                }

                sb ??= new StringBuilder();
                sb.Append(sb.Length == 0 ? string.Empty : ", ").Append(i);
                continue;
            }

            ev.Push(i);
            bool valid = schema.Evaluate(array[i], ev, null);
            ev.Pop();
            if (!valid)
            {
                ok = false;
                if (ev.Errors is null)
                {
                    return false;
                }
            }
        }

        if (sb is not null)
        {
            ok = ev.Fail("unevaluatedItems", At("unevaluatedItems"), $"unevaluated items at {sb} not allowed");
        }

        ann.AllItems = true;
        return ok;
    }
}
