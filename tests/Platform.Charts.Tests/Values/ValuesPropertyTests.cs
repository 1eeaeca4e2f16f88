using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Platform.Charts.Values;

namespace Platform.Charts.Tests.Values;

/// <summary>Properties of the values engine over generated trees.</summary>
public sealed class ValuesPropertyTests
{
    private static readonly string[] TrickyStrings =
    [
        "", " ", "yes", "No", "on", "y", "~", "null", "true", "0x1F", "017", "1e3", "1_000", ".inf", "-.5", "1:30", "2001-12-14",
        "a: b", "#c", "- d", "{e}", "[f]", "g\nh", "tail\n", "two\n\n", "\ttab", "quote\"s", "back\\slash", "&anchor", "*alias",
        "!tag", "%pct", "@at", "`tick", "|pipe", ">fold", "'single'", "é ü", "日本", "😀", "=", "<<", "\u0001", "\u007f", "\u0085", "\u2028",
    ];

    private static Gen<string> Strings =>
        Gen.OneOf(Gen.Elements(TrickyStrings), ArbMap.Default.GeneratorFor<string>().Where(s => s is not null));

    private static Gen<JsonNode?> Leaf =>
        Gen.OneOf(
            Strings.Select(s => (JsonNode?)JsonValue.Create(s)),
            ArbMap.Default.GeneratorFor<long>().Select(l => (JsonNode?)JsonValue.Create(l)),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
            ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d)),
            Gen.Constant<JsonNode?>(null));

    private static Gen<JsonNode?> Node(int size) =>
        size <= 0
            ? Leaf
            : Gen.Frequency(
                (3, Leaf),
                (1, Map(size / 2).Select(m => (JsonNode?)m)),
                (1, Node(size / 3).ListOf().Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))));

    private static Gen<JsonObject> Map(int size) =>
        Gen.Zip(Strings, Node(size)).ListOf().Select(pairs =>
        {
            var map = new JsonObject();
            foreach (var (key, value) in pairs)
            {
                map[key] = value?.DeepClone();
            }

            return map;
        });

    private static Arbitrary<JsonObject> Trees => Gen.Sized(size => Map(Math.Min(size, 12))).ToArbitrary();

    [Fact]
    public void ParseOfWrite_IsIdentity()
    {
        var property = Prop.ForAll(Trees, tree =>
        {
            string yaml = ValuesYaml.Write(tree);
            JsonObject back = ValuesYaml.Parse(yaml);
            return JsonNode.DeepEquals(tree, back).Label(yaml);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    // Trees of one shape: every path is a map in all three or a leaf in all three, which is where Helm's
    // merges are associative (a scalar that replaces a map on one side and not the other breaks associativity).
    private static readonly string[] ShapeKeys = ["a", "b", "c", "global", "x.y"];

    private static Gen<JsonObject> Shaped(int depth) =>
        Gen.Elements(ShapeKeys).ListOf().Select(k => k.Distinct().ToArray()).SelectMany(keys =>
            (depth == 0 ? Leaf.ListOf(keys.Length) : Shaped(depth - 1).Select(m => (JsonNode?)m).ListOf(keys.Length)).Select(values =>
            {
                var map = new JsonObject();
                for (int i = 0; i < keys.Length; i++)
                {
                    map[keys[i]] = values[i]?.DeepClone();
                }

                return map;
            }));

    private static Arbitrary<(JsonObject, JsonObject, JsonObject)> ShapedTriples =>
        Gen.Zip(Gen.Zip(Shaped(2), Shaped(2)), Shaped(2)).Select(t => (t.Item1.Item1, t.Item1.Item2, t.Item2)).ToArbitrary();

    [Fact]
    public void MergeMaps_IsAssociative_OnSameShapedTrees()
    {
        var property = Prop.ForAll(ShapedTriples, t =>
        {
            var (a, b, c) = t;
            var left = ValuesMerge.MergeMaps(ValuesMerge.MergeMaps(a, b), c);
            var right = ValuesMerge.MergeMaps(a, ValuesMerge.MergeMaps(b, c));
            return JsonNode.DeepEquals(left, right);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void MergeTables_IsAssociative_OnSameShapedTrees()
    {
        var property = Prop.ForAll(ShapedTriples, t =>
        {
            var (a, b, c) = t;
            var left = ValuesMerge.MergeTables(ValuesMerge.MergeTables(a, b), c);
            var right = ValuesMerge.MergeTables(a, ValuesMerge.MergeTables(b, c));
            return JsonNode.DeepEquals(left, right);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Layering_FilesOneByOne_EqualsFilesPreMerged()
    {
        // -f a -f b -f c computes what -f (a⊕b) -f c computes: Helm's file merge is a fold.
        var property = Prop.ForAll(ShapedTriples, t =>
        {
            var (a, b, c) = t;
            var chart = ValuesChart.Leaf("chart", a);
            var oneByOne = ValuesCoalescer.Coalesce(chart, ValuesMerge.MergeMaps(b, c)).Values;
            var viaFiles = ValuesCoalescer.Coalesce(chart, UserValues.Merge(new UserValuesOptions(), [("b", ValuesYaml.Write(b)), ("c", ValuesYaml.Write(c))])).Values;
            return JsonNode.DeepEquals(oneByOne, viaFiles);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }

    [Fact]
    public void Coalesce_AndMerges_NeverMutateInputs()
    {
        Gen<JsonObject> small = Gen.Sized(s => Map(Math.Min(s, 8)));
        var arb = Gen.Zip(Gen.Zip(small, small), small).Select(t => (t.Item1.Item1, t.Item1.Item2, t.Item2)).ToArbitrary();
        var property = Prop.ForAll(arb, t =>
        {
            var (defaults, sub, user) = t;
            string d = defaults.ToJsonString(), s = sub.ToJsonString(), u = user.ToJsonString();
            var chart = new ValuesChart("top", defaults, [ValuesChart.Leaf("sub", sub)]);
            try
            {
                _ = ValuesCoalescer.Coalesce(chart, user);
                _ = ValuesCoalescer.Merge(chart, user);
            }
            catch (Platform.Abstractions.ValuesException)
            {
                // A generated user value for "sub" that is not a map: an error, still without mutation.
            }

            _ = ValuesMerge.MergeMaps(defaults, user);
            _ = ValuesMerge.MergeTables(defaults, user);
            _ = ValuesMerge.CoalesceTables(user, defaults);
            return defaults.ToJsonString() == d && sub.ToJsonString() == s && user.ToJsonString() == u;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void SetString_EscapedValue_RoundTrips()
    {
        var arb = Gen.Zip(Gen.Elements("a", "b_c", "d-e", "F9").ListOf().Where(l => l.Count is > 0 and <= 30), Strings).ToArbitrary();
        var property = Prop.ForAll(arb, t =>
        {
            var (path, value) = t;
            string escaped = string.Concat(value.Select(ch => ch is ',' or '\\' or '=' or '.' or '[' or '{' ? "\\" + ch : ch.ToString()));
            var target = new JsonObject();
            UserValues.Apply(target, string.Join('.', path) + "=" + escaped, SetMode.String);
            JsonNode? node = target;
            foreach (string key in path)
            {
                node = node![key];
            }

            // A value starting with '{' is a list in Helm's grammar unless escaped, which we did.
            return (string?)node == value;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }
}
