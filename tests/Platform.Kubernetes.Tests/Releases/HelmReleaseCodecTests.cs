using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Platform.Kubernetes.Releases;

namespace Platform.Kubernetes.Tests.Releases;

public sealed class HelmReleaseCodecTests
{
    [Fact]
    public void DecodeSecretData_Helm3Record_ReadsEveryField()
    {
        // A Secret's data.release as the API server returns it: base64(base64(gzip(JSON))).
        string secretData = Convert.ToBase64String(Encoding.ASCII.GetBytes(TestReleases.GzipBase64(TestReleases.Helm3Json)));

        HelmRelease r = HelmReleaseCodec.DecodeSecretData(secretData, new Dictionary<string, string> { ["team"] = "obs" }, recordName: "sh.helm.release.v1.grafana.v2");

        Assert.Equal(("grafana", "monitoring", 2, ReleaseStatus.Deployed), (r.Name, r.Namespace, r.Version, r.Status));
        Assert.Equal(("grafana", "7.3.11", "10.4.1"), (r.ChartName, r.ChartVersion, r.AppVersion));
        Assert.Equal(new DateTimeOffset(2024, 6, 12, 10, 1, 44, TimeSpan.FromHours(2)).AddTicks(1184277), r.LastDeployed);
        Assert.Null(r.Deleted); // Helm 3 writes Go's zero time
        Assert.Equal("Upgrade complete", r.Description);
        Assert.StartsWith("1. Get your", r.Notes, StringComparison.Ordinal);
        Assert.Equal("secret", r.Config!["adminPassword"]!.GetValue<string>());
        Assert.StartsWith("---\n# Source: grafana", r.Manifest, StringComparison.Ordinal);
        Assert.Equal("grafana-test", r.Hooks![0]!["name"]!.GetValue<string>());
        Assert.Null(r.ApplyMethod);
        Assert.Equal("obs", r.Labels["team"]);
        Assert.Equal("sh.helm.release.v1.grafana.v2", r.StorageKey);
    }

    [Fact]
    public void Encode_Helm3Record_RoundTripsByteForByteJson()
    {
        HelmRelease r = HelmReleaseCodec.Decode(TestReleases.GzipBase64(TestReleases.Helm3Json));

        string again = HelmReleaseCodec.ToJson(r).ToJsonString();

        // Nanosecond times, the zero 'deleted' time and field order survive unchanged.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(TestReleases.Helm3Json), JsonNode.Parse(again)), again);
        Assert.Equal("2024-06-12T10:01:44.118427761+02:00", HelmReleaseCodec.ToJson(r)["info"]!["last_deployed"]!.GetValue<string>());
    }

