using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Charts.Values;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Releases;

namespace PlatformCtl;

/// <summary><c>platformctl releases …</c>: Helm releases from the cluster (or SQL), through the release catalog.</summary>
internal static class ReleasesCommands
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var releases = new Command("releases", "List and inspect Helm releases (storage as HELM_DRIVER selects: secret, configmap, sql, memory).");
        releases.Subcommands.Add(CreateList());
        releases.Subcommands.Add(CreateGet());
        return releases;
    }

    private static Command CreateList()
    {
        var ns = new Option<string?>("--namespace", "-n") { Description = "The namespace (default: the kubeconfig context's)." };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "List releases across all namespaces." };
        var filter = new Option<string?>("--filter", "-f") { Description = "A regular expression; releases whose name matches are listed." };
        var chart = new Option<string?>("--chart") { Description = "Only releases of this chart name." };
        var status = new Option<string[]>("--status") { Description = "deployed, failed, pending, superseded, uninstalled, uninstalling, unknown or all; repeatable (default: deployed and failed)." };
        var selector = new Option<string?>("--selector", "-l") { Description = "A label selector (k=v, k!=v, k, !k, k in (a,b))." };
        var sort = new Option<string>("--sort") { Description = "Sort by name or by date (oldest first).", DefaultValueFactory = _ => "name" };
        sort.AcceptOnlyFromAmong("name", "date");
        var reverse = new Option<bool>("--reverse", "-r") { Description = "Reverse the sort order." };
        var max = new Option<int>("--max", "-m") { Description = "The most releases to print (0: all).", DefaultValueFactory = _ => 256 };
        var offset = new Option<int>("--offset") { Description = "How many releases to skip." };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig file (default: KUBECONFIG, then ~/.kube/config)." };

        var list = new Command("list", "List releases with helm list semantics (latest revision per release, then the status filter).")
        {
            ns, all, filter, chart, status, selector, sort, reverse, max, offset, output, kubeconfig,
        };
        list.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(all) && parse.GetValue(ns) is not null)
            {
                throw new UsageException("--namespace and --all-namespaces exclude each other");
            }

            if (parse.GetValue(max) < 0 || parse.GetValue(offset) < 0)
            {
                throw new UsageException("--max and --offset must not be negative");
            }

            var query = new ReleaseListQuery
            {
                Filter = parse.GetValue(filter),
                ChartName = parse.GetValue(chart),
                States = ParseStates(parse.GetValue(status) ?? []),
                LabelSelector = parse.GetValue(selector),
                Sort = parse.GetValue(sort) == "date" ? ReleaseSort.Date : ReleaseSort.Name,
                Reverse = parse.GetValue(reverse),
                Max = parse.GetValue(max),
                Offset = parse.GetValue(offset),
            };

            await using var backend = ReleaseBackendFactory.Open(parse.GetValue(kubeconfig), parse.GetValue(ns));
            query = query with { Namespace = parse.GetValue(all) ? null : backend.Namespace };
            var options = new ReleaseCatalogOptions { Store = backend.Backend.Kind, Namespace = query.Namespace };
            await using var catalog = new ReleaseCatalog(backend.Backend.Store, backend.Backend.Feed, options);
            await SyncOrFailAsync(catalog, cancellationToken).ConfigureAwait(false);
            foreach (ReleaseDiagnostic skipped in catalog.Status.Skipped)
            {
                Cli.Warn("skipped " + skipped.Message);
            }

            ReleaseQueryResult result;
            try
            {
                result = catalog.Query(query);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }

            if (parse.GetValue(output) == "json")
            {
                var array = new JsonArray();
                foreach (ReleaseSummary s in result.Items)
                {
                    array.Add(new JsonObject
                    {
                        ["name"] = s.Name,
                        ["namespace"] = s.Namespace,
                        ["revision"] = s.Revision.ToString(CultureInfo.InvariantCulture),
                        ["updated"] = GoTime(s.Updated),
                        ["status"] = s.Status.ToHelmString(),
                        ["chart"] = s.Chart,
                        ["app_version"] = s.AppVersion,
                    });
                }

                Console.Out.WriteLine(array.ToJsonString(Json));
            }
            else
            {
                WriteTable(
                    ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"],
                    result.Items.Select(s => new[] { s.Name, s.Namespace, s.Revision.ToString(CultureInfo.InvariantCulture), GoTime(s.Updated), s.Status.ToHelmString(), s.Chart, s.AppVersion }));
            }

            return Cli.Success;
        });
        return list;
    }

    private static Command CreateGet()
    {
        var name = new Argument<string>("NAME") { Description = "The release name." };
        var what = new Argument<string>("WHAT") { Description = "values, manifest, notes or history." };
        what.AcceptOnlyFromAmong("values", "manifest", "notes", "history");
        var ns = new Option<string?>("--namespace", "-n") { Description = "The namespace (default: the kubeconfig context's)." };
        var revision = new Option<int?>("--revision") { Description = "The revision (default: the latest)." };
        var output = new Option<string>("--output", "-o") { Description = "Output format: table (values: with a header), yaml (values) or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "yaml", "json");
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The kubeconfig file (default: KUBECONFIG, then ~/.kube/config)." };

        var get = new Command("get", "Print one release's values, manifest, notes or history, loaded from the store.")
        {
            name, what, ns, revision, output, kubeconfig,
        };
        get.SetAction(async (parse, cancellationToken) =>
        {
            string release = parse.GetValue(name)!;
            string format = parse.GetValue(output) ?? "table";
            if (parse.GetValue(revision) is < 1)
            {
                throw new UsageException("--revision must be 1 or more");
            }

            await using var backend = ReleaseBackendFactory.Open(parse.GetValue(kubeconfig), parse.GetValue(ns));
            IReleaseStore store = backend.Backend.Store;
            ReleaseListResult history = await store.HistoryAsync(backend.Namespace, release, cancellationToken).ConfigureAwait(false);
            foreach (ReleaseDiagnostic skipped in history.Diagnostics)
            {
                Cli.Warn("skipped " + skipped.Message);
            }

            if (history.Releases.Count == 0)
            {
                throw new ReleaseNotFoundException($"release \"{release}\" not found in namespace \"{backend.Namespace}\"", backend.Namespace);
            }

            if (parse.GetValue(what) == "history")
            {
                WriteHistory(history.Releases, format);
                return Cli.Success;
            }

            int wanted = parse.GetValue(revision) ?? history.Releases[^1].Version;
            HelmRelease r = await store.GetAsync(backend.Namespace, release, wanted, cancellationToken).ConfigureAwait(false);
            switch (parse.GetValue(what))
            {
                case "values":
                    JsonObject values = r.Config ?? [];
                    if (format == "json")
                    {
                        Console.Out.WriteLine(values.ToJsonString(Json));
                    }
                    else
                    {
                        Console.Out.Write((format == "table" ? "USER-SUPPLIED VALUES:\n" : string.Empty) + ValuesYaml.Write(values));
                    }

                    break;
                case "manifest":
                    Console.Out.Write(r.Manifest ?? string.Empty);
                    break;
                default:
                    Console.Out.WriteLine("NOTES:");
                    Console.Out.Write(r.Notes ?? string.Empty);
                    if (r.Notes is { Length: > 0 } notes && !notes.EndsWith('\n'))
                    {
                        Console.Out.WriteLine();
                    }

                    break;
            }

            return Cli.Success;
        });
        return get;
    }

    private static void WriteHistory(IReadOnlyList<HelmRelease> releases, string format)
    {
        if (format == "json")
        {
            var array = new JsonArray();
            foreach (HelmRelease r in releases)
            {
                array.Add(new JsonObject
                {
                    ["revision"] = r.Version,
                    ["updated"] = r.LastDeployed is DateTimeOffset t ? HelmReleaseCodec.FormatTime(t) : null,
                    ["status"] = r.Status.ToHelmString(),
                    ["chart"] = r.ChartName + "-" + r.ChartVersion,
                    ["app_version"] = r.AppVersion ?? string.Empty,
                    ["description"] = r.Description ?? string.Empty,
                });
            }

            Console.Out.WriteLine(array.ToJsonString(Json));
            return;
        }

        WriteTable(
            ["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"],
            releases.Select(r => new[] { r.Version.ToString(CultureInfo.InvariantCulture), GoTime(r.LastDeployed), r.Status.ToHelmString(), r.ChartName + "-" + r.ChartVersion, r.AppVersion ?? string.Empty, r.Description ?? string.Empty }));
    }

    /// <summary>Waits for the first sync; a store that cannot be listed fails the command with the store's error.</summary>
    private static async Task SyncOrFailAsync(ReleaseCatalog catalog, CancellationToken cancellationToken)
    {
        Task synced = catalog.WaitForSyncAsync(cancellationToken);
        while (!synced.IsCompleted)
        {
            if (catalog.Status.LastError is string error)
            {
                throw new ReleaseStorageException("cannot list releases: " + error);
            }

            await Task.WhenAny(synced, Task.Delay(20, cancellationToken)).ConfigureAwait(false);
        }

        await synced.ConfigureAwait(false);
    }

    private static ReleaseStateFilter ParseStates(string[] values)
    {
        var states = ReleaseStateFilter.None;
        foreach (string value in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            states |= value switch
            {
                "all" => ReleaseStateFilter.All,
                "pending" => ReleaseStateFilter.Pending,
                "deployed" => ReleaseStateFilter.Deployed,
                "failed" => ReleaseStateFilter.Failed,
                "superseded" => ReleaseStateFilter.Superseded,
                "uninstalled" => ReleaseStateFilter.Uninstalled,
                "uninstalling" => ReleaseStateFilter.Uninstalling,
                "pending-install" => ReleaseStateFilter.PendingInstall,
                "pending-upgrade" => ReleaseStateFilter.PendingUpgrade,
                "pending-rollback" => ReleaseStateFilter.PendingRollback,
                "unknown" => ReleaseStateFilter.Unknown,
                _ => throw new UsageException($"--status '{value}' is not one of deployed, failed, pending, superseded, uninstalled, uninstalling, unknown, all"),
            };
        }

        return states;
    }

    /// <summary>Formats a time as Go's <c>time.Time.String()</c> does, which is what <c>helm list</c> prints.</summary>
    internal static string GoTime(DateTimeOffset? value)
    {
        if (value is not DateTimeOffset t)
        {
            return "-";
        }

        string text = t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
        string offset = (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
        return text + " " + offset + " " + (t.Offset == TimeSpan.Zero ? "UTC" : offset);
    }

    private static void WriteTable(string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        int[] widths = new int[header.Length];
        foreach (string[] row in all)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var sb = new StringBuilder();
        foreach (string[] row in all)
        {
            for (int i = 0; i < row.Length; i++)
            {
                sb.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i]) + "\t");
            }

            sb.Append('\n');
        }

        Console.Out.Write(sb.ToString());
    }
}

