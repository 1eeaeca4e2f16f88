using System.Reflection;
using Platform.Kubernetes.Emulator;

namespace Platform.Kubernetes.Tests.Emulator;

/// <summary>Pins the emulator's public API: other packages' tests and benchmarks build on it, so changes must be deliberate.</summary>
public sealed class EmulatorPublicApiTests
{
    private static readonly string[] Expected =
    [
        "EmulatorFaults.AppliesTo",
        "EmulatorFaults.DropWatchesAfterEvents",
        "EmulatorFaults.FailNext(Int32,Int32)",
        "EmulatorFaults.InjectedFailures",
        "EmulatorFaults.InternalErrorRate",
        "EmulatorFaults.Latency",
        "EmulatorFaults.Reset()",
        "EmulatorFaults.RetryAfter",
        "EmulatorFaults.TooManyRequestsRate",
        "EmulatorOptions.BookmarkInterval",
        "EmulatorOptions.ContinueTokenLifetime",
        "EmulatorOptions.DefaultWatchTimeout",
        "EmulatorOptions.EnableHttp",
        "EmulatorOptions.HttpPort",
        "EmulatorOptions.HttpsPort",
        "EmulatorOptions.KubernetesVersion",
        "EmulatorOptions.MaxListSnapshots",
        "EmulatorOptions.MaxPodLogBytes",
        "EmulatorOptions.MaxRequestBodyBytes",
        "EmulatorOptions.RandomSeed",
        "EmulatorOptions.ResourceTypes",
        "EmulatorOptions.TimeProvider",
        "EmulatorOptions.Token",
        "EmulatorOptions.WatchHistoryLimit",
        "EmulatorRequest.IsWatch",
        "EmulatorRequest.Method",
        "EmulatorRequest.Path",
        "EmulatorResourceType.ApiVersion",
        "EmulatorResourceType.BuiltIn",
        "EmulatorResourceType.Categories",
        "EmulatorResourceType.Group",
        "EmulatorResourceType.Kind",
        "EmulatorResourceType.Namespaced",
        "EmulatorResourceType.Plural",
        "EmulatorResourceType.ShortNames",
        "EmulatorResourceType.Singular",
        "EmulatorResourceType.Version",
        "KubeconfigCredentials.ClientCertificate",
        "KubeconfigCredentials.Token",
        "KubernetesEmulator.AppendPodLog(String,String,String,String)",
        "KubernetesEmulator.CertificateAuthority",
        "KubernetesEmulator.CertificateAuthorityPem",
        "KubernetesEmulator.ClientCertificatePem",
        "KubernetesEmulator.ClientKeyPem",
        "KubernetesEmulator.CompactHistory()",
        "KubernetesEmulator.CompletePodLog(String,String,String)",
        "KubernetesEmulator.CreateHttpClient(Boolean)",
        "KubernetesEmulator.DisposeAsync()",
        "KubernetesEmulator.Faults",
        "KubernetesEmulator.GetKubeconfig(KubeconfigCredentials)",
        "KubernetesEmulator.HttpEndpoint",
        "KubernetesEmulator.HttpsEndpoint",
        "KubernetesEmulator.MaxManifestFileBytes",
        "KubernetesEmulator.ObjectCount",
        "KubernetesEmulator.RegisterResourceType(EmulatorResourceType)",
        "KubernetesEmulator.ResourceVersion",
        "KubernetesEmulator.SeedAsync(JsonObject,CancellationToken)",
        "KubernetesEmulator.SeedDirectoryAsync(String,CancellationToken)",
        "KubernetesEmulator.SeedManyAsync(IEnumerable`1,CancellationToken)",
        "KubernetesEmulator.SetPodLog(String,String,String,String,Boolean)",
        "KubernetesEmulator.StartAsync(EmulatorOptions,CancellationToken)",
        "KubernetesEmulator.Token",
        "KubernetesEmulator.WriteKubeconfigAsync(String,KubeconfigCredentials,CancellationToken)",
        "KubernetesEmulatorException.Line",
        "KubernetesEmulatorException.Reason",
        "KubernetesEmulatorException.Source",
        "KubernetesEmulatorException.StatusCode",
    ];

    [Fact]
    public void PublicApi_IsPinned()
    {
        Assembly assembly = typeof(KubernetesEmulator).Assembly;
        var actual = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Type type in assembly.GetExportedTypes())
        {
            Assert.True(type.IsSealed || type.IsEnum, $"{type.Name} must be sealed");
            foreach (MemberInfo member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                string? name = member switch
                {
                    PropertyInfo p => p.Name,
                    FieldInfo f when !f.IsSpecialName => f.Name,
                    MethodInfo m when !m.IsSpecialName && !IsRecordPlumbing(m) => $"{m.Name}({string.Join(',', m.GetParameters().Select(p => p.ParameterType.Name))})",
                    _ => null,
                };
                if (name is not null)
                {
                    actual.Add(type.Name + "." + name);
                }
            }
        }

        Assert.Equal(Expected.Order(StringComparer.Ordinal), actual);
    }

    private static bool IsRecordPlumbing(MethodInfo m) =>
        m.Name is "Equals" or "GetHashCode" or "ToString" or "Deconstruct" or "<Clone>$" or "PrintMembers";
}
