using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Client;

namespace Platform.Kubernetes.Config;

/// <summary>
/// A resolved connection to one API server: address, TLS trust, client certificate, credentials and default
/// namespace. Built from kubeconfig files (<see cref="FromKubeconfig"/>), the pod's service account
/// (<see cref="InCluster"/>) or set directly.
/// </summary>
/// <remarks>
/// Immutable once built and safe to share. <see cref="object.ToString"/> never prints credentials.
/// </remarks>
public sealed class KubernetesClientConfiguration
{
    /// <summary>Gets the API server address, for example <c>https://127.0.0.1:6443</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>Gets the default namespace. Defaults to <c>default</c>.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Gets the kubeconfig context this configuration came from, or <see langword="null"/>.</summary>
    public string? ContextName { get; init; }

    /// <summary>Gets where this configuration came from (kubeconfig files, <c>in-cluster</c>, or <c>explicit</c>), for messages.</summary>
    public string Origin { get; init; } = "explicit";

    /// <summary>Gets the server name TLS verifies instead of the host of <see cref="Server"/> (<c>tls-server-name</c>), or <see langword="null"/>.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Gets whether the server certificate is not verified (<c>insecure-skip-tls-verify</c>). Defaults to <see langword="false"/>.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>
    /// Gets the proxy for this cluster (<c>proxy-url</c>: <c>http</c>, <c>https</c> or <c>socks5</c>), or
    /// <see langword="null"/> to use the process's proxy settings (<c>HTTPS_PROXY</c>, <c>NO_PROXY</c>; loopback never proxied).
    /// </summary>
    public Uri? ProxyUrl { get; init; }

    /// <summary>Gets the certificate authorities trusted for the server; empty to use the system trust store.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    /// <summary>Gets the client certificate (with its private key) presented to the server, or <see langword="null"/>.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Gets the static bearer token, or <see langword="null"/>.</summary>
    public string? BearerToken { get; init; }

    /// <summary>Gets a file holding the bearer token, re-read every minute and after a <c>401</c> (wins over <see cref="BearerToken"/>), or <see langword="null"/>.</summary>
    public string? BearerTokenFile { get; init; }

    /// <summary>Gets the basic-auth user name, or <see langword="null"/>.</summary>
    public string? Username { get; init; }

    /// <summary>Gets the basic-auth password, or <see langword="null"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Gets the exec credential plugin, or <see langword="null"/>.</summary>
    internal ExecConfig? Exec { get; init; }

    /// <summary>Gets the user name of the kubeconfig entry, for messages.</summary>
    internal string? UserName { get; init; }

    /// <summary>Loads the configuration the options select (explicit kubeconfig, <c>KUBECONFIG</c>, <c>~/.kube/config</c>, or in-cluster).</summary>
    /// <param name="options">The selection; see <see cref="KubernetesOptions.Source"/>.</param>
    /// <returns>The resolved configuration.</returns>
    /// <exception cref="KubernetesConfigurationException">No usable configuration was found, or it is invalid.</exception>
    public static KubernetesClientConfiguration Load(KubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var env = options.Environment ?? KubernetesEnvironment.FromProcess();
        switch (options.Source)
        {
            case KubernetesConfigSource.InCluster:
                return InCluster(env, options.Namespace);
            case KubernetesConfigSource.Kubeconfig:
                return FromKubeconfig(options.KubeconfigPath, options.Context, options.Namespace, env);
            default:
                // kubectl's order: explicit file, KUBECONFIG, ~/.kube/config; client-go falls back to the service
                // account when the merged kubeconfig is empty and no context was asked for.
                if (string.IsNullOrEmpty(options.KubeconfigPath) && string.IsNullOrEmpty(options.Context) && env.IsInCluster
                    && LoadKubeconfig(null, env).IsEmpty)
                {
                    return InCluster(env, options.Namespace);
                }

                return FromKubeconfig(options.KubeconfigPath, options.Context, options.Namespace, env);
        }
    }

