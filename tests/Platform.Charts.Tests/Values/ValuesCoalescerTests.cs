using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Values;

namespace Platform.Charts.Tests.Values;

/// <summary>Helm's coalesce tests (pkg/chart/common/util/coalesce_test.go), restated as data.</summary>
public sealed class ValuesCoalescerTests
{
    private const string MobyUserValues = """
        top: yup
        bottom: null
        right: Null
        left: NULL
        front: ~
        back: ""
        nested:
          boat: null

        global:
          name: Ishmael
          subject: Queequeg
          nested:
            boat: true

        pequod:
          boat: null
          global:
            name: Stinky
            harpooner: Tashtego
            nested:
              boat: false
              sail: true
              foo2: null
          ahab:
            scope: whale
            boat: null
            nested:
              foo: true
              boat: null
            object: null
        """;

    private static ValuesChart Moby(bool forMerge)
    {
        JsonObject J(string json) => JsonNode.Parse(json)!.AsObject();
        var ahab = ValuesChart.Leaf("ahab", forMerge
            ? J("""{"global":{"nested":{"foo":"bar"},"nested2":{"l2":"ahab"}},"scope":"ahab","name":"ahab","boat":true,"nested":{"foo":false,"bar":true}}""")
            : J("""{"global":{"nested":{"foo":"bar","foo2":"bar2"},"nested2":{"l2":"ahab"}},"scope":"ahab","name":"ahab","boat":true,"nested":{"foo":false,"boat":true},"object":{"foo":"bar"}}"""));
        var pequod = new ValuesChart("pequod", forMerge
            ? J("""{"name":"pequod","scope":"pequod","global":{"nested2":{"l1":"pequod"}}}""")
            : J("""{"name":"pequod","scope":"pequod","global":{"nested2":{"l1":"pequod"}},"boat":false,"ahab":{"boat":false,"nested":{"boat":false}}}"""), [ahab]);
        var spouter = ValuesChart.Leaf("spouter", J("""{"scope":"spouter","global":{"nested2":{"l1":"spouter"}}}"""));
        string moby = forMerge
            ? """{"back":"exists","bottom":"exists","front":"exists","left":"exists","name":"moby","nested":{"boat":true},"override":"bad","right":"exists","scope":"moby","top":"nope","global":{"nested2":{"l0":"moby"}}}"""
            : """{"back":"exists","bottom":"exists","front":"exists","left":"exists","name":"moby","nested":{"boat":true},"override":"bad","right":"exists","scope":"moby","top":"nope","global":{"nested2":{"l0":"moby"}},"pequod":{"boat":"maybe","ahab":{"boat":"maybe","nested":{"boat":"maybe"}}}}""";
        return new ValuesChart("moby", J(moby), [pequod, spouter]);
    }

    // "<no value>" in Helm's template assertions: absent or null.
    public static TheoryData<string, string?> MobyExpectations => new()
    {
        { "top", "yup" }, { "back", "" }, { "name", "moby" },
        { "global.name", "Ishmael" }, { "global.subject", "Queequeg" }, { "global.harpooner", null },
        { "pequod.name", "pequod" }, { "pequod.ahab.name", "ahab" }, { "pequod.ahab.scope", "whale" },
        { "pequod.ahab.nested.foo", "true" }, { "pequod.ahab.global.name", "Ishmael" },
        { "pequod.ahab.global.nested.foo", "bar" }, { "pequod.ahab.global.subject", "Queequeg" },
        { "pequod.ahab.global.harpooner", "Tashtego" }, { "pequod.global.name", "Ishmael" },
        { "pequod.global.nested.foo", null }, { "pequod.global.subject", "Queequeg" },
        { "spouter.global.name", "Ishmael" }, { "spouter.global.harpooner", null },
        { "global.nested.boat", "true" }, { "pequod.global.nested.boat", "true" },
        { "spouter.global.nested.boat", "true" }, { "pequod.global.nested.sail", "true" },
        { "spouter.global.nested.sail", null },
        { "global.nested2.l0", "moby" }, { "global.nested2.l1", null }, { "global.nested2.l2", null },
        { "pequod.global.nested2.l0", "moby" }, { "pequod.global.nested2.l1", "pequod" }, { "pequod.global.nested2.l2", null },
        { "pequod.ahab.global.nested2.l0", "moby" }, { "pequod.ahab.global.nested2.l1", "pequod" },
        { "pequod.ahab.global.nested2.l2", "ahab" }, { "spouter.global.nested2.l0", "moby" },
        { "spouter.global.nested2.l1", "spouter" }, { "spouter.global.nested2.l2", null },
    };