    [Fact]
    public void Encode_UnknownFields_ArePreserved()
    {
        var json = JsonNode.Parse(TestReleases.Helm3Json)!.AsObject();
        json["future_field"] = new JsonObject { ["x"] = 1 };
        json["info"]!["resources"] = new JsonObject { ["v1/Pod"] = new JsonArray(new JsonObject { ["kind"] = "Pod" }) };
        HelmRelease r = HelmReleaseCodec.Decode(json.ToJsonString()) with { Status = ReleaseStatus.Superseded };

        JsonObject written = HelmReleaseCodec.ToJson(r);

        Assert.Equal(1, written["future_field"]!["x"]!.GetValue<int>());
        Assert.Equal("Pod", written["info"]!["resources"]!["v1/Pod"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal("superseded", written["info"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void Encode_Helm4Record_IsGzipInBase64AndKeepsApplyMethod()
    {
        HelmRelease r = TestReleases.Build("web", 3, "apps", ReleaseStatus.PendingUpgrade);

        string payload = HelmReleaseCodec.Encode(r);
        byte[] raw = Convert.FromBase64String(payload);

        Assert.Equal(new byte[] { 0x1f, 0x8b, 0x08 }, raw[..3]);
        HelmRelease back = HelmReleaseCodec.Decode(payload);
        Assert.Equal(("ssa", ReleaseStatus.PendingUpgrade, 3), (back.ApplyMethod, back.Status, back.Version));
        Assert.Equal("pending-upgrade", HelmReleaseCodec.ToJson(back)["info"]!["status"]!.GetValue<string>());
        Assert.Equal(payload, Encoding.ASCII.GetString(Convert.FromBase64String(HelmReleaseCodec.EncodeSecretData(r))));
    }

    [Fact]
    public void Decode_NonGzippedForms_AreAccepted()
    {
        string json = TestReleases.Helm3Json;

        Assert.Equal("grafana", HelmReleaseCodec.Decode(Convert.ToBase64String(Encoding.UTF8.GetBytes(json))).Name); // base64(JSON)
        Assert.Equal("grafana", HelmReleaseCodec.Decode(json).Name); // plain JSON
    }

    [Fact]
    public void Decode_Helm4EmptyTimeStrings_AreNoTime()
    {
        HelmRelease r = HelmReleaseCodec.Decode("""{"name":"x","version":1,"info":{"first_deployed":"","last_deployed":"","status":"failed"}}""");
        Assert.Equal((null, null, ReleaseStatus.Failed), (r.FirstDeployed, r.LastDeployed, r.Status));
    }

    [Fact]
    public void Decode_GzipBomb_FailsWithTheLimit()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(new byte[8 * 1024 * 1024]); // 8 MiB of zeros, ~8 KiB compressed
        }

        string payload = Convert.ToBase64String(buffer.ToArray());

        var ex = Assert.Throws<ReleaseDecodeException>(() => HelmReleaseCodec.Decode(payload, maxReleaseBytes: 1024 * 1024, @namespace: "ns", recordName: "sh.helm.release.v1.bomb.v1"));
        Assert.Contains("1048576", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ns/sh.helm.release.v1.bomb.v1", ex.Message, StringComparison.Ordinal);
        Assert.Equal("sh.helm.release.v1.bomb.v1", ex.RecordName);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("!!!notbase64", "base64")]
    [InlineData("H4sIAAAAAAAA/w==", "gzip")]
    [InlineData("[1,2]", "not an object")]
    [InlineData("{\"version\":1}", "no 'name'")]
    [InlineData("{\"name\":\"x\",\"version\":\"one\"}", "'version'")]
    [InlineData("{\"name\":\"x\",\"info\":{\"last_deployed\":\"yesterday\"}}", "RFC 3339")]
    [InlineData("{\"name\":\"x\",\"chart\":[]}", "'chart'")]
    public void Decode_Corrupt_ThrowsNamingTheProblem(string payload, string expected)
    {
        var ex = Assert.Throws<ReleaseDecodeException>(() => HelmReleaseCodec.Decode(payload, recordName: "sh.helm.release.v1.x.v1"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("sh.helm.release.v1.x.v1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeSecretData_NotBase64_Throws()
    {
        var ex = Assert.Throws<ReleaseDecodeException>(() => HelmReleaseCodec.DecodeSecretData("%%%"));
        Assert.Contains("data.release is not valid base64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StorageLabels_ObjectNameAndSystemLabels_FollowHelm()
    {
        HelmRelease r = TestReleases.Build("my.app", 12, labels: new Dictionary<string, string> { ["status"] = "spoofed", ["team"] = "t" });

        var labels = ReleaseStorageLabels.ForObject(r, 100, null);

        Assert.Equal("sh.helm.release.v1.my.app.v12", r.StorageKey);
        Assert.True(ReleaseStorageLabels.TryParseObjectName(r.StorageKey, out string name, out int version));
        Assert.Equal(("my.app", 12), (name, version));
        Assert.Equal(["createdAt=100", "name=my.app", "owner=helm", "status=deployed", "team=t", "version=12"], labels.Select(p => $"{p.Key}={p.Value}").Order());
        Assert.Equal(["team"], ReleaseStorageLabels.CustomLabels(labels).Keys);
    }

    [Fact]
    public void ReleaseStatusNames_RoundTripEveryHelmStatus()
    {
        foreach (ReleaseStatus status in Enum.GetValues<ReleaseStatus>())
        {
            Assert.Equal(status, ReleaseStatusNames.Parse(status.ToHelmString()));
        }

        Assert.Equal(ReleaseStatus.Unknown, ReleaseStatusNames.Parse("exploded"));
    }

    [Fact]
    public void EncodeThenDecode_AnyNameVersionStatusAndLabels_RoundTrips()
    {
        var names = Gen.Elements("a", "web", "my-app", "db.primary", "x1");
        var property = Prop.ForAll(
            Gen.Zip(Gen.Zip(names, Gen.Choose(1, 100000)), Gen.Zip(Gen.Elements(Enum.GetValues<ReleaseStatus>()), Gen.Elements("", "t=a", "team=payments,env=prod")))
                .Select(t => (t.Item1.Item1, t.Item1.Item2, t.Item2.Item1, t.Item2.Item2)).ToArbitrary(),
            tuple =>
            {
                string labelText = tuple.Item4;
                var labels = labelText.Split(',', StringSplitOptions.RemoveEmptyEntries).ToDictionary(p => p.Split('=')[0], p => p.Split('=')[1]);
                HelmRelease r = TestReleases.Build(tuple.Item1, tuple.Item2, status: tuple.Item3, labels: labels);
                HelmRelease back = HelmReleaseCodec.Decode(HelmReleaseCodec.Encode(r), labels);
                return back.Name == r.Name && back.Version == r.Version && back.Status == r.Status
                    && back.LastDeployed == r.LastDeployed && back.Labels.Count == labels.Count
                    && JsonNode.DeepEquals(HelmReleaseCodec.ToJson(r), HelmReleaseCodec.ToJson(back));
            });
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(200), property);
    }
}
