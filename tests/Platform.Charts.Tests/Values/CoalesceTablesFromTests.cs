using System.Text.Json.Nodes;
using Platform.Charts.Values;

namespace Platform.Charts.Tests.Values;

/// <summary>The read-only coalesce equals coalescing a (null-stripped) deep copy: result, key order and warnings.</summary>
public sealed class CoalesceTablesFromTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { """{"a":1,"b":{"c":2}}""", """{"a":5,"b":{"d":null,"e":{"f":null,"g":1}},"h":null,"i":[null,1]}""" },
        { """{"a":null,"b":null,"c":{"x":null}}""", """{"a":1,"b":null,"c":{"x":{"y":1}},"d":2}""" },
        { """{"a":{"x":1},"b":3}""", """{"a":4,"b":{"y":null,"z":2}}""" },
        { """{"a":{"b":{"c":null}},"z":[1]}""", """{"a":{"b":{"c":{"d":1},"e":null}},"z":{"k":1},"q":{"r":null}}""" },
        { """{}""", """{"a":{"b":null},"c":null}""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CoalesceTablesFrom_AnyTables_EqualsCoalescingACopy(string dstJson, string srcJson)
    {
        foreach (bool merge in new[] { false, true })
        {
            foreach (bool strip in new[] { false, true })
            {
                var src = JsonNode.Parse(srcJson)!.AsObject();
                string srcBefore = src.ToJsonString();
                var expectedDst = JsonNode.Parse(dstJson)!.AsObject();
                var expectedWarnings = new List<ValuesWarning>();
                JsonObject copy = strip ? ValuesCoalescer.CloneWithoutNulls(src) : (JsonObject)src.DeepClone();
                ValuesCoalescer.CoalesceTables(expectedDst, copy, "p", merge, expectedWarnings);

                var actualDst = JsonNode.Parse(dstJson)!.AsObject();
                var actualWarnings = new List<ValuesWarning>();
                ValuesCoalescer.CoalesceTablesFrom(actualDst, src, "p", merge, strip, actualWarnings);

                Assert.Equal(expectedDst.ToJsonString(), actualDst.ToJsonString());
                Assert.Equal(expectedWarnings, actualWarnings);
                Assert.Equal(srcBefore, src.ToJsonString());
            }
        }
    }
}
