using Platform.Kubernetes.Client;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Platform.Kubernetes.Config;

/// <summary>A cluster entry of a kubeconfig; relative paths are already resolved against the file's directory.</summary>
internal sealed record KubeCluster(
    string Name,
    string File,
    string? Server,
    string? CertificateAuthority,
    string? CertificateAuthorityData,
    bool InsecureSkipTlsVerify,
    string? TlsServerName,
    string? ProxyUrl);

/// <summary>A user (auth info) entry of a kubeconfig.</summary>
internal sealed record KubeUser(
    string Name,
    string File,
    string? Token,
    string? TokenFile,
    string? ClientCertificate,
    string? ClientCertificateData,
    string? ClientKey,
    string? ClientKeyData,
    string? Username,
    string? Password,
    ExecConfig? Exec,
    string? AuthProvider);

/// <summary>A context entry of a kubeconfig.</summary>
internal sealed record KubeContext(string Name, string File, string? Cluster, string? User, string? Namespace);

/// <summary>The <c>exec</c> credential plugin settings of a user.</summary>
internal sealed record ExecConfig(
    string ApiVersion,
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    string? InstallHint,
    bool ProvideClusterInfo,
    string InteractiveMode);

/// <summary>
/// One or more kubeconfig files merged with kubectl's loading rules: the first file that defines a cluster, user
/// or context name wins, and the first file that sets <c>current-context</c> wins.
/// </summary>
internal sealed class Kubeconfig
{
    /// <summary>The largest kubeconfig file read, in bytes (16 MiB).</summary>
    internal const long MaxFileBytes = 16 * 1024 * 1024;

    public Dictionary<string, KubeCluster> Clusters { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, KubeUser> Users { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, KubeContext> Contexts { get; } = new(StringComparer.Ordinal);

    public string? CurrentContext { get; private set; }

    public List<string> Files { get; } = [];

    /// <summary>Gets whether nothing usable was loaded (client-go's empty-config test, which allows the in-cluster fallback).</summary>
    public bool IsEmpty => Clusters.Count == 0 && Contexts.Count == 0 && Users.Count == 0 && string.IsNullOrEmpty(CurrentContext);

    /// <summary>Merges files in order; a later file never overrides a name or setting an earlier one defined.</summary>
    public static Kubeconfig Merge(IEnumerable<Kubeconfig> files)
    {
        var merged = new Kubeconfig();
        foreach (var file in files)
        {
            merged.Files.AddRange(file.Files);
            foreach (var (k, v) in file.Clusters)
            {
                merged.Clusters.TryAdd(k, v);
            }

            foreach (var (k, v) in file.Users)
            {
                merged.Users.TryAdd(k, v);
            }

            foreach (var (k, v) in file.Contexts)
            {
                merged.Contexts.TryAdd(k, v);
            }

            if (string.IsNullOrEmpty(merged.CurrentContext) && !string.IsNullOrEmpty(file.CurrentContext))
            {
                merged.CurrentContext = file.CurrentContext;
            }
        }

        return merged;
    }

    public static Kubeconfig LoadFile(string path)
    {
        string text;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxFileBytes)
            {
                throw new KubernetesConfigurationException(
                    $"Kubeconfig '{path}' is {info.Length} bytes; at most {MaxFileBytes} bytes are read.", path);
            }

            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConfigurationException($"Kubeconfig '{path}' cannot be read: {ex.Message}", path, innerException: ex);
        }

        return Parse(text, Path.GetFullPath(path));
    }

    public static Kubeconfig Parse(string text, string path)
    {
        var config = new Kubeconfig();
        config.Files.Add(path);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new KubernetesConfigurationException(
                $"Kubeconfig '{path}' is not valid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}", path, innerException: ex);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return config;
        }

