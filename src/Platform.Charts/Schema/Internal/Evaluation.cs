using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;

namespace Platform.Charts.Schema.Internal;

/// <summary>The properties and items evaluated so far at one instance location (for unevaluated*).</summary>
internal sealed class Annot
{
    public HashSet<string>? Props;
    public bool AllProps;
    public int Items;
    public bool AllItems;
    public HashSet<int>? Indices;

    public void MarkProp(string name) => (Props ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    public void MarkIndex(int index) => (Indices ??= []).Add(index);

    public bool IsPropEvaluated(string name) => AllProps || (Props is not null && Props.Contains(name));

    public bool IsItemEvaluated(int index) => AllItems || index < Items || (Indices is not null && Indices.Contains(index));

    public void Merge(Annot other)
    {
        if (other.AllProps)
        {
            AllProps = true;
        }
        else if (other.Props is not null && !AllProps)
        {
            (Props ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(other.Props);
        }

        if (other.AllItems)
        {
            AllItems = true;
        }
        else if (!AllItems)
        {
            Items = Math.Max(Items, other.Items);
            if (other.Indices is not null)
            {
                (Indices ??= []).UnionWith(other.Indices);
            }
        }
    }
}

/// <summary>The state of one validation run: errors, instance path, dynamic scope, depth.</summary>
internal sealed class Evaluator
{
    private struct Segment
    {
        public string? Name;
        public int Index;
    }

    private Segment[] path = new Segment[32];
    private int pathLength;
    private Resource[] scope = new Resource[16];
    private int scopeLength;

    public Evaluator(List<SchemaError>? errors, bool trackDynamic, int maxDepth, int maxErrors)
    {
        Errors = errors;
        TrackDynamic = trackDynamic;
        MaxDepth = maxDepth;
        MaxErrors = maxErrors;
    }

    /// <summary>The error sink; null while only validity matters (then evaluation stops at the first failure).</summary>
    public List<SchemaError>? Errors;

    public readonly bool TrackDynamic;
    public readonly int MaxDepth;
    public readonly int MaxErrors;
    public int Depth;

    public int ScopeLength => scopeLength;

    public Resource ScopeAt(int i) => scope[i];

    public bool PushScopeIfNew(Resource resource)
    {
        if (scopeLength > 0 && ReferenceEquals(scope[scopeLength - 1], resource))
        {
            return false;
        }

        if (scopeLength == scope.Length)
        {
            Array.Resize(ref scope, scope.Length * 2);
        }

        scope[scopeLength++] = resource;
        return true;
    }

    public void PopScope() => scopeLength--;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(string name)
    {
        if (pathLength == path.Length)
        {
            Array.Resize(ref path, path.Length * 2);
        }

        path[pathLength].Name = name;
        pathLength++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int index)
    {
        if (pathLength == path.Length)
        {
            Array.Resize(ref path, path.Length * 2);
        }

        path[pathLength].Name = null;
        path[pathLength].Index = index;
        pathLength++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Pop() => pathLength--;

    public string Pointer()
    {
        if (pathLength == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        for (int i = 0; i < pathLength; i++)
        {
            sb.Append('/');
            if (path[i].Name is { } name)
            {
                sb.Append(SchemaUri.EscapeToken(name));
            }
            else
            {
                sb.Append(path[i].Index);
            }
        }

        return sb.ToString();
    }

    /// <summary>Records an error (when errors are collected) and returns false.</summary>
    public bool Fail(string keyword, string location, string message, IReadOnlyList<SchemaError>? causes = null)
    {
        if (Errors is not null && Errors.Count < MaxErrors)
        {
            Errors.Add(new SchemaError(Pointer(), keyword, location, message) { Causes = causes ?? [] });
        }

        return false;
    }

    public SchemaException DepthExceeded(string location) =>
        new($"Schema evaluation exceeded the maximum depth ({MaxDepth}) at instance location '{Pointer()}', schema location '{location}': the schema probably has a $ref cycle that consumes no input (or raise SchemaOptions.MaxEvaluationDepth).", location);
}

/// <summary>A schema resource: a document root or a subschema with its own <c>$id</c>.</summary>
internal sealed class Resource
{
    public Resource(string uri, JsonNode node, Dialect dialect)
    {
        Uri = uri;
        Node = node;
        Dialect = dialect;
    }

    public string Uri { get; }

    public JsonNode Node { get; }

    public Dialect Dialect { get; set; }

    public Dictionary<string, JsonNode>? DynamicAnchorNodes { get; set; }

    public bool RecursiveAnchor { get; set; }

    public Dictionary<string, SchemaNode>? DynamicAnchors { get; set; }

    public SchemaNode? Root { get; set; }
}

/// <summary>A compiled schema (object or boolean).</summary>
internal sealed class SchemaNode
{
    private Keyword[] keywords = [];
    private bool hasUnevaluated;

    public SchemaNode(string location, Resource resource)
    {
        Location = location;
        Resource = resource;
    }

    public string Location { get; }

    public Resource Resource { get; }

    public bool? Bool { get; private set; }

    public bool IsFalse => Bool == false;

    public bool IsTrue => Bool == true;

    public Keyword[] Keywords => keywords;

    public void SetBool(bool value) => Bool = value;

    public void SetKeywords(Keyword[] value, bool unevaluated)
    {
        keywords = value;
        hasUnevaluated = unevaluated;
    }

    public bool Evaluate(JsonNode? instance, Evaluator ev, Annot? ann)
    {
        if (Bool is bool b)
        {
            return b || ev.Fail("false", Location, "false schema");
        }

        // the stack probe is amortized: every 8th level is enough to stop well before an overflow
        if (++ev.Depth > ev.MaxDepth || ((ev.Depth & 7) == 0 && !RuntimeHelpers.TryEnsureSufficientExecutionStack()))
        {
            throw ev.DepthExceeded(Location);
        }

        bool pushed = ev.TrackDynamic && ev.PushScopeIfNew(Resource);
        JsonValueKind kind = instance is null ? JsonValueKind.Null : instance.GetValueKind();
        Annot? local = hasUnevaluated ? new Annot() : ann;
        bool ok = true;
        Keyword[] kws = keywords;
        for (int i = 0; i < kws.Length; i++)
        {
            if (!kws[i].Evaluate(instance, kind, ev, local))
            {
                ok = false;
                if (ev.Errors is null)
                {
                    break;
                }
            }
        }

        if (hasUnevaluated && ok && ann is not null)
        {
            ann.Merge(local!);
        }

        if (pushed)
        {
            ev.PopScope();
        }

        ev.Depth--;
        return ok;
    }

    /// <summary>Evaluates without collecting errors (short-circuits on the first failure).</summary>
    public bool Test(JsonNode? instance, Evaluator ev, Annot? ann)
    {
        List<SchemaError>? saved = ev.Errors;
        if (saved is null)
        {
            return Evaluate(instance, ev, ann);
        }

        ev.Errors = null;
        try
        {
            return Evaluate(instance, ev, ann);
        }
        finally
        {
            ev.Errors = saved;
        }
    }

    /// <summary>Evaluates collecting this subschema's errors into a fresh list (used for causes).</summary>
    public List<SchemaError> Explain(JsonNode? instance, Evaluator ev)
    {
        List<SchemaError>? saved = ev.Errors;
        var mine = new List<SchemaError>();
        ev.Errors = mine;
        try
        {
            Evaluate(instance, ev, null);
        }
        finally
        {
            ev.Errors = saved;
        }

        return mine;
    }
}
