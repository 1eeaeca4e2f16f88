using System.Text.Json.Nodes;
using Platform.Abstractions;
using Platform.Charts.Values;

namespace Platform.Charts.Tests.Values;

/// <summary>Helm's own strvals cases (pkg/strvals/parser_test.go, literal_parser_test.go), restated as data.</summary>
public sealed class SetParserTests
{
    public static TheoryData<string, string> TypedCases => new()
    {
        { "name1=null,f=false,t=true", """{"name1":null,"f":false,"t":true}""" },
        { "name1=value1", """{"name1":"value1"}""" },
        { "name1=value1,name2=value2", """{"name1":"value1","name2":"value2"}""" },
        { "name1=value1,name2=value2,", """{"name1":"value1","name2":"value2"}""" },
        { "name1=,name2=value2", """{"name1":"","name2":"value2"}""" },
        { "leading_zeros=00009", """{"leading_zeros":"00009"}""" },
        { "zero_int=0", """{"zero_int":0}""" },
        { "long_int=1234567890", """{"long_int":1234567890}""" },
        { "boolean=true", """{"boolean":true}""" },
        { "boolean=TRUE", """{"boolean":true}""" },
        { "is_null=NuLL", """{"is_null":null}""" },
        { "neg=-12,plus=+7", """{"neg":-12,"plus":7}""" },
        { "float=1.5,exp=1e3,under=1_000", """{"float":"1.5","exp":"1e3","under":"1_000"}""" },
        { "big=9223372036854775808", """{"big":"9223372036854775808"}""" },
        { "name1=one\\,two,name2=three\\,four", """{"name1":"one,two","name2":"three,four"}""" },
        { "name1=one\\=two,name2=three\\=four", """{"name1":"one=two","name2":"three=four"}""" },
        { "name1=one two three,name2=three two one", """{"name1":"one two three","name2":"three two one"}""" },
        { "outer.inner=value", """{"outer":{"inner":"value"}}""" },
        { "outer.middle.inner=value", """{"outer":{"middle":{"inner":"value"}}}""" },
        { "outer.inner1=value,outer.inner2=value2", """{"outer":{"inner1":"value","inner2":"value2"}}""" },
        { "outer.inner1=value,outer.middle.inner=value", """{"outer":{"inner1":"value","middle":{"inner":"value"}}}""" },
        { "name1.name2=", """{"name1":{"name2":""}}""" },
        { "name1={value1,value2}", """{"name1":["value1","value2"]}""" },
        { "name1={value1,value2},name2={value1,value2}", """{"name1":["value1","value2"],"name2":["value1","value2"]}""" },
        { "name1={1021,902}", """{"name1":[1021,902]}""" },
        { "name1.name2={value1,value2}", """{"name1":{"name2":["value1","value2"]}}""" },
        { "list[0]=foo", """{"list":["foo"]}""" },
        { "list[0].foo=bar", """{"list":[{"foo":"bar"}]}""" },
        { "list[0].foo=bar,list[0].hello=world", """{"list":[{"foo":"bar","hello":"world"}]}""" },
        { "list[0]=foo,list[1]=bar", """{"list":["foo","bar"]}""" },
        { "list[0]=foo,list[1]=bar,", """{"list":["foo","bar"]}""" },
        { "list[0]=foo,list[3]=bar", """{"list":["foo",null,null,"bar"]}""" },
        { "noval[0]", """{"noval":[]}""" },
        { "noval[0]=", """{"noval":[""]}""" },
        { "nested[0][0]=1", """{"nested":[[1]]}""" },
        { "nested[1][1]=1", """{"nested":[null,[null,1]]}""" },
        { "name1.name2[0].foo=bar,name1.name2[1].foo=bar", """{"name1":{"name2":[{"foo":"bar"},{"foo":"bar"}]}}""" },
        { "name1.name2[1].foo=bar,name1.name2[0].foo=bar", """{"name1":{"name2":[{"foo":"bar"},{"foo":"bar"}]}}""" },
        { "name1.name2[1].foo=bar", """{"name1":{"name2":[null,{"foo":"bar"}]}}""" },
        { "a.b\\.c=1", """{"a":{"b.c":1}}""" },
        { "a[65536]=x", null! },
    };

