using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Values;

namespace Platform.Charts.Tests.Values;

public sealed class ValuesYamlTests
{
    // Plain-scalar resolution as Helm's YAML library (go-yaml v2 via sigs.k8s.io/yaml) performs it.
    [Theory]
    [InlineData("yes", "true")]
    [InlineData("Yes", "true")]
    [InlineData("ON", "true")]
    [InlineData("y", "true")]
    [InlineData("n", "false")]
    [InlineData("off", "false")]
    [InlineData("False", "false")]
    [InlineData("~", "null")]
    [InlineData("null", "null")]
    [InlineData("", "null")]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("017", "15")]
    [InlineData("0b101", "5")]
    [InlineData("-0x10", "-16")]
    [InlineData("1_000_000", "1000000")]
    [InlineData("+42", "42")]
    [InlineData("1.5", "1.5")]
    [InlineData("1e3", "1000")]
    [InlineData(".5", "0.5")]
    [InlineData("08", "8")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("18446744073709551615", "18446744073709551615")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("2001-12-14", "\"2001-12-14\"")]
    [InlineData("2001-12-14t21:59:43.10-05:00", "\"2001-12-14t21:59:43.10-05:00\"")]
    [InlineData("1:30", "\"1:30\"")]
    [InlineData("yess", "\"yess\"")]
    [InlineData("0x", "\"0x\"")]
    [InlineData("1.2.3", "\"1.2.3\"")]
    [InlineData("'yes'", "\"yes\"")]
    [InlineData("\"0x10\"", "\"0x10\"")]
    [InlineData("!!str 123", "\"123\"")]
    [InlineData("!!int \"12\"", "12")]
    public void Parse_PlainScalar_ResolvesLikeHelm(string scalar, string expectedJson)
    {
        JsonObject values = ValuesYaml.Parse("key: " + scalar + "\n");
        Assert.Equal(expectedJson, values["key"]?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    [InlineData(".nan")]
    public void Parse_NonFiniteFloat_IsRejectedWithLocation(string scalar)
    {
        var ex = Assert.Throws<ValuesException>(() => ValuesYaml.Parse("a: 1\nkey: " + scalar + "\n", "values.yaml"));
        Assert.Equal("values.yaml", ex.FileName);
        Assert.Equal(2, ex.Line);
        Assert.Contains("non-finite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonStringKeys_AreStringified()
    {
        JsonObject values = ValuesYaml.Parse("1: a\nyes: b\n1.5: c\n0x10: d\n");
        Assert.Equal(["1", "true", "1.5", "16"], values.Select(p => p.Key).ToArray());
    }

    [Fact]
    public void Parse_AnchorsAliasesAndMergeKeys_Expand()
    {
        const string yaml = """
            base: &base
              image: nginx
              tag: "1.0"
            app:
              <<: *base
              tag: "2.0"
            copy: *base
            """;
        JsonObject values = ValuesYaml.Parse(yaml);
        Assert.Equal("nginx", (string?)values["app"]!["image"]);
        Assert.Equal("2.0", (string?)values["app"]!["tag"]);
        Assert.True(JsonNode.DeepEquals(values["base"], values["copy"]));
        Assert.NotSame(values["base"], values["copy"]);
    }

    [Fact]
    public void Parse_MergeKeyList_EarlierMapsWin()
    {
        JsonObject values = ValuesYaml.Parse("a: &a {x: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n");
        Assert.Equal(1, (int)values["c"]!["x"]!);
        Assert.Equal(2, (int)values["c"]!["z"]!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    public void Parse_EmptyDocument_IsEmptyMap(string yaml)
    {
        Assert.Empty(ValuesYaml.Parse(yaml));
    }

    [Theory]
    [InlineData("- a\n- b\n", "list")]
    [InlineData("just a string\n", "scalar")]
    [InlineData("42\n", "scalar")]
    public void Parse_TopLevelNotMap_IsError(string yaml, string what)
    {
        var ex = Assert.Throws<ValuesException>(() => ValuesYaml.Parse(yaml, "f.yaml"));
        Assert.Contains(what, ex.Message, StringComparison.Ordinal);
        Assert.Equal("f.yaml", ex.FileName);
    }

    [Fact]
    public void Parse_MultiDocument_MergesInOrder()
    {
        JsonObject values = ValuesYaml.Parse("a: {x: 1, z: 1}\nb: [1]\n---\na: {z: 2}\nb: [2]\n---\n");
        Assert.Equal("""{"a":{"x":1,"z":2},"b":[2]}""", values.ToJsonString());
    }

    [Fact]
    public void Parse_KeyY_BecomesTrueAsInHelm()
    {
        // YAML 1.1: a bare y/n key is a boolean, which Helm stringifies. A known Helm gotcha, kept on purpose.
        JsonObject values = ValuesYaml.Parse("x: 1\ny: 2\n");
        Assert.Equal(["x", "true"], values.Select(p => p.Key).ToArray());
    }

    [Fact]
    public void Parse_DuplicateKey_LastWins()
    {
        JsonObject values = ValuesYaml.Parse("a: 1\nb: 2\na: 3\n");
        Assert.Equal("""{"a":3,"b":2}""", values.ToJsonString());
    }

    [Fact]
    public void Parse_InvalidYaml_NamesFileLineAndColumn()
    {
        var ex = Assert.Throws<ValuesException>(() => ValuesYaml.Parse("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml"));
        Assert.Equal("bad.yaml", ex.FileName);
        Assert.NotNull(ex.Line);
        Assert.StartsWith("bad.yaml:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BillionLaughs_FailsFastWithClearError()
    {
        var sb = new System.Text.StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++)
        {
            sb.Append($"a{i}: &a{i} [");
            sb.AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", 10));
            sb.Append("]\n");
        }

        var ex = Assert.Throws<ValuesException>(() => ValuesYaml.Parse(sb.ToString(), "bomb.yaml"));
        Assert.Contains("expands to more than", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Parse_TenThousandDeepNesting_FailsWithDepthError(bool flow)
    {
        const int depth = 10_000;
        string yaml = flow
            ? "a: " + new string('[', depth) + new string(']', depth) + "\n"
            : string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', i) + "k:\n")) + new string(' ', depth) + "v\n";
        var ex = Assert.Throws<ValuesException>(() => ValuesYaml.Parse(yaml, "deep.yaml"));
        Assert.Contains("deeper than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ByteOrderMark_IsIgnored()
    {
        Assert.Equal("v", (string?)ValuesYaml.Parse("\uFEFFk: v\n")["k"]);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("0x10")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData(" padded ")]
    [InlineData("a: b")]
    [InlineData("# not a comment")]
    [InlineData("line1\nline2\n")]
    [InlineData("line1\nline2")]
    [InlineData("trailing\n\n")]
    [InlineData("tab\there")]
    [InlineData("2001-12-14")]
    [InlineData("-dash")]
    [InlineData("null")]
    [InlineData("quote\"and\\backslash")]
    [InlineData("\u0001control")]
    public void Write_String_ReadsBackAsSameString(string text)
    {
        var tree = new JsonObject { ["k"] = text, ["list"] = new JsonArray(text, new JsonObject { ["n"] = text }) };
        string yaml = ValuesYaml.Write(tree);
        JsonObject back = ValuesYaml.Parse(yaml);
        Assert.True(JsonNode.DeepEquals(tree, back), yaml);
    }

    [Fact]
    public void Write_NestedTree_IsReadableBlockStyle()
    {
        var tree = JsonNode.Parse("""{"image":{"repository":"nginx","tag":"1.25"},"ports":[80,443],"empty":{},"none":[],"on":true,"n":null}""")!.AsObject();
        string yaml = ValuesYaml.Write(tree);
        Assert.Equal(
            "image:\n  repository: nginx\n  tag: \"1.25\"\nports:\n  - 80\n  - 443\nempty: {}\nnone: []\n\"on\": true\n\"n\": null\n",
            yaml);
    }
}
