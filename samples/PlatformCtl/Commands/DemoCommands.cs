using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Abstractions;
using Platform.Charts.Dependencies;
using Platform.Charts.Forms;
using Platform.Charts.Loading;
using Platform.Charts.Schema;
using Platform.Charts.Values;
using Platform.Kubernetes.Client;
using Platform.Kubernetes.Config;
using Platform.Kubernetes.Emulator;
using Platform.Kubernetes.Releases;
using Platform.Logging;
using Platform.Logging.Multiline;

namespace PlatformCtl;

/// <summary>
/// <c>platformctl demo [--chart DIR] [-o text|json]</c>: the whole product loop on the embedded emulator, in one
/// process and a few seconds — values, schema, form, Helm release records, the release catalog and a pod log — so a
/// newcomer sees every module work together without a cluster. Exit 0 when every step worked, 1 (one <c>Error:</c>
/// line naming the step) otherwise.
/// </summary>
internal static class DemoCommands
{
    private const string DefaultChart = "samples/charts/webapp";
    private const string CiValuesFile = "values-ci.yaml";
    private static readonly string[] Namespaces = ["shop-staging", "shop-prod"];
    private const string LogNamespace = "shop-prod";
    private const string LogPod = "webapp-0";
    private const string LogContainer = "app";

    // A Spring-style log: one line, one Java trace of six physical lines (with a cause), one line.
    private const string JavaLog =
        "2026-01-05 10:00:00.000  INFO 1 --- [main] c.e.shop.WebApp : Started WebApp in 2.1 seconds\n" +
        "2026-01-05 10:00:05.120 ERROR 1 --- [http-nio-8080-exec-1] c.e.shop.OrderController : checkout failed\n" +
        "java.lang.IllegalStateException: payment service unavailable\n" +
        "\tat com.example.shop.PaymentClient.charge(PaymentClient.java:42)\n" +
        "\tat com.example.shop.OrderController.checkout(OrderController.java:88)\n" +
        "Caused by: java.net.ConnectException: Connection refused\n" +
        "\tat java.base/sun.nio.ch.Net.connect0(Native Method)\n" +
        "\t... 12 more\n" +
        "2026-01-05 10:00:06.000  INFO 1 --- [main] c.e.shop.WebApp : retrying in 5s\n";