    [Theory]
    [MemberData(nameof(TypedCases))]
    public void Typed_HelmCase_ProducesHelmTree(string expression, string? expectedJson)
    {
        var target = new JsonObject();
        UserValues.Apply(target, expression, SetMode.Typed);
        if (expectedJson is null)
        {
            // Only asserted to parse; the tree is checked by shape below.
            Assert.Equal(65537, target["a"]!.AsArray().Count);
            Assert.Equal("x", (string?)target["a"]![65536]);
            return;
        }

        Assert.Equal(expectedJson, target.ToJsonString());
    }

    [Theory]
    [InlineData("name1=value1,,,,name2=value2,", "has no value")]
    [InlineData("name1,name2=", "has no value (cannot end with ,)")]
    [InlineData("name1,name2=value2", "has no value")]
    [InlineData("name1,name2=value2\\", "has no value")]
    [InlineData("name1,name2", "has no value")]
    [InlineData("name1.name2", "has no value")]
    [InlineData("name1.name2,name1.name3", "has no value")]
    [InlineData("name1.=name2", "key map \"name1\" has no value")]
    [InlineData("name1.,name2", "has no value")]
    [InlineData("name1={1021,902", "list must terminate with '}'")]
    [InlineData("list[0].foo=bar,list[-30].hello=world", "negative -30 index not allowed")]
    [InlineData("list[0]=foo,list[-20]=bar", "negative -20 index not allowed")]
    [InlineData("illegal[0]name.foo=bar", "unexpected data at end of array index")]
    [InlineData("]={}].", "not a map")]
    [InlineData("a[65537]=1", "index of 65537 is greater than maximum supported index of 65536")]
    [InlineData("a[x]=1", "error parsing index")]
    [InlineData("a=1,a.b=2", "cannot set a key under \"a\"")]
    [InlineData("a=1,a[0]=2", "cannot index into \"a\"")]
    [InlineData("a={x},a[0][0]=2", "not a list")]
    public void Typed_InvalidExpression_ThrowsWithExpressionAndPosition(string expression, string expectedMessagePart)
    {
        var ex = Assert.Throws<SetExpressionException>(() => UserValues.Apply(new JsonObject(), expression, SetMode.Typed));
        Assert.Equal(expression, ex.Expression);
        Assert.InRange(ex.Position, 0, expression.Length);
        Assert.Contains(expectedMessagePart, ex.Message, StringComparison.Ordinal);
        Assert.Contains("--set \"" + expression + "\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_ThirtyNestingLevelsAccepted_ThirtyOneRejected()
    {
        string Dotted(int dots) => string.Join('.', Enumerable.Range(0, dots + 1).Select(i => "k" + i)) + "=v";

        var ok = new JsonObject();
        UserValues.Apply(ok, Dotted(30), SetMode.Typed);
        JsonNode? node = ok;
        for (int i = 0; i < 31; i++)
        {
            node = node!["k" + i];
        }

        Assert.Equal("v", (string?)node);

        var ex = Assert.Throws<SetExpressionException>(() => UserValues.Apply(new JsonObject(), Dotted(31), SetMode.Typed));
        Assert.Contains("nested level is greater than maximum supported nested level of 30", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> ParseIntoCases => new()
    {
        { """{"outer":{"inner1":"overwrite","inner2":"value2"}}""", "outer.inner1=value1,outer.inner3=value3,outer.inner4=4", """{"outer":{"inner1":"value1","inner2":"value2","inner3":"value3","inner4":4}}""" },
        { "{}", "listOuter[0][0].type=listValue|listOuter[0][0].status=alive", """{"listOuter":[[{"type":"listValue","status":"alive"}]]}""" },
        { "{}", "listOuter[0][0].type=listValue|listOuter[1][0].status=alive", """{"listOuter":[[{"type":"listValue"}],[{"status":"alive"}]]}""" },
        { """{"listOuter":[[[{"exited":"old"}]]]}""", "listOuter[0][1][0].type=listValue|listOuter[0][0][1].status=alive", """{"listOuter":[[[{"exited":"old"},{"status":"alive"}],[{"type":"listValue"}]]]}""" },
    };

    [Theory]
    [MemberData(nameof(ParseIntoCases))]
    public void Typed_IntoExistingValues_MergesAsHelm(string initialJson, string expressions, string expectedJson)
    {
        var target = JsonNode.Parse(initialJson)!.AsObject();
        foreach (string expression in expressions.Split('|'))
        {
            UserValues.Apply(target, expression, SetMode.Typed);
        }

        Assert.Equal(expectedJson, target.ToJsonString());
    }

    [Theory]
    [InlineData("long_int_string=1234567890", """{"long_int_string":"1234567890"}""")]
    [InlineData("boolean=true", """{"boolean":"true"}""")]
    [InlineData("is_null=null", """{"is_null":"null"}""")]
    [InlineData("zero=0", """{"zero":"0"}""")]
    [InlineData("l={1,true}", """{"l":["1","true"]}""")]
    public void String_ValuesStayStrings(string expression, string expectedJson)
    {
        var target = new JsonObject();
        UserValues.Apply(target, expression, SetMode.String);
        Assert.Equal(expectedJson, target.ToJsonString());
    }

    [Fact]
    public void String_IntoExisting_Overwrites()
    {
        var target = JsonNode.Parse("""{"outer":{"inner1":"overwrite","inner2":"value2"}}""")!.AsObject();
        UserValues.Apply(target, "outer.inner1=1,outer.inner3=3", SetMode.String);
        Assert.Equal("""{"outer":{"inner1":"1","inner2":"value2","inner3":"3"}}""", target.ToJsonString());
    }

    public static TheoryData<string, string, string> JsonCases => new()
    {
        {
            """{"outer":{"inner1":"overwrite","inner2":"value2"}}""",
            "outer.inner1=\"1\",outer.inner3=3,outer.inner4=true,outer.inner5=\"true\"",
            """{"outer":{"inner1":"1","inner2":"value2","inner3":3,"inner4":true,"inner5":"true"}}"""
        },
        {
            """{"outer":{"inner1":{"x":"overwrite"},"inner2":"value2","inner3":["overwrite"]}}""",
            """outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"],outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5=[{"A":"1","B":2,"C":[1,2,3]}]""",
            """{"outer":{"inner1":{"a":"1","b":2,"c":[1,2,3]},"inner2":"value2","inner3":["new value 1","new value 2"],"inner4":{"aa":"1","bb":2,"cc":[1,2,3]},"inner5":[{"A":"1","B":2,"C":[1,2,3]}]}}"""
        },
        {
            """{"outer":{"inner1":{"x":"overwrite"},"inner2":"value2"}}""",
            """outer.inner1=,outer.inner3={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner3.cc[1]=null""",
            """{"outer":{"inner1":null,"inner2":"value2","inner3":{"aa":"1","bb":2,"cc":[1,null,3]}}}"""
        },
        { "{}", "big=12345678901234567890123", """{"big":12345678901234567890123}""" },
        { "{}", """{"a":{"b":[1,2]},"c":null}""", """{"a":{"b":[1,2]},"c":null}""" },
        { """{"a":{"x":1}}""", """  {"a":{"y":2}}""", """{"a":{"x":1,"y":2}}""" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void Json_HelmCase_ProducesHelmTree(string initialJson, string expression, string expectedJson)
    {
        var target = JsonNode.Parse(initialJson)!.AsObject();
        UserValues.Apply(target, expression, SetMode.Json);
        Assert.Equal(expectedJson, target.ToJsonString());
    }

    [Theory]
    [InlineData("""outer.inner1={"a":"1","b":2,"c":[1,2,3]},outer.inner3=["new value 1","new value 2"],outer.inner4={"aa":"1","bb":2,"cc":[1,2,3]},outer.inner5={"A":"1","B":2,"C":[1,2,3]}]""")]
    [InlineData("""{"a":1""")]
    [InlineData("a={bad}")]
    public void Json_SyntaxError_Throws(string expression)
    {
        var ex = Assert.Throws<SetExpressionException>(() => UserValues.Apply(new JsonObject(), expression, SetMode.Json));
        Assert.Equal(expression, ex.Expression);
        Assert.Contains("--set-json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_ReadsEachPathAsString()
    {
        var target = new JsonObject();
        UserValues.Apply(target, "name1=path1,list={p2,p3}", SetMode.File, path => "content of " + path);
        Assert.Equal("""{"name1":"content of path1","list":["content of p2","content of p3"]}""", target.ToJsonString());
    }

    [Fact]
    public void File_UnreadablePath_NamesIt()
    {
        var ex = Assert.Throws<SetExpressionException>(() =>
            UserValues.Apply(new JsonObject(), "a=missing.txt", SetMode.File, path => throw new FileNotFoundException("not found", path)));
        Assert.Contains("missing.txt", ex.Message, StringComparison.Ordinal);
    }

    // pkg/strvals/literal_parser_test.go
    [Theory]
    [InlineData("name", null)]
    [InlineData("name=", """{"name":""}""")]
    [InlineData("name=value", """{"name":"value"}""")]
    [InlineData("long_int_string=1234567890", """{"long_int_string":"1234567890"}""")]
    [InlineData("boolean=true", """{"boolean":"true"}""")]
    [InlineData("is_null=null", """{"is_null":"null"}""")]
    [InlineData("zero=0", """{"zero":"0"}""")]
    [InlineData("name1=value1,name2=value2", """{"name1":"value1,name2=value2"}""")]
    [InlineData("name1=value1,name2=value2,", """{"name1":"value1,name2=value2,"}""")]
    [InlineData("name1=,name2=value2", """{"name1":",name2=value2"}""")]
    [InlineData("name1=value1,,,,name2=value2,", """{"name1":"value1,,,,name2=value2,"}""")]
    [InlineData("name1=one\\,two,name2=three\\,four", """{"name1":"one\\,two,name2=three\\,four"}""")]
    [InlineData("name1=one=two,name2=three=four", """{"name1":"one=two,name2=three=four"}""")]
    [InlineData("outer.inner=value", """{"outer":{"inner":"value"}}""")]
    [InlineData("name1={value1,value2}", """{"name1":"{value1,value2}"}""")]
    [InlineData("list[0]=foo", """{"list":["foo"]}""")]
    [InlineData("list[0].foo=bar", """{"list":[{"foo":"bar"}]}""")]
    [InlineData("list[1].foo=bar", """{"list":[null,{"foo":"bar"}]}""")]
    [InlineData("nested[1][1]=1", """{"nested":[null,[null,"1"]]}""")]
    [InlineData("name1.name2.name3=value1,value2", """{"name1":{"name2":{"name3":"value1,value2"}}}""")]
    [InlineData("name=line1\nline2 \\ = , [0]", "{\"name\":\"line1\\nline2 \\\\ = , [0]\"}")]
    public void Literal_HelmCase_TakesRestVerbatim(string expression, string? expectedJson)
    {
        var target = new JsonObject();
        if (expectedJson is null)
        {
            Assert.Throws<SetExpressionException>(() => UserValues.Apply(target, expression, SetMode.Literal));
            return;
        }

        UserValues.Apply(target, expression, SetMode.Literal);
        Assert.Equal(expectedJson, target.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void Merge_AppliesFlagsByTypeNotCommandLineOrder()
    {
        var options = new UserValuesOptions
        {
            LiteralValues = ["a=literal"],
            StringValues = ["b=string", "a=string"],
            Values = ["b=1", "c=1"],
            JsonValues = ["""{"c":"json","d":"json"}"""],
            FileValues = ["e=f.txt"],
        };
        JsonObject result = UserValues.Merge(options, [("one.yaml", "a: file\nd: file\ne: file\nf: {x: 1}\n"), ("two.yaml", "f: {z: 2}\n")], _ => "from-file");
        Assert.Equal(
            """{"a":"literal","d":"json","e":"from-file","f":{"x":1,"z":2},"c":1,"b":"string"}""",
            result.ToJsonString());
    }

    [Fact]
    public void Merge_LaterFileNullReplaces_AndIsKeptForCoalescing()
    {
        JsonObject result = UserValues.Merge(new UserValuesOptions(), [("1.yaml", "a: {b: 1}\n"), ("2.yaml", "a: null\n")]);
        Assert.Equal("""{"a":null}""", result.ToJsonString());
    }
}