    [Theory]
    [MemberData(nameof(MobyExpectations))]
    public void Coalesce_HelmMobyChart_MatchesHelm(string path, string? expected)
    {
        JsonObject values = ValuesCoalescer.Coalesce(Moby(forMerge: false), ValuesYaml.Parse(MobyUserValues)).Values;
        Assert.Equal(expected, Text(Lookup(values, path)));
    }

    [Fact]
    public void Coalesce_HelmMobyChart_NullsDeleteChartDefaults()
    {
        JsonObject user = ValuesYaml.Parse(MobyUserValues);
        string before = user.ToJsonString();
        JsonObject values = ValuesCoalescer.Coalesce(Moby(forMerge: false), user).Values;

        foreach (string key in new[] { "bottom", "right", "left", "front" })
        {
            Assert.False(values.ContainsKey(key), key);
        }

        Assert.False(values["nested"]!.AsObject().ContainsKey("boat"));
        Assert.False(values["pequod"]!.AsObject().ContainsKey("boat"));
        Assert.False(values["pequod"]!["ahab"]!.AsObject().ContainsKey("boat"));
        Assert.False(values["pequod"]!["ahab"]!["nested"]!.AsObject().ContainsKey("boat"));
        Assert.False(values["pequod"]!["ahab"]!.AsObject().ContainsKey("object"));
        Assert.Null(Lookup(values, "pequod.ahab.global.nested.foo2"));

        // Inputs are never mutated.
        Assert.Equal(before, user.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(MobyExpectations))]
    public void Merge_HelmMobyChart_MatchesHelm(string path, string? expected)
    {
        JsonObject values = ValuesCoalescer.Merge(Moby(forMerge: true), ValuesYaml.Parse(MobyUserValues)).Values;
        Assert.Equal(expected, Text(Lookup(values, path)));
    }

    [Fact]
    public void Merge_HelmMobyChart_KeepsNulls()
    {
        JsonObject values = ValuesCoalescer.Merge(Moby(forMerge: true), ValuesYaml.Parse(MobyUserValues)).Values;
        foreach (string key in new[] { "bottom", "right", "left", "front" })
        {
            Assert.True(values.ContainsKey(key), key);
            Assert.Null(values[key]);
        }

        Assert.True(values["nested"]!.AsObject().ContainsKey("boat"));
        Assert.True(values["pequod"]!["ahab"]!.AsObject().ContainsKey("boat"));
        Assert.True(values["pequod"]!["ahab"]!["nested"]!.AsObject().ContainsKey("bar"));
    }

    private const string TablesDst = """{"name":"Ishmael","address":{"street":"123 Spouter Inn Ct.","city":"Nantucket","country":null},"details":{"friends":["Tashtego"]},"boat":"pequod","hole":null}""";
    private const string TablesSrc = """{"occupation":"whaler","address":{"state":"MA","street":"234 Spouter Inn Ct.","country":"US"},"details":"empty","boat":{"mast":true},"hole":"black"}""";

    [Fact]
    public void CoalesceTables_DestinationWins_NullsDeleteSourceValues()
    {
        JsonObject result = ValuesMerge.CoalesceTables(JsonNode.Parse(TablesDst)!.AsObject(), JsonNode.Parse(TablesSrc)!.AsObject());
        Assert.Equal(
            """{"name":"Ishmael","address":{"street":"123 Spouter Inn Ct.","city":"Nantucket","state":"MA"},"details":{"friends":["Tashtego"]},"boat":"pequod","occupation":"whaler"}""",
            result.ToJsonString());
    }

    [Fact]
    public void MergeTables_DestinationWins_NullsKept()
    {
        JsonObject result = ValuesMerge.MergeTables(JsonNode.Parse(TablesDst)!.AsObject(), JsonNode.Parse(TablesSrc)!.AsObject());
        Assert.Equal(
            """{"name":"Ishmael","address":{"street":"123 Spouter Inn Ct.","city":"Nantucket","country":null,"state":"MA"},"details":{"friends":["Tashtego"]},"boat":"pequod","hole":null,"occupation":"whaler"}""",
            result.ToJsonString());
    }