    /// <summary>Loads a kubeconfig with kubectl's rules.</summary>
    /// <param name="path">An explicit file (<c>--kubeconfig</c>; must exist, nothing is merged), or <see langword="null"/> to use <c>KUBECONFIG</c> or <c>~/.kube/config</c>.</param>
    /// <param name="context">The context to use instead of <c>current-context</c>, or <see langword="null"/>.</param>
    /// <param name="namespace">The namespace to use instead of the context's, or <see langword="null"/>.</param>
    /// <param name="environment">The environment; <see langword="null"/> reads the process.</param>
    /// <returns>The resolved configuration.</returns>
    /// <exception cref="KubernetesConfigurationException">A file does not parse, or the context, cluster, user or a referenced file is missing or invalid.</exception>
    public static KubernetesClientConfiguration FromKubeconfig(string? path = null, string? context = null, string? @namespace = null, KubernetesEnvironment? environment = null)
    {
        var env = environment ?? KubernetesEnvironment.FromProcess();
        var config = LoadKubeconfig(path, env);
        var origin = config.Files.Count == 0 ? "kubeconfig (none found)" : "kubeconfig " + string.Join(Path.PathSeparator, config.Files);
        var contextName = string.IsNullOrEmpty(context) ? config.CurrentContext : context;
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubernetesConfigurationException(
                config.Files.Count == 0
                    ? "No kubeconfig found: set KUBECONFIG, pass a kubeconfig path, create ~/.kube/config, or run inside a pod."
                    : $"No context selected in {origin}: set current-context or choose a context.",
                config.Files.FirstOrDefault(),
                "current-context");
        }

        if (!config.Contexts.TryGetValue(contextName, out var ctx))
        {
            throw new KubernetesConfigurationException($"Context '{contextName}' is not defined in {origin}.", config.Files.FirstOrDefault(), $"contexts[{contextName}]");
        }

        if (string.IsNullOrEmpty(ctx.Cluster) || !config.Clusters.TryGetValue(ctx.Cluster, out var cluster))
        {
            throw new KubernetesConfigurationException(
                $"Cluster '{ctx.Cluster}' of context '{contextName}' is not defined in {origin}.", ctx.File, $"contexts[{contextName}].context.cluster");
        }

        KubeUser? user = null;
        if (!string.IsNullOrEmpty(ctx.User) && !config.Users.TryGetValue(ctx.User, out user))
        {
            throw new KubernetesConfigurationException(
                $"User '{ctx.User}' of context '{contextName}' is not defined in {origin}.", ctx.File, $"contexts[{contextName}].context.user");
        }

