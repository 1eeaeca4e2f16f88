using System.Text;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;

namespace Platform.Kubernetes.Tests.Client;

public sealed class TypedResourceTests
{
    // Shapes as `kubectl get -o json` prints them from a real cluster (trimmed to the fields the records model plus neighbours).
    private const string PodJson = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"creationTimestamp":"2026-11-30T09:12:44Z","generateName":"web-7d9f8b6c5-","labels":{"app":"web","pod-template-hash":"7d9f8b6c5"},"name":"web-7d9f8b6c5-x2x8p","namespace":"prod","resourceVersion":"884211","uid":"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"},
         "spec":{"containers":[{"image":"nginx:1.27","imagePullPolicy":"IfNotPresent","name":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}]},{"image":"fluent/fluent-bit:3.1","name":"log-shipper"}],"initContainers":[{"image":"busybox:1.36","name":"init-perms"}],"nodeName":"node-a","restartPolicy":"Always"},
         "status":{"containerStatuses":[{"containerID":"containerd://abc","image":"docker.io/library/nginx:1.27","name":"nginx","ready":true,"restartCount":2,"started":true,"state":{"running":{"startedAt":"2026-11-30T09:12:50Z"}}},{"name":"log-shipper","ready":false,"restartCount":0,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}],"phase":"Running","podIP":"10.244.1.17","startTime":"2026-11-30T09:12:44Z"}}
        """;

    private const string JobJson = """
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi","namespace":"default","resourceVersion":"1200"},
         "spec":{"backoffLimit":4,"completions":1,"parallelism":1,"template":{"spec":{"containers":[{"name":"pi","image":"perl:5.34.0"}],"restartPolicy":"Never"}}},
         "status":{"completionTime":"2026-11-30T10:01:05Z","conditions":[{"lastProbeTime":"2026-11-30T10:01:05Z","lastTransitionTime":"2026-11-30T10:01:05Z","status":"True","type":"SuccessCriteriaMet"},{"lastProbeTime":"2026-11-30T10:01:05Z","lastTransitionTime":"2026-11-30T10:01:05Z","status":"True","type":"Complete"}],"ready":0,"startTime":"2026-11-30T10:00:00Z","succeeded":1,"terminating":0,"uncountedTerminatedPods":{}}}
        """;

    [Fact]
    public void Pod_FromJson_ReadsSpecAndStatus()
    {
        var pod = Pod.FromJson(JsonNode.Parse(PodJson)!.AsObject());

        Assert.Equal("web-7d9f8b6c5-x2x8p", pod.Metadata.Name);
        Assert.Equal("prod", pod.Metadata.Namespace);
        Assert.Equal("7d9f8b6c5", pod.Metadata.Labels["pod-template-hash"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 12, 44, TimeSpan.Zero), pod.Metadata.CreationTimestamp);
        Assert.Equal(["nginx", "log-shipper"], pod.Containers.Select(c => c.Name));
        Assert.Equal("busybox:1.36", Assert.Single(pod.InitContainers).Image);
        Assert.Equal(("Running", "10.244.1.17", "node-a"), (pod.Phase, pod.PodIP, pod.NodeName));
        Assert.Equal(new PodContainerStatus("nginx", true, 2, "running"), pod.ContainerStatuses[0]);
        Assert.Equal("waiting", pod.ContainerStatuses[1].State);
    }

    [Fact]
    public void Pod_ToJsonThenFromJson_RoundTrips()
    {
        var pod = Pod.FromJson(JsonNode.Parse(PodJson)!.AsObject());

        var again = Pod.FromJson(pod.ToJson());

        Assert.Equal(pod.Containers, again.Containers);
        Assert.Equal(pod.ContainerStatuses, again.ContainerStatuses);
        Assert.Equal(pod.Metadata.Labels, again.Metadata.Labels);
        Assert.Equal(pod.StartTime, again.StartTime);
    }

    [Fact]
    public void Job_FromJson_ReadsCountersAndCompleteCondition()
    {
        var job = Job.FromJson(JsonNode.Parse(JobJson)!.AsObject());

        Assert.True(job.IsComplete);
        Assert.False(job.IsFailed);
        Assert.Equal((1L, 0L, 0L, 4L), (job.Succeeded, job.Failed, job.Active, job.BackoffLimit!.Value));
        Assert.Equal(2, job.Conditions.Count);
        Assert.Equal(job.Conditions, Job.FromJson(job.ToJson()).Conditions);
    }

    [Fact]
    public void Secret_RoundTrip_DecodesBase64AndToStringHidesValues()
    {
        var json = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"sh.helm.release.v1.web.v3","namespace":"prod","labels":{"owner":"helm","name":"web","version":"3"}},"type":"helm.sh/release.v1","data":{"release":"SDRzSUFBQUFBQUFBLw=="},"stringData":{"note":"plain"}}
            """)!.AsObject();

        var secret = Secret.FromJson(json);

        Assert.Equal("helm.sh/release.v1", secret.SecretType);
        Assert.Equal("H4sIAAAAAAAA/", Encoding.ASCII.GetString(secret.Data["release"]));
        Assert.Equal("plain", Encoding.UTF8.GetString(secret.Data["note"]));
        Assert.DoesNotContain("SDRz", secret.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("plain", secret.ToString(), StringComparison.Ordinal);
        Assert.Contains("release", secret.ToString(), StringComparison.Ordinal);
        var back = secret.ToJson();
        Assert.Equal("SDRzSUFBQUFBQUFBLw==", back["data"]!["release"]!.GetValue<string>());
        Assert.Equal("Secret", back["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Secret_InvalidBase64_NamesKeyButNotValue()
    {
        var json = JsonNode.Parse("""{"metadata":{"name":"s"},"data":{"password":"not*base64!"}}""")!.AsObject();

        var ex = Assert.Throws<FormatException>(() => Secret.FromJson(json));

        Assert.Contains("Secret.data.password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*base64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigMap_WrongFieldType_NamesField()
    {
        var ex = Assert.Throws<FormatException>(() => ConfigMap.FromJson(JsonNode.Parse("""{"data":{"k":1}}""")!.AsObject()));
        Assert.Contains("ConfigMap.data.k", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypedExtensions_CreateAndGet_UseRecordTypeAndNamespace()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.Handler = (ctx, i) => i == 0
            ? FakeApiServer.Json(ctx, 201, Statuses.ConfigMap("web", "prod", "5", "hello"))
            : FakeApiServer.Json(ctx, 200, """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"prod"},"status":{"phase":"Active"}}""");
        using var client = new KubernetesClient(new KubernetesClientConfiguration { Server = server.Address, CertificateAuthorities = [TestCertificates.Shared.Ca] });

        var created = await client.CreateAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "web", Namespace = "prod" },
            Data = new Dictionary<string, string> { ["k"] = "hello" },
        });
        var ns = await client.GetAsync<Namespace>(null, "prod");

        Assert.Equal(("5", "hello"), (created.Metadata.ResourceVersion, created.Data["k"]));
        Assert.Equal("Active", ns.Phase);
        var requests = server.Snapshot();
        Assert.Equal("/api/v1/namespaces/prod/configmaps", requests[0].Path);
        Assert.Equal("/api/v1/namespaces/prod", requests[1].Path);
        Assert.Equal("hello", JsonNode.Parse(requests[0].Body)!["data"]!["k"]!.GetValue<string>());
    }
}
