// A log viewer's core in a few lines: a container log as the kubelet writes it (CRI envelope, stdout and stderr
// interleaved, a line split into fragments) with Java, Python and Go traces and JSON log lines, turned into complete,
// typed records — then the pod metadata a shipper would attach, with label keys safe for Elasticsearch.
//
//   dotnet run --project samples/LoggingSample [-- LOG_FILE]
using Platform.Logging;
using Platform.Logging.JsonLogs;
using Platform.Logging.Metadata;
using Platform.Logging.Multiline;

string file = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "logs", "shop-mixed.cri.log");

// Auto everywhere: a portal shows logs of pods it knows nothing about, so neither the envelope nor the language is
// configured; the reader detects the CRI format and the auto profile recognises each language's trace.
var options = new LogReaderOptions
{
    Format = LogFormat.Auto,
    Multiline = new MultilineOptions { Profile = MultilineProfile.Auto, ParseJson = true },
};

// Records come out when complete, and each stream (stdout, stderr) is joined on its own: a stderr trace is emitted
// after a later stdout line when its end is only known at the next stderr line. Sort by Time to show them merged.
Console.WriteLine($"# records of {Path.GetFileName(file)}");
await using FileStream stream = File.OpenRead(file);
int physical = 0;
int records = 0;
await foreach (LogRecord record in LogReader.ReadAsync(stream, options))
{
    records++;
    physical += record.Lines;
    string first = record.Message.Split('\n')[0];
    Console.WriteLine($"{record.Time:HH:mm:ss.fff} {record.Stream,-6} {record.Level ?? "-",-5} {record.Lines,2} line(s)  {Shorten(first, 70)}");

    // JSON lines keep their whole object, so a viewer can filter on any field and still show a plain message.
    if (record.Fields is { } fields)
    {
        Console.WriteLine($"{"",30}json {JsonLogLine.DetectFormat(fields)}: logger={record.Logger ?? "-"} exception={(record.Exception is null ? "no" : "yes")} fields={fields.Count}");
    }
}

Console.WriteLine($"# {physical} physical lines -> {records} records");
Console.WriteLine();

// A shipper on the node knows the pod from the kubelet's file name; labels come from the API server. Dotted keys
// would become nested objects in Elasticsearch and clash with plain `app` labels of other pods: de-dot them.
const string NodePath = "/var/log/containers/web-7d9f4_shop_app-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log";
if (!KubernetesMetadata.TryParseLogPath(NodePath, out PodMetadata? pod))
{
    Console.Error.WriteLine("not a kubelet log path: " + NodePath);
    return 1;
}

pod = pod! with
{
    Labels = new Dictionary<string, string> { ["app"] = "web", ["app.kubernetes.io/name"] = "webapp", ["app.kubernetes.io/version"] = "2.7.1" },
    Annotations = new Dictionary<string, string> { ["prometheus.io/scrape"] = "true" },
};
Console.WriteLine("# kubernetes fields for " + NodePath[..40] + "…");
Console.WriteLine(KubernetesMetadata.ToFields(pod).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
return 0;

static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";