    [Fact]
    public void Coalesce_TypeConflicts_AreWarningsWithHelmText()
    {
        var level3 = ValuesChart.Leaf("level3", JsonNode.Parse("""{"name":"ahab","boat":true,"spear":{"tip":true,"sail":{"cotton":true}}}""")!.AsObject());
        var level2 = new ValuesChart("level2", JsonNode.Parse("""{"name":"pequod"}""")!.AsObject(), [level3]);
        var level1 = new ValuesChart("level1", JsonNode.Parse("""{"name":"moby"}""")!.AsObject(), [level2]);
        var user = JsonNode.Parse("""{"level2":{"level3":{"boat":{"mast":true},"spear":{"tip":{"sharp":true},"sail":true}}}}""")!.AsObject();

        var warnings = ValuesCoalescer.Coalesce(level1, user).Warnings.Select(w => w.Message).ToList();

        Assert.Contains("warning: skipped value for level1.level2.level3.boat: Not a table.", warnings);
        Assert.Contains("warning: destination for level1.level2.level3.spear.tip is a table. Ignoring non-table value (true)", warnings);
        Assert.Contains(warnings, w => w.StartsWith("warning: cannot overwrite table with non table for level1.level2.level3.spear.sail (", StringComparison.Ordinal));
    }

    [Fact]
    public void Coalesce_UserNullForKeyNotInDefaults_IsKept()
    {
        // helm#31643: chart has data: {}; the user's explicit null for a key the chart does not have stays.
        var chart = ValuesChart.Leaf("test", JsonNode.Parse("""{"data":{}}""")!.AsObject());
        JsonObject values = ValuesCoalescer.Coalesce(chart, JsonNode.Parse("""{"data":{"foo":"bar","baz":null}}""")!.AsObject()).Values;
        Assert.Equal("""{"data":{"foo":"bar","baz":null}}""", values.ToJsonString());
    }

    [Fact]
    public void Coalesce_TopLevelChartDefaultNulls_AreKept_SubchartDefaultNullsDropped()
    {
        // helm#32530: nulls in the top-level chart's own values.yaml are preserved; a subchart's are not.
        var sub = ValuesChart.Leaf("sub", JsonNode.Parse("""{"a":null,"b":{"c":null,"d":1}}""")!.AsObject());
        var top = new ValuesChart("top", JsonNode.Parse("""{"x":null,"y":{"z":null}}""")!.AsObject(), [sub]);
        JsonObject values = ValuesCoalescer.Coalesce(top, new JsonObject()).Values;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"x":null,"y":{"z":null},"sub":{"b":{"d":1},"global":{}}}"""), values), values.ToJsonString());
    }

    [Fact]
    public void Coalesce_SubchartSectionNotAMap_IsErrorNamingThePath()
    {
        var top = new ValuesChart("top", new JsonObject(), [ValuesChart.Leaf("db", new JsonObject())]);
        var ex = Assert.Throws<ValuesException>(() => ValuesCoalescer.Coalesce(top, JsonNode.Parse("""{"db":"oops"}""")!.AsObject()));
        Assert.Equal("top.db", ex.ValuesPath);
        Assert.Contains("type mismatch on db", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Coalesce_SubchartGlobals_NeverFlowUp()
    {
        var sub = ValuesChart.Leaf("sub", JsonNode.Parse("""{"global":{"shared":{"fromSub":1},"subOnly":true}}""")!.AsObject());
        var top = new ValuesChart("top", JsonNode.Parse("""{"global":{"shared":{"fromTop":1}}}""")!.AsObject(), [sub]);
        JsonObject values = ValuesCoalescer.Coalesce(top, new JsonObject()).Values;
        Assert.Equal("""{"fromTop":1}""", values["global"]!["shared"]!.ToJsonString());
        Assert.Null(values["global"]!["subOnly"]);
        Assert.Equal("""{"fromTop":1,"fromSub":1}""", values["sub"]!["global"]!["shared"]!.ToJsonString());
        Assert.Equal(true, (bool?)values["sub"]!["global"]!["subOnly"]);
    }

    internal static JsonNode? Lookup(JsonNode? node, string path)
    {
        foreach (string part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out JsonNode? next) ? next : null;
        }

        return node;
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
