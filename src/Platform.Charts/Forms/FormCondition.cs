using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Charts.Forms;

/// <summary>Names the kind of a <see cref="FormCondition"/>.</summary>
public enum FormConditionKind
{
    /// <summary>The value at <see cref="FormCondition.Path"/> equals one of <see cref="FormCondition.Values"/> (JSON equality; one value is plain equality).</summary>
    In,

    /// <summary>The value at <see cref="FormCondition.Path"/> is present and not <c>null</c>.</summary>
    Present,

    /// <summary>The value at <see cref="FormCondition.Path"/> is truthy: present and not <c>false</c>, <c>null</c>, <c>0</c>, <c>""</c> or empty.</summary>
    Truthy,

    /// <summary>Every operand holds.</summary>
    All,

    /// <summary>At least one operand holds.</summary>
    Any,

    /// <summary>The single operand does not hold.</summary>
    Not,
}

/// <summary>
/// Represents a condition on the values being edited, used for conditional visibility and conditional required
/// fields. Paths are absolute dotted values paths (see <see cref="FormField.Path"/>). Immutable and thread-safe.
/// </summary>
public sealed record FormCondition
{
    private FormCondition(FormConditionKind kind, string? path, IReadOnlyList<JsonElement> values, IReadOnlyList<FormCondition> operands)
    {
        Kind = kind;
        Path = path;
        Values = values;
        Operands = operands;
    }

    /// <summary>Gets the kind.</summary>
    public FormConditionKind Kind { get; }

    /// <summary>Gets the dotted values path tested by <see cref="FormConditionKind.In"/>, <see cref="FormConditionKind.Present"/> and <see cref="FormConditionKind.Truthy"/>, else <see langword="null"/>.</summary>
    public string? Path { get; }

    /// <summary>Gets the accepted values of <see cref="FormConditionKind.In"/>.</summary>
    public IReadOnlyList<JsonElement> Values { get; }

    /// <summary>Gets the operands of <see cref="FormConditionKind.All"/>, <see cref="FormConditionKind.Any"/> and <see cref="FormConditionKind.Not"/>.</summary>
    public IReadOnlyList<FormCondition> Operands { get; }

    /// <summary>Creates a condition that holds when the value at <paramref name="path"/> equals <paramref name="value"/>.</summary>
    /// <param name="path">The dotted values path.</param>
    /// <param name="value">The value to compare with.</param>
    /// <returns>The condition.</returns>
    public static FormCondition Equal(string path, JsonElement value) => In(path, [value]);