/// <summary>
/// The one place the command line picks a release backend: Helm's <c>HELM_DRIVER</c> (secret, configmap, sql, memory)
/// and <c>HELM_DRIVER_SQL_CONNECTION_STRING</c>, and the kubeconfig (with <c>KUBECONFIG</c>) for the Kubernetes drivers.
/// </summary>
internal sealed class ReleaseBackendFactory : IAsyncDisposable
{
    private readonly KubernetesClient? _client;

    private ReleaseBackendFactory(ReleaseBackend backend, string @namespace, KubernetesClient? client)
    {
        Backend = backend;
        Namespace = @namespace;
        _client = client;
    }

    public ReleaseBackend Backend { get; }

    public string Namespace { get; }

    public static ReleaseBackendFactory Open(string? kubeconfig, string? @namespace)
    {
        string driver = (Environment.GetEnvironmentVariable("HELM_DRIVER") ?? string.Empty).Trim().ToLowerInvariant();
        ReleaseStoreKind kind = driver switch
        {
            "" or "secret" or "secrets" => ReleaseStoreKind.Secrets,
            "configmap" or "configmaps" => ReleaseStoreKind.ConfigMaps,
            "sql" => ReleaseStoreKind.Sql,
            "memory" => ReleaseStoreKind.Memory,
            _ => throw new UsageException($"HELM_DRIVER '{driver}' is not one of secret, configmap, sql, memory"),
        };

        if (kind is ReleaseStoreKind.Sql or ReleaseStoreKind.Memory)
        {
            var options = new ReleaseCatalogOptions { Store = kind };
            if (kind == ReleaseStoreKind.Sql)
            {
                string raw = Environment.GetEnvironmentVariable("HELM_DRIVER_SQL_CONNECTION_STRING") ?? string.Empty;
                options.SqlConnectionString = raw.Length == 0
                    ? throw new UsageException("HELM_DRIVER=sql needs HELM_DRIVER_SQL_CONNECTION_STRING")
                    : ToNpgsql(raw);
            }

            return new ReleaseBackendFactory(ReleaseStores.Create(options), @namespace ?? "default", null);
        }

        KubernetesClientConfiguration config = KubernetesClientConfiguration.Load(new KubernetesOptions { KubeconfigPath = kubeconfig, Namespace = @namespace });
        var client = new KubernetesClient(config);
        return new ReleaseBackendFactory(ReleaseStores.Create(new ReleaseCatalogOptions { Store = kind }, client), config.Namespace, client);
    }