    public static Command Create()
    {
        var chart = new Option<string>("--chart")
        {
            Description = $"The chart directory, relative to the current directory (its {CiValuesFile} is applied when present).",
            DefaultValueFactory = _ => DefaultChart,
        };
        var output = new Option<string>("--output", "-o") { Description = "Output: text (one section per module) or json (one summary object).", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");

        var demo = new Command("demo", "Run the whole product loop on the embedded Kubernetes emulator: values, schema, form, releases, catalog, pod logs.")
        {
            chart, output,
        };
        demo.SetAction(async (parse, cancellationToken) =>
        {
            bool json = parse.GetValue(output) == "json";
            var run = new DemoRun(json);
            try
            {
                JsonObject summary = await run.RunAsync(parse.GetValue(chart) ?? DefaultChart, cancellationToken).ConfigureAwait(false);
                if (json)
                {
                    Console.Out.WriteLine(summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                }

                return Cli.Success;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A demo is a smoke test of every module: any failure, whatever its type, is one line naming the step.
                Console.Error.WriteLine($"Error: demo step '{run.Step}' failed: {Cli.OneLine(ex.Message)}");
                return Cli.Failure;
            }
        });
        return demo;
    }

    private sealed class DemoRun(bool json)
    {
        public string Step { get; private set; } = "start";

        public async Task<JsonObject> RunAsync(string chartArgument, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var summary = new JsonObject();

            // Charts first: a bad --chart should fail before anything is started.
            Step = "chart";
            string chartDir = Path.GetFullPath(chartArgument);
            if (!Directory.Exists(chartDir))
            {
                throw new PlatformException($"chart directory '{chartDir}' not found (--chart {chartArgument}); run from the repository root or pass --chart DIR");
            }

            ChartLoadResult loaded = await ChartLoader.LoadAsync(chartDir, cancellationToken: cancellationToken).ConfigureAwait(false);
            string ciFile = Path.Combine(chartDir, CiValuesFile);
            string[] valueFiles = File.Exists(ciFile) ? [ciFile] : [];
            JsonObject user = await UserValues.MergeAsync(new UserValuesOptions { ValueFiles = valueFiles }, cancellationToken: cancellationToken).ConfigureAwait(false);
            ChartValuesResult computed = ChartValues.Compute(loaded.Chart, user);
            string? imageTag = (computed.Values["image"] as JsonObject)?["tag"]?.ToString();
            Section("Charts: values (Platform.Charts)");
            Line($"chart        {loaded.Chart.Name} {loaded.Chart.Metadata.Version} ({loaded.Chart.Subcharts.Count} subchart(s)) from {chartArgument}");
            Line($"user values  {(valueFiles.Length == 0 ? "(none)" : CiValuesFile)}");
            Line($"computed     {computed.Values.Count} top-level keys, image.tag = {imageTag ?? "(unset)"}, {computed.Warnings.Count} warning(s)");
            summary["values"] = new JsonObject
            {
                ["chart"] = loaded.Chart.Name,
                ["chartVersion"] = loaded.Chart.Metadata.Version,
                ["valueFiles"] = new JsonArray(valueFiles.Select(f => (JsonNode)Path.GetFileName(f)).ToArray()),
                ["topLevelKeys"] = computed.Values.Count,
                ["imageTag"] = imageTag,
                ["warnings"] = computed.Warnings.Count,
            };

            Step = "schema";
            ChartSchemaResult validation = ChartSchemaValidator.Validate(computed.Chart, computed.Values);
            Section("Charts: schema validation (Platform.Charts)");
            Line(loaded.Chart.SchemaText is null ? "schema       none (nothing to validate)" : "schema       values.schema.json");
            Line(validation.IsValid ? "verdict      valid: the values meet the chart's schema(s)" : $"verdict      INVALID ({validation.Violations.Count} violation(s))");
            if (!validation.IsValid)
            {
                foreach (string line in validation.ToHelmText().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    Line("  " + line);
                }
            }

            summary["schema"] = new JsonObject
            {
                ["hasSchema"] = loaded.Chart.SchemaText is not null,
                ["valid"] = validation.IsValid,
                ["violations"] = validation.Violations.Count,
            };

            Step = "form";
            FormModel form = FormBuilder.FromChart(loaded.Chart, new FormBuildOptions { CurrentValues = user });
            int fieldCount = form.Descendants().Count();
            Section("Charts: deploy form (Platform.Charts)");
            Line($"form         {fieldCount} fields ({form.Fields.Count} top-level, {form.Groups.Count} group(s)) built from {form.Source}");
            summary["form"] = new JsonObject
            {
                ["source"] = form.Source.ToString(),
                ["fields"] = fieldCount,
                ["topLevelFields"] = form.Fields.Count,
                ["groups"] = form.Groups.Count,
                ["warnings"] = form.Warnings.Count,
            };

            Step = "emulator";
            await using KubernetesEmulator emulator = await KubernetesEmulator.StartAsync(new EmulatorOptions { EnableHttp = false }, cancellationToken).ConfigureAwait(false);

            // The real client over HTTPS, trusting only the emulator's CA: the same code path as against a cluster.
            using var client = new KubernetesClient(new KubernetesClientConfiguration
            {
                Server = emulator.HttpsEndpoint,
                CertificateAuthorities = [emulator.CertificateAuthority],
                BearerToken = emulator.Token,
                Origin = "embedded emulator",
            });
            foreach (string ns in Namespaces)
            {
                await client.CreateAsync(ResourceType.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, cancellationToken).ConfigureAwait(false);
            }

            Section("Kubernetes: emulator (Platform.Kubernetes.Emulator)");
            Line($"server       {emulator.HttpsEndpoint} (in-process, token auth)");
            Line($"namespaces   {string.Join(", ", Namespaces)}");
            summary["emulator"] = new JsonObject { ["server"] = emulator.HttpsEndpoint.ToString(), ["namespaces"] = Namespaces.Length };

            Step = "releases";
            await using ReleaseBackend backend = ReleaseStores.Create(new ReleaseCatalogOptions { Store = ReleaseStoreKind.Secrets }, client);
            int written = 0;
            DateTimeOffset start = DateTimeOffset.UtcNow.AddHours(-3);
            foreach (string ns in Namespaces)
            {
                for (int revision = 1; revision <= 3; revision++)
                {
                    // Helm's history: older revisions superseded; in prod the last upgrade failed (revision 2 stays live).
                    ReleaseStatus revisionStatus = (ns, revision) switch
                    {
                        ("shop-prod", 3) => ReleaseStatus.Failed,
                        ("shop-prod", 2) => ReleaseStatus.Deployed,
                        (_, 3) => ReleaseStatus.Deployed,
                        _ => ReleaseStatus.Superseded,
                    };
                    await backend.Store.CreateAsync(Release(loaded.Chart, user, ns, revision, revisionStatus, start.AddMinutes((revision * 20) + ns.Length)), cancellationToken).ConfigureAwait(false);
                    written++;
                }
            }

            var secrets = await client.ListAsync(ResourceType.Secrets, null, new ListOptions { LabelSelector = "owner=helm" }, cancellationToken).ConfigureAwait(false);
            int helmSecrets = secrets.Items.Count(s => s["type"]?.ToString() == "helm.sh/release.v1");
            Section("Kubernetes: Helm release records (Platform.Kubernetes, Secrets store)");
            Line($"written      {written} revisions of '{loaded.Chart.Name}' in {Namespaces.Length} namespaces; {helmSecrets} Secrets of type helm.sh/release.v1 on the server");
            summary["releaseRecords"] = new JsonObject { ["written"] = written, ["secrets"] = helmSecrets };

            Step = "catalog";
            await using var catalog = new ReleaseCatalog(backend.Store, backend.Feed);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                await catalog.WaitForSyncAsync(timeout.Token).ConfigureAwait(false);
            }

            ReleaseQueryResult list = catalog.Query(new ReleaseListQuery());
            ReleaseQueryResult failed = catalog.Query(new ReleaseListQuery { States = ReleaseStateFilter.Failed });
            ReleaseCatalogStatus status = catalog.Status;
            Section("Kubernetes: release catalog (Platform.Kubernetes)");
            Line($"synced       {status.Releases} release(s), {status.Revisions} revision(s), {status.Skipped.Count} skipped");
            Line("helm list -A:");
            Line(string.Format(CultureInfo.InvariantCulture, "  {0,-8} {1,-14} {2,-9} {3,-10} {4,-16} {5}", "NAME", "NAMESPACE", "REVISION", "STATUS", "CHART", "APP VERSION"));
            var rows = new JsonArray();
            foreach (ReleaseSummary r in list.Items)
            {
                Line(string.Format(CultureInfo.InvariantCulture, "  {0,-8} {1,-14} {2,-9} {3,-10} {4,-16} {5}", r.Name, r.Namespace, r.Revision, r.Status.ToHelmString(), r.Chart, r.AppVersion));
                rows.Add(new JsonObject
                {
                    ["name"] = r.Name,
                    ["namespace"] = r.Namespace,
                    ["revision"] = r.Revision,
                    ["status"] = r.Status.ToHelmString(),
                    ["chart"] = r.Chart,
                    ["appVersion"] = r.AppVersion,
                });
            }

            Line($"helm list -A --failed: {failed.Total} release(s)");
            summary["catalog"] = new JsonObject
            {
                ["releases"] = status.Releases,
                ["revisions"] = status.Revisions,
                ["listed"] = list.Total,
                ["failed"] = failed.Total,
                ["list"] = rows,
            };

            Step = "logs";
            await client.CreateAsync(ResourceType.Pods, LogNamespace, new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = LogPod, ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = loaded.Chart.Name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = LogContainer, ["image"] = "registry.example/webapp:" + (imageTag ?? "latest") }) },
            }, cancellationToken).ConfigureAwait(false);
            emulator.SetPodLog(LogNamespace, LogPod, LogContainer, JavaLog);

            // The portal's wiring: our client serves pod logs (TryAdd in AddPlatformPodLogs lets this registration win).
            await using ServiceProvider services = new ServiceCollection()
                .AddSingleton<IPodLogClient>(client)
                .AddPlatformLogging(o => o.Profile = MultilineProfile.Java)
                .AddPlatformPodLogs()
                .BuildServiceProvider();
            var reader = services.GetRequiredService<ILogReader>();
            string name = $"{LogNamespace}/{LogPod}/{LogContainer}";
            var records = new List<LogRecord>();
            await foreach (LogRecord record in reader.ReadAsync("pod", name, LogQuery.All, cancellationToken).ConfigureAwait(false))
            {
                records.Add(record);
            }

            int physicalLines = JavaLog.Count(c => c == '\n');
            LogRecord? joined = records.Where(r => r.Lines > 1).MaxBy(r => r.Lines);
            Section("Logging: pod log through the pipeline (Platform.Logging + Platform.Kubernetes)");
            Line($"pod          {name}: {physicalLines} physical lines -> {records.Count} records");
            foreach (LogRecord r in records)
            {
                string first = r.Message.Split('\n')[0];
                Line($"  [{r.Level ?? "-",-5}] {r.Lines} line(s)  {(first.Length > 80 ? first[..80] + "…" : first)}");
            }

            summary["logs"] = new JsonObject
            {
                ["pod"] = name,
                ["physicalLines"] = physicalLines,
                ["records"] = records.Count,
                ["joinedRecordLines"] = joined?.Lines ?? 0,
                ["joinedRecordFirstLine"] = joined?.Message.Split('\n')[0],
                ["joinedRecordLevel"] = joined?.Level,
            };

            Step = "done";
            summary["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
            Section("Done");
            Line($"every step worked in {clock.Elapsed.TotalSeconds:0.0} s");
            return summary;
        }

        private static HelmRelease Release(Chart chart, JsonObject config, string ns, int revision, ReleaseStatus status, DateTimeOffset deployed) => new()
        {
            Name = chart.Name,
            Namespace = ns,
            Version = revision,
            Status = status,
            FirstDeployed = deployed.AddMinutes(-(revision - 1) * 20),
            LastDeployed = deployed,
            Description = status == ReleaseStatus.Failed ? "Upgrade \"webapp\" failed: context deadline exceeded" : revision == 1 ? "Install complete" : "Upgrade complete",
            Chart = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = chart.Name,
                    ["version"] = chart.Metadata.Version,
                    ["appVersion"] = chart.Metadata.AppVersion,
                    ["apiVersion"] = chart.Metadata.ApiVersion,
                },
            },
            Config = (JsonObject)config.DeepClone(),
            Manifest = $"---\n# Source: {chart.Name}/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {chart.Name}\n",
        };

        private void Section(string title)
        {
            if (!json)
            {
                Console.Out.WriteLine();
                Console.Out.WriteLine("== " + title);
            }
        }

        private void Line(string text)
        {
            if (!json)
            {
                Console.Out.WriteLine(text);
            }
        }
    }
}