    /// <summary>Creates a condition that holds when the value at <paramref name="path"/> equals one of <paramref name="values"/>.</summary>
    /// <param name="path">The dotted values path.</param>
    /// <param name="values">The accepted values.</param>
    /// <returns>The condition.</returns>
    public static FormCondition In(string path, IReadOnlyList<JsonElement> values)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(values);
        return new(FormConditionKind.In, path, values.Select(v => v.Clone()).ToArray(), []);
    }

    /// <summary>Creates a condition that holds when the value at <paramref name="path"/> is present and not null.</summary>
    /// <param name="path">The dotted values path.</param>
    /// <returns>The condition.</returns>
    public static FormCondition Present(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new(FormConditionKind.Present, path, [], []);
    }

    /// <summary>Creates a condition that holds when the value at <paramref name="path"/> is truthy.</summary>
    /// <param name="path">The dotted values path.</param>
    /// <returns>The condition.</returns>
    public static FormCondition Truthy(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new(FormConditionKind.Truthy, path, [], []);
    }

    /// <summary>Creates a condition that holds when every operand holds; one operand is returned as is.</summary>
    /// <param name="operands">The operands (at least one).</param>
    /// <returns>The condition.</returns>
    public static FormCondition All(params IReadOnlyList<FormCondition> operands) => Combine(FormConditionKind.All, operands);

    /// <summary>Creates a condition that holds when at least one operand holds; one operand is returned as is.</summary>
    /// <param name="operands">The operands (at least one).</param>
    /// <returns>The condition.</returns>
    public static FormCondition Any(params IReadOnlyList<FormCondition> operands) => Combine(FormConditionKind.Any, operands);

    /// <summary>Creates the negation of <paramref name="operand"/> (a double negation is removed).</summary>
    /// <param name="operand">The condition to negate.</param>
    /// <returns>The condition.</returns>
    public static FormCondition Not(FormCondition operand)
    {
        ArgumentNullException.ThrowIfNull(operand);
        return operand.Kind == FormConditionKind.Not ? operand.Operands[0] : new(FormConditionKind.Not, null, [], [operand]);
    }

    /// <summary>Evaluates the condition against a values tree.</summary>
    /// <param name="values">The values (typically the chart defaults merged with the answers so far).</param>
    /// <returns><see langword="true"/> when the condition holds.</returns>
    public bool Evaluate(JsonNode? values)
    {
        switch (Kind)
        {
            case FormConditionKind.All:
                return Operands.All(o => o.Evaluate(values));
            case FormConditionKind.Any:
                return Operands.Any(o => o.Evaluate(values));
            case FormConditionKind.Not:
                return !Operands[0].Evaluate(values);
        }

        bool found = FormPath.TryGet(values, FormPath.Split(Path!), out JsonNode? node);
        switch (Kind)
        {
            case FormConditionKind.Present:
                return found && node is not null;
            case FormConditionKind.Truthy:
                return found && IsTruthy(node);
            default:
                foreach (var v in Values)
                {
                    var expected = v.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(v.GetRawText());
                    if ((found || expected is null) && JsonNode.DeepEquals(node, expected))
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    /// <summary>Returns a readable expression, for example <c>ingress.enabled == true &amp;&amp; service.type in ["NodePort", "LoadBalancer"]</c>.</summary>
    /// <returns>The expression.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Append(sb, this, top: true);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, FormCondition c, bool top)
    {
        switch (c.Kind)
        {
            case FormConditionKind.In:
                sb.Append(c.Path);
                if (c.Values.Count == 1)
                {
                    sb.Append(" == ").Append(c.Values[0].GetRawText());
                }
                else
                {
                    sb.Append(" in [").Append(string.Join(", ", c.Values.Select(v => v.GetRawText()))).Append(']');
                }

                break;
            case FormConditionKind.Present:
                sb.Append(c.Path).Append(" is set");
                break;
            case FormConditionKind.Truthy:
                sb.Append(c.Path);
                break;
            case FormConditionKind.Not:
                sb.Append("!(");
                Append(sb, c.Operands[0], top: true);
                sb.Append(')');
                break;
            default:
                if (!top)
                {
                    sb.Append('(');
                }

                string op = c.Kind == FormConditionKind.All ? " && " : " || ";
                for (int i = 0; i < c.Operands.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(op);
                    }

                    Append(sb, c.Operands[i], top: false);
                }

                if (!top)
                {
                    sb.Append(')');
                }

                break;
        }
    }

    /// <summary>Returns the same condition with every path moved under <paramref name="prefix"/> (a subchart's key).</summary>
    internal FormCondition WithPrefix(IReadOnlyList<string> prefix) => Kind switch
    {
        FormConditionKind.All or FormConditionKind.Any or FormConditionKind.Not =>
            new(Kind, null, [], Operands.Select(o => o.WithPrefix(prefix)).ToArray()),
        _ => new(Kind, FormPath.Join(prefix.Concat(FormPath.Split(Path!))), Values, []),
    };

    private static bool IsTruthy(JsonNode? node) => node switch
    {
        null => false,
        JsonObject o => o.Count > 0,
        JsonArray a => a.Count > 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.False => false,
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            JsonValueKind.Number => v.ToJsonString() is not ("0" or "0.0" or "-0"),
            _ => true,
        },
        _ => true,
    };

    private static FormCondition Combine(FormConditionKind kind, IReadOnlyList<FormCondition> operands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        if (operands.Count == 0)
        {
            throw new ArgumentException("At least one operand is needed.", nameof(operands));
        }

        if (operands.Count == 1)
        {
            return operands[0];
        }

        var flat = new List<FormCondition>();
        foreach (var o in operands)
        {
            ArgumentNullException.ThrowIfNull(o, nameof(operands));
            if (o.Kind == kind)
            {
                flat.AddRange(o.Operands);
            }
            else
            {
                flat.Add(o);
            }
        }

        return new(kind, null, [], flat.ToArray());
    }
}