        var reader = new Reader(path, Path.GetDirectoryName(path) ?? ".");
        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw reader.Error(yaml.Documents[0].RootNode, "", "a mapping (apiVersion, kind: Config, clusters, users, contexts)");
        }

        config.CurrentContext = reader.String(root, "current-context", "");
        foreach (var (item, where) in reader.NamedList(root, "clusters"))
        {
            var name = reader.Name(item, where);
            var body = reader.Map(item, "cluster", where);
            var at = $"clusters[{name}].cluster";
            var cluster = new KubeCluster(
                name,
                path,
                reader.String(body, "server", at),
                reader.FilePath(body, "certificate-authority", at),
                reader.String(body, "certificate-authority-data", at),
                reader.Bool(body, "insecure-skip-tls-verify", at),
                reader.String(body, "tls-server-name", at),
                reader.String(body, "proxy-url", at));
            if (!config.Clusters.TryAdd(name, cluster))
            {
                throw reader.Error(item, where, $"a unique name, but cluster '{name}' is defined twice");
            }
        }

        foreach (var (item, where) in reader.NamedList(root, "users"))
        {
            var name = reader.Name(item, where);
            var body = reader.Map(item, "user", where);
            var at = $"users[{name}].user";
            ExecConfig? exec = null;
            if (reader.OptionalMap(body, "exec", at) is { } execNode)
            {
                exec = reader.Exec(execNode, at + ".exec");
            }

            string? authProvider = null;
            if (reader.OptionalMap(body, "auth-provider", at) is { } provider)
            {
                authProvider = reader.String(provider, "name", at + ".auth-provider") ?? "(unnamed)";
            }

            var user = new KubeUser(
                name,
                path,
                reader.String(body, "token", at),
                reader.FilePath(body, "tokenFile", at),
                reader.FilePath(body, "client-certificate", at),
                reader.String(body, "client-certificate-data", at),
                reader.FilePath(body, "client-key", at),
                reader.String(body, "client-key-data", at),
                reader.String(body, "username", at),
                reader.String(body, "password", at),
                exec,
                authProvider);
            if (!config.Users.TryAdd(name, user))
            {
                throw reader.Error(item, where, $"a unique name, but user '{name}' is defined twice");
            }
        }

        foreach (var (item, where) in reader.NamedList(root, "contexts"))
        {
            var name = reader.Name(item, where);
            var body = reader.Map(item, "context", where);
            var at = $"contexts[{name}].context";
            var context = new KubeContext(
                name,
                path,
                reader.String(body, "cluster", at),
                reader.String(body, "user", at),
                reader.String(body, "namespace", at));
            if (!config.Contexts.TryAdd(name, context))
            {
                throw reader.Error(item, where, $"a unique name, but context '{name}' is defined twice");
            }
        }

        return config;
    }

    private sealed class Reader(string file, string directory)
    {
        public KubernetesConfigurationException Error(YamlNode node, string setting, string expected) =>
            new($"Kubeconfig '{file}' line {node.Start.Line}, column {node.Start.Column}{(setting.Length == 0 ? "" : $" ({setting})")}: expected {expected}.", file, setting.Length == 0 ? null : setting);

        public IEnumerable<(YamlMappingNode Item, string Where)> NamedList(YamlMappingNode root, string key)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
            {
                yield break;
            }

            if (node is not YamlSequenceNode list)
            {
                throw Error(node, key, "a list");
            }

            var index = 0;
            foreach (var item in list)
            {
                var where = $"{key}[{index}]";
                if (item is not YamlMappingNode map)
                {
                    throw Error(item, where, "a mapping with 'name'");
                }

                yield return (map, where);
                index++;
            }
        }

        public string Name(YamlMappingNode item, string where) =>
            String(item, "name", where) is { Length: > 0 } name ? name : throw Error(item, where + ".name", "a non-empty name");

        public YamlMappingNode Map(YamlMappingNode parent, string key, string where) =>
            OptionalMap(parent, key, where) ?? new YamlMappingNode();

        public YamlMappingNode? OptionalMap(YamlMappingNode parent, string key, string where)
        {
            if (!parent.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
            {
                return null;
            }

            return node as YamlMappingNode ?? throw Error(node, Join(where, key), "a mapping");
        }

        public string? String(YamlMappingNode parent, string key, string where)
        {
            if (!parent.Children.TryGetValue(new YamlScalarNode(key), out var node) || IsNull(node))
            {
                return null;
            }

            return node is YamlScalarNode scalar ? scalar.Value : throw Error(node, Join(where, key), "a string");
        }

        public string? FilePath(YamlMappingNode parent, string key, string where) =>
            String(parent, key, where) is { Length: > 0 } value ? Resolve(value) : null;

        public bool Bool(YamlMappingNode parent, string key, string where)
        {
            var value = String(parent, key, where);
            if (value is null)
            {
                return false;
            }

            return value.ToLowerInvariant() switch
            {
                "true" or "yes" or "on" or "y" => true,
                "false" or "no" or "off" or "n" or "" => false,
                _ => throw Error(parent.Children[new YamlScalarNode(key)], Join(where, key), $"true or false, not '{value}'"),
            };
        }

        public ExecConfig Exec(YamlMappingNode node, string where)
        {
            var command = String(node, "command", where);
            if (string.IsNullOrEmpty(command))
            {
                throw Error(node, where + ".command", "the plugin command");
            }

            // As client-go: a command with a path separator is relative to the kubeconfig; a bare name is looked up on PATH.
            if (command.Contains('/', StringComparison.Ordinal) || command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                command = Resolve(command);
            }

            var args = new List<string>();
            if (node.Children.TryGetValue(new YamlScalarNode("args"), out var argsNode) && !IsNull(argsNode))
            {
                if (argsNode is not YamlSequenceNode seq)
                {
                    throw Error(argsNode, where + ".args", "a list of strings");
                }

                foreach (var a in seq)
                {
                    args.Add(a is YamlScalarNode s ? s.Value ?? "" : throw Error(a, where + ".args", "a string"));
                }
            }

            var env = new List<KeyValuePair<string, string>>();
            if (node.Children.TryGetValue(new YamlScalarNode("env"), out var envNode) && !IsNull(envNode))
            {
                if (envNode is not YamlSequenceNode seq)
                {
                    throw Error(envNode, where + ".env", "a list of {name, value}");
                }

                foreach (var e in seq)
                {
                    if (e is not YamlMappingNode m || String(m, "name", where + ".env") is not { Length: > 0 } n)
                    {
                        throw Error(e, where + ".env", "an entry with 'name' and 'value'");
                    }

                    env.Add(new(n, String(m, "value", where + ".env") ?? ""));
                }
            }

            var apiVersion = String(node, "apiVersion", where) ?? "";
            var mode = String(node, "interactiveMode", where);
            if (string.IsNullOrEmpty(mode))
            {
                // client-go: v1 requires the field; older versions default to IfAvailable.
                if (apiVersion == ExecCredentialProvider.V1)
                {
                    throw Error(node, where + ".interactiveMode", "Never, IfAvailable or Always (required by client.authentication.k8s.io/v1)");
                }

                mode = "IfAvailable";
            }
            else if (mode is not ("Never" or "IfAvailable" or "Always"))
            {
                throw Error(node, where + ".interactiveMode", $"Never, IfAvailable or Always, not '{mode}'");
            }

            return new ExecConfig(apiVersion, command, args, env, String(node, "installHint", where), Bool(node, "provideClusterInfo", where), mode);
        }

        private string Resolve(string value)
        {
            return Path.IsPathRooted(value) ? value : Path.GetFullPath(Path.Combine(directory, value));
        }

        private static string Join(string where, string key) => where.Length == 0 ? key : where + "." + key;

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };
    }
}
