using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.Kubernetes.Emulator.Logs;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

internal sealed partial class ApiHandler
{
    /// <summary>
    /// Serves <c>/api/v1/namespaces/{ns}/pods/{pod}/log</c> from the registered content: <c>container</c>,
    /// <c>previous</c>, <c>tailLines</c>, <c>sinceSeconds</c>, <c>sinceTime</c>, <c>limitBytes</c>, <c>timestamps</c>
    /// and <c>follow</c> (streams appended text until the log is completed, the pod deleted or the client leaves).
    /// </summary>
    private async Task LogsAsync(HttpContext context, string ns, string podName)
    {
        IQueryCollection query = context.Request.Query;
        ResourceInfo pods = _registry.Find("", "v1", "pods")!;
        StoredObject pod = _store.Get(pods, ns, podName) ?? throw ApiException.NotFound(pods, podName);
        JsonObject podJson = pod.ToJson();
        var declared = new List<string>();
        foreach (string list in new[] { "containers", "initContainers", "ephemeralContainers" })
        {
            foreach (JsonNode? c in (podJson["spec"]?[list] as JsonArray) ?? [])
            {
                if (c?["name"]?.ToString() is { Length: > 0 } containerName)
                {
                    declared.Add(containerName);
                }
            }
        }

        string? container = query["container"];
        if (string.IsNullOrEmpty(container))
        {
            var main = ((podJson["spec"]?["containers"] as JsonArray) ?? []).Select(c => c?["name"]?.ToString() ?? "").Where(n => n.Length > 0).ToList();
            if (main.Count == 0)
            {
                main = _logs.Containers(ns, podName).ToList();
            }

            container = main.Count switch
            {
                1 => main[0],
                0 => "",
                _ => throw ApiException.BadRequest($"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', main)}]"),
            };
        }
        else if (declared.Count > 0 && !declared.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {podName}");
        }

        bool previous = IsTrue(query["previous"]);
        bool follow = IsTrue(query["follow"]) && !previous;
        bool timestamps = IsTrue(query["timestamps"]);
        long? tail = ParseLong(query["tailLines"], "tailLines");
        long? sinceSeconds = ParseLong(query["sinceSeconds"], "sinceSeconds");
        long? limitBytes = ParseLong(query["limitBytes"], "limitBytes");
        DateTimeOffset? since = sinceSeconds is long s ? Now.AddSeconds(-s) : null;
        if (!string.IsNullOrEmpty(query["sinceTime"]))
        {
            if (sinceSeconds is not null)
            {
                throw ApiException.Invalid(pods, podName, "sinceSeconds", "FieldValueForbidden", "Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
            }

            since = DateTimeOffset.TryParse(query["sinceTime"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset t)
                ? t
                : throw ApiException.BadRequest($"invalid sinceTime: {query["sinceTime"]}");
        }

        PodLogStore.Buffer? buffer = _logs.Find(ns, podName, container, previous);
        if (buffer is null && previous)
        {
            throw ApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{podName}\" not found");
        }

        if (buffer is null && follow)
        {
            _logs.Append(ns, podName, container, "");
            buffer = _logs.Find(ns, podName, container, previous: false);
        }

        HttpResponse response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/plain";
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        if (buffer is null)
        {
            return;
        }

        long budget = limitBytes ?? long.MaxValue;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
        Task changed = buffer.Changed;
        var (lines, position, completed) = buffer.Read(0);
        IEnumerable<LogLine> first = lines.Where(l => since is null || l.Time >= since);
        if (tail is long n)
        {
            var filtered = first.ToList();
            first = filtered.Skip((int)Math.Max(0, filtered.Count - n));
        }

        budget = await WriteLinesAsync(response, first, timestamps, budget, ended.Token).ConfigureAwait(false);
        while (follow && !completed && budget > 0)
        {
            try
            {
                await changed.WaitAsync(ended.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ended.IsCancellationRequested)
            {
                return;
            }

            changed = buffer.Changed;
            (lines, position, completed) = buffer.Read(position);
            budget = await WriteLinesAsync(response, lines, timestamps, budget, ended.Token).ConfigureAwait(false);
        }
    }

    private static long? ParseLong(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n)
            ? n
            : throw ApiException.BadRequest($"invalid {name}: {value} (a non-negative integer is expected)");
    }

    private static async Task<long> WriteLinesAsync(HttpResponse response, IEnumerable<LogLine> lines, bool timestamps, long budget, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        foreach (LogLine line in lines)
        {
            if (budget <= 0)
            {
                break;
            }

            string text = timestamps ? RfcNano(line.Time) + " " + line.Text : line.Text;
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            int take = (int)Math.Min(bytes.Length, budget);
            buffer.Write(bytes, 0, take);
            budget -= take;
        }

        if (buffer.Length > 0)
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(response.Body, cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return budget;
    }

    /// <summary>Formats as Go's RFC3339Nano: fractional seconds without trailing zeros.</summary>
    internal static string RfcNano(DateTimeOffset time)
    {
        string text = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
        return text + "Z";
    }
}