        if (string.IsNullOrEmpty(cluster.Server) || !Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
        {
            throw new KubernetesConfigurationException(
                $"Cluster '{cluster.Name}' in '{cluster.File}' needs an http(s) server address (clusters[{cluster.Name}].cluster.server), was '{cluster.Server}'.",
                cluster.File,
                $"clusters[{cluster.Name}].cluster.server");
        }

        Uri? proxy = null;
        if (!string.IsNullOrEmpty(cluster.ProxyUrl)
            && (!Uri.TryCreate(cluster.ProxyUrl, UriKind.Absolute, out proxy) || proxy.Scheme is not ("http" or "https" or "socks5")))
        {
            throw new KubernetesConfigurationException(
                $"clusters[{cluster.Name}].cluster.proxy-url in '{cluster.File}' must be an http, https or socks5 URL, was '{cluster.ProxyUrl}'.",
                cluster.File,
                $"clusters[{cluster.Name}].cluster.proxy-url");
        }

        var cas = new X509Certificate2Collection();
        var caSetting = $"clusters[{cluster.Name}].cluster.certificate-authority";
        var caPem = ReadPem(cluster.CertificateAuthorityData, cluster.CertificateAuthority, cluster.File, caSetting);
        if (caPem is not null)
        {
            if (cluster.InsecureSkipTlsVerify)
            {
                throw new KubernetesConfigurationException(
                    $"Cluster '{cluster.Name}' in '{cluster.File}' sets both a certificate authority and insecure-skip-tls-verify; kubectl refuses this combination.",
                    cluster.File,
                    $"clusters[{cluster.Name}].cluster.insecure-skip-tls-verify");
            }

            try
            {
                cas.ImportFromPem(caPem);
            }
            catch (CryptographicException ex)
            {
                throw new KubernetesConfigurationException($"{caSetting} in '{cluster.File}' is not a PEM certificate bundle: {ex.Message}", cluster.File, caSetting, ex);
            }

            if (cas.Count == 0)
            {
                throw new KubernetesConfigurationException($"{caSetting} in '{cluster.File}' holds no PEM certificate.", cluster.File, caSetting);
            }
        }

        X509Certificate2? clientCert = null;
        string? token = null;
        string? tokenFile = null;
        if (user is not null)
        {
            var at = $"users[{user.Name}].user";
            if (user.AuthProvider is not null)
            {
                throw new KubernetesConfigurationException(
                    $"User '{user.Name}' in '{user.File}' uses auth-provider '{user.AuthProvider}', which kubectl removed; use an exec credential plugin.", user.File, at + ".auth-provider");
            }

            var certPem = ReadPem(user.ClientCertificateData, user.ClientCertificate, user.File, at + ".client-certificate");
            var keyPem = ReadPem(user.ClientKeyData, user.ClientKey, user.File, at + ".client-key");
            if ((certPem is null) != (keyPem is null))
            {
                throw new KubernetesConfigurationException(
                    $"User '{user.Name}' in '{user.File}' needs both a client certificate and a client key; only the {(certPem is null ? "key" : "certificate")} is set.",
                    user.File,
                    at + (certPem is null ? ".client-certificate" : ".client-key"));
            }

            if (certPem is not null)
            {
                clientCert = LoadClientCertificate(certPem, keyPem!, user.File, at);
            }

            token = string.IsNullOrEmpty(user.Token) ? null : user.Token;
            if (user.TokenFile is not null)
            {
                if (!File.Exists(user.TokenFile))
                {
                    throw new KubernetesConfigurationException($"{at}.tokenFile '{user.TokenFile}' in '{user.File}' does not exist.", user.File, at + ".tokenFile");
                }

                tokenFile = user.TokenFile;
            }
        }

        return new KubernetesClientConfiguration
        {
            Server = server,
            Namespace = FirstNonEmpty(@namespace, ctx.Namespace) ?? "default",
            ContextName = contextName,
            Origin = origin,
            TlsServerName = string.IsNullOrEmpty(cluster.TlsServerName) ? null : cluster.TlsServerName,
            ProxyUrl = proxy,
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            CertificateAuthorities = cas,
            ClientCertificate = clientCert,
            BearerToken = token,
            BearerTokenFile = tokenFile,
            Username = user?.Username,
            Password = user?.Password,
            Exec = user?.Exec,
            UserName = user?.Name,
        };
    }

    /// <summary>Builds the configuration of a pod's service account, as client-go's <c>InClusterConfig</c>.</summary>
    /// <param name="environment">The environment; <see langword="null"/> reads the process.</param>
    /// <param name="namespace">The namespace to use instead of <c>POD_NAMESPACE</c> or the service-account namespace, or <see langword="null"/>.</param>
    /// <returns>The configuration: <c>https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT</c>, the token file (re-read), the CA.</returns>
    /// <exception cref="KubernetesConfigurationException">Not running in a pod, or the token is missing.</exception>
    public static KubernetesClientConfiguration InCluster(KubernetesEnvironment? environment = null, string? @namespace = null)
    {
        var env = environment ?? KubernetesEnvironment.FromProcess();
        if (!env.IsInCluster)
        {
            throw new KubernetesConfigurationException(
                "Not running in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set for in-cluster configuration.", setting: "KUBERNETES_SERVICE_HOST");
        }

        var host = env.ServiceHost!;
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }

        if (!int.TryParse(env.ServicePort, out var port) || port is < 1 or > 65535)
        {
            throw new KubernetesConfigurationException($"KUBERNETES_SERVICE_PORT must be a port number, was '{env.ServicePort}'.", setting: "KUBERNETES_SERVICE_PORT");
        }

        var dir = env.ServiceAccountDirectory;
        var tokenFile = Path.Combine(dir, "token");
        if (!File.Exists(tokenFile))
        {
            throw new KubernetesConfigurationException($"The service-account token '{tokenFile}' does not exist.", tokenFile, "serviceaccount/token");
        }

