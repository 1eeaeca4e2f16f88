using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Tests.Client;

namespace Platform.Kubernetes.Tests.Config;

/// <summary>
/// Kubeconfig files written by the real <c>kubectl config</c> commands, and the configuration the real
/// <c>kubectl config view --minify --flatten --raw</c> resolves from them, compared with ours.
/// </summary>
public sealed class KubectlConformanceTests(KubectlConformanceTests.Files files) : IClassFixture<KubectlConformanceTests.Files>
{
    private readonly TempDirectory _dir = files.Directory;

    private string WriteWithKubectl() => files.Variable;

    private string Kubectl(string? kubeconfigVariable, params string[] args) => Files.Kubectl(_dir, kubeconfigVariable, args);

    /// <summary>The kubeconfig files, written once per class by kubectl (each kubectl run takes a while).</summary>
    public sealed class Files : IDisposable
    {
        public Files()
        {
            Variable = Write();
        }

        internal TempDirectory Directory { get; } = new();

        public string Variable { get; }

        public void Dispose() => Directory.Dispose();

        internal static string Kubectl(TempDirectory dir, string? kubeconfigVariable, params string[] args)
        {
            var start = new ProcessStartInfo("kubectl")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir.Path,
            };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["HOME"] = dir.Path;
            if (kubeconfigVariable is null)
            {
                start.Environment.Remove("KUBECONFIG");
            }
            else
            {
                start.Environment["KUBECONFIG"] = kubeconfigVariable;
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "kubectl did not finish within 60 s");
            Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
            return stdout.Result;
        }

        private void Config(string file, params string[] args) => Kubectl(Directory, null, ["config", "--kubeconfig=" + Path.Combine(Directory.Path, file), .. args]);

        /// <summary>Writes two files with kubectl: a/config and b/config sharing names, b with the current context.</summary>
        private string Write()
        {
            var d = Directory.Path;
            var certs = TestCertificates.Shared;
            Directory.Write("a/pki/ca.crt", certs.CaPem);
            Directory.Write("b/pki/ec.crt", certs.EcClientCertPem);
            Directory.Write("b/pki/ec.key", certs.EcClientKeyPem);
            Config("a/config", "set-cluster", "shared", "--server=https://first.example:6443", "--certificate-authority=" + Path.Combine(d, "a/pki/ca.crt"), "--embed-certs=true");
            Config("a/config", "set-credentials", "dev", "--token=first-token");
            Config("a/config", "set-context", "one", "--cluster=shared", "--user=dev");
            Config("b/config", "set-cluster", "shared", "--server=https://second.example:6443", "--insecure-skip-tls-verify=true");
            Config("b/config", "set-cluster", "edge", "--server=https://edge.example:443", "--tls-server-name=api.edge.internal", "--insecure-skip-tls-verify=true");
            Config("b/config", "set-credentials", "dev", "--token=second-token");
            Config("b/config", "set-credentials", "cert", "--client-certificate=" + Path.Combine(d, "b/pki/ec.crt"), "--client-key=" + Path.Combine(d, "b/pki/ec.key"));
            Config("b/config", "set-credentials", "exec", "--exec-command=./bin/login", "--exec-api-version=client.authentication.k8s.io/v1", "--exec-interactive-mode=Never", "--exec-arg=--audience", "--exec-arg=k8s", "--exec-env=REGION=eu-1");
            Config("b/config", "set-context", "two", "--cluster=shared", "--user=dev", "--namespace=team-b");
            Config("b/config", "set-context", "certs", "--cluster=edge", "--user=cert", "--namespace=edge-ns");
            Config("b/config", "set-context", "plugin", "--cluster=edge", "--user=exec");
            Config("b/config", "use-context", "two");
            return string.Join(Path.PathSeparator, Path.Combine(d, "a/config"), Path.Combine(d, "missing/config"), Path.Combine(d, "b/config"));
        }
    }

    private JsonObject KubectlView(string kubeconfigVariable, string? context)
    {
        string[] args = ["config", "view", "--minify", "--flatten", "--raw", "-o", "json"];
        if (context is not null)
        {
            args = [.. args, "--context=" + context];
        }

        return JsonNode.Parse(Kubectl(kubeconfigVariable, args))!.AsObject();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("one")]
    [InlineData("certs")]
    public void FromKubeconfig_KubectlWrittenFiles_ResolveAsKubectlResolvesThem(string? context)
    {
        var variable = WriteWithKubectl();
        var view = KubectlView(variable, context);

        var ours = KubernetesClientConfiguration.FromKubeconfig(context: context, environment: new KubernetesEnvironment { KubeconfigVariable = variable, HomeDirectory = _dir.Path });

        var cluster = view["clusters"]![0]!["cluster"]!;
        var user = view["users"]![0]!["user"]!;
        var ctx = view["contexts"]![0]!["context"]!;
        Assert.Equal(view["current-context"]!.GetValue<string>(), ours.ContextName);
        Assert.Equal(new Uri(cluster["server"]!.GetValue<string>()), ours.Server);
        Assert.Equal(ctx["namespace"]?.GetValue<string>() ?? "default", ours.Namespace);
        Assert.Equal(cluster["insecure-skip-tls-verify"]?.GetValue<bool>() ?? false, ours.InsecureSkipTlsVerify);
        Assert.Equal(cluster["tls-server-name"]?.GetValue<string>(), ours.TlsServerName);
        Assert.Equal(user["token"]?.GetValue<string>(), ours.BearerToken);
        if (cluster["certificate-authority-data"] is { } caData)
        {
            var expected = X509CertificateLoader.LoadCertificate(
                Convert.FromBase64String(Encoding.ASCII.GetString(Convert.FromBase64String(caData.GetValue<string>())).Split("-----")[2].Trim()));
            Assert.Equal(expected.Thumbprint, Assert.Single(ours.CertificateAuthorities).Thumbprint);
        }
        else
        {
            Assert.Empty(ours.CertificateAuthorities);
        }

        if (user["client-certificate-data"] is { } certData)
        {
            var pem = Encoding.ASCII.GetString(Convert.FromBase64String(certData.GetValue<string>()));
            Assert.Equal(X509Certificate2.CreateFromPem(pem).Thumbprint, ours.ClientCertificate!.Thumbprint);
        }
        else
        {
            Assert.Null(ours.ClientCertificate);
        }
    }

    [Fact]
    public void FromKubeconfig_KubectlWrittenExecUser_KeepsCommandArgsAndEnv()
    {
        var variable = WriteWithKubectl();
        var view = KubectlView(variable, "plugin");

        var ours = KubernetesClientConfiguration.FromKubeconfig(context: "plugin", environment: new KubernetesEnvironment { KubeconfigVariable = variable, HomeDirectory = _dir.Path });

        var exec = view["users"]![0]!["user"]!["exec"]!;
        Assert.NotNull(ours.Exec);
        Assert.Equal(exec["apiVersion"]!.GetValue<string>(), ours.Exec.ApiVersion);
        Assert.Equal(exec["args"]!.AsArray().Select(a => a!.GetValue<string>()), ours.Exec.Args);
        Assert.Equal(exec["env"]!.AsArray().Select(e => KeyValuePair.Create(e!["name"]!.GetValue<string>(), e["value"]!.GetValue<string>())), ours.Exec.Env);
        Assert.Equal(exec["interactiveMode"]!.GetValue<string>(), ours.Exec.InteractiveMode);

        // As client-go, a command with a path separator resolves against the directory of the kubeconfig that names it.
        Assert.EndsWith("bin/login", exec["command"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Path.Combine(_dir.Path, "b", "bin", "login"), ours.Exec.Command);
    }
}