    /// <summary>Accepts Helm's lib/pq connection strings (URL or <c>key=value</c> words) as well as Npgsql's own form.</summary>
    internal static string ToNpgsql(string connection)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        try
        {
            if (connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                var uri = new Uri(connection);
                builder.Host = uri.Host;
                builder.Port = uri.Port > 0 ? uri.Port : 5432;
                builder.Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
                string[] user = uri.UserInfo.Split(':', 2);
                if (user[0].Length > 0)
                {
                    builder.Username = Uri.UnescapeDataString(user[0]);
                }

                if (user.Length > 1)
                {
                    builder.Password = Uri.UnescapeDataString(user[1]);
                }

                foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    string[] kv = pair.Split('=', 2);
                    Apply(builder, Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty);
                }

                return builder.ConnectionString;
            }

            if (!connection.Contains(';', StringComparison.Ordinal) && connection.Contains('=', StringComparison.Ordinal))
            {
                foreach (string pair in connection.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    string[] kv = pair.Split('=', 2);
                    Apply(builder, kv[0], kv.Length > 1 ? kv[1].Trim('\'') : string.Empty);
                }

                return builder.ConnectionString;
            }

            builder.ConnectionString = connection;
            return builder.ConnectionString;
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException or FormatException)
        {
            throw new UsageException("HELM_DRIVER_SQL_CONNECTION_STRING is not a PostgreSQL connection string: " + ex.Message);
        }
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "host":
                builder.Host = value;
                break;
            case "port":
                builder.Port = int.Parse(value, CultureInfo.InvariantCulture);
                break;
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "dbname":
                builder.Database = value;
                break;
            case "sslmode":
                builder.SslMode = value switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new FormatException($"sslmode '{value}' is not known"),
                };
                break;
            default:
                break; // lib/pq options without an Npgsql counterpart (for example connect_timeout) are ignored
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync().ConfigureAwait(false);
        _client?.Dispose();
    }
}