        var cas = new X509Certificate2Collection();
        var caFile = Path.Combine(dir, "ca.crt");
        if (File.Exists(caFile))
        {
            try
            {
                cas.ImportFromPemFile(caFile);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException)
            {
                throw new KubernetesConfigurationException($"The service-account CA '{caFile}' is not a PEM certificate bundle: {ex.Message}", caFile, "serviceaccount/ca.crt", ex);
            }
        }

        var ns = @namespace;
        if (string.IsNullOrEmpty(ns))
        {
            ns = env.PodNamespace;
        }

        var nsFile = Path.Combine(dir, "namespace");
        if (string.IsNullOrEmpty(ns) && File.Exists(nsFile))
        {
            ns = File.ReadAllText(nsFile).Trim();
        }

        return new KubernetesClientConfiguration
        {
            Server = new Uri($"https://{host}:{port}"),
            Namespace = string.IsNullOrEmpty(ns) ? "default" : ns,
            Origin = "in-cluster",
            CertificateAuthorities = cas,
            BearerTokenFile = tokenFile,
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Server} (namespace {Namespace}, {Origin}{(ContextName is null ? "" : ", context " + ContextName)})";

    internal static List<string> SplitKubeconfigVariable(string? value) =>
        string.IsNullOrEmpty(value)
            ? []
            : value.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    internal static Kubeconfig LoadKubeconfig(string? path, KubernetesEnvironment env)
    {
        if (!string.IsNullOrEmpty(path))
        {
            if (!File.Exists(path))
            {
                throw new KubernetesConfigurationException($"Kubeconfig '{path}' does not exist.", path);
            }

            return Kubeconfig.Merge([Kubeconfig.LoadFile(path)]);
        }

        var list = SplitKubeconfigVariable(env.KubeconfigVariable);
        if (list.Count > 0)
        {
            // kubectl skips KUBECONFIG entries that do not exist.
            return Kubeconfig.Merge(list.Where(File.Exists).Select(Kubeconfig.LoadFile).ToList());
        }

        return env.DefaultKubeconfigPath is { } def && File.Exists(def) ? Kubeconfig.Merge([Kubeconfig.LoadFile(def)]) : new Kubeconfig();
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static string? ReadPem(string? data, string? file, string kubeconfig, string setting)
    {
        // As client-go: inline data wins over the file.
        if (!string.IsNullOrEmpty(data))
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException ex)
            {
                throw new KubernetesConfigurationException($"{setting}-data in '{kubeconfig}' is not valid base64.", kubeconfig, setting + "-data", ex);
            }
        }

        if (string.IsNullOrEmpty(file))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConfigurationException($"{setting} '{file}' (from '{kubeconfig}') cannot be read: {ex.Message}", kubeconfig, setting, ex);
        }
    }

    internal static X509Certificate2 LoadClientCertificate(string certPem, string keyPem, string source, string setting)
    {
        try
        {
            // CreateFromPem reads PKCS#8, PKCS#1 RSA and SEC1 EC keys.
            return X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        catch (CryptographicException ex)
        {
            throw new KubernetesConfigurationException(
                $"The client certificate and key of {setting} in '{source}' cannot be loaded (expected a PEM certificate and its matching RSA or EC private key): {ex.Message}",
                source,
                setting,
                ex);
        }
        catch (ArgumentException ex)
        {
            throw new KubernetesConfigurationException(
                $"The client certificate and key of {setting} in '{source}' cannot be loaded (expected a PEM certificate and its matching RSA or EC private key): {ex.Message}",
                source,
                setting,
                ex);
        }
    }

    internal JsonObject ExecClusterInfo()
    {
        var cluster = new JsonObject { ["server"] = Server.ToString().TrimEnd('/') };
        if (TlsServerName is not null)
        {
            cluster["tls-server-name"] = TlsServerName;
        }

        if (InsecureSkipTlsVerify)
        {
            cluster["insecure-skip-tls-verify"] = true;
        }

        if (CertificateAuthorities.Count > 0)
        {
            var pem = new StringBuilder();
            foreach (var ca in CertificateAuthorities)
            {
                pem.Append(ca.ExportCertificatePem()).Append('\n');
            }

            cluster["certificate-authority-data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pem.ToString()));
        }

        return cluster;
    }
}
