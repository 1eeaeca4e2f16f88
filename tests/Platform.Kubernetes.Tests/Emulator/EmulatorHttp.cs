using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator;

namespace Platform.Kubernetes.Tests.Emulator;

/// <summary>Small HTTP helpers for talking to a running emulator the way any REST client does.</summary>
internal static class EmulatorHttp
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var cts = new CancellationTokenSource(Timeout);
        HttpResponseMessage response = await http.SendAsync(request, cts.Token);
        string text = await response.Content.ReadAsStringAsync(cts.Token);
        JsonNode? json = text.Length > 0 && (text[0] == '{' || text[0] == '[') ? JsonNode.Parse(text) : null;
        return ((int)response.StatusCode, json, response);
    }

    public static async Task<string> RawAsync(HttpClient http, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var cts = new CancellationTokenSource(Timeout);
        using HttpResponseMessage response = await http.SendAsync(request, cts.Token);
        return await response.Content.ReadAsStringAsync(cts.Token);
    }

    public static Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> GetAsync(HttpClient http, string path, string? accept = null) =>
        SendAsync(http, HttpMethod.Get, path, accept: accept);

    public static Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(HttpClient http, string path, string body) =>
        SendAsync(http, HttpMethod.Post, path, body);

    public static string ConfigMap(string name, string ns = "default", string? labels = null, string data = "{\"k\":\"v\"}") =>
        $$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{name}}","namespace":"{{ns}}"{{(labels is null ? "" : ",\"labels\":" + labels)}}},"data":{{data}}}""";

    public static async Task<JsonNode> CreateConfigMapAsync(HttpClient http, string name, string ns = "default", string? labels = null)
    {
        var (status, body, _) = await PostAsync(http, $"/api/v1/namespaces/{ns}/configmaps", ConfigMap(name, ns, labels));
        Assert.True(status == 201, $"create {name}: {status} {body?.ToJsonString()}");
        return body!;
    }

    /// <summary>Opens a watch and returns a reader of its newline-delimited frames.</summary>
    public static async Task<WatchReader> WatchAsync(HttpClient http, string path, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        var cts = new CancellationTokenSource(Timeout);
        HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(200, (int)response.StatusCode);
        Stream stream = await response.Content.ReadAsStreamAsync(cts.Token);
        return new WatchReader(response, new StreamReader(stream), cts);
    }

    public static async Task<KubernetesEmulator> StartAsync(EmulatorOptions? options = null) =>
        await KubernetesEmulator.StartAsync(options ?? new EmulatorOptions());
}

/// <summary>Reads watch frames one line at a time, each within the shared timeout.</summary>
internal sealed class WatchReader(HttpResponseMessage response, StreamReader reader, CancellationTokenSource cts) : IDisposable
{
    /// <summary>Reads the next frame; null at the end of the stream.</summary>
    public async Task<JsonObject?> NextAsync()
    {
        string? line = await ReadLineAsync();
        return line is null ? null : (JsonObject)JsonNode.Parse(line)!;
    }

    public async Task<string?> ReadLineAsync()
    {
        while (true)
        {
            string? line = await reader.ReadLineAsync(cts.Token);
            if (line is null || line.Length > 0)
            {
                return line;
            }
        }
    }

    /// <summary>Reads frames until one of the given type (skipping others), failing on the end of the stream.</summary>
    public async Task<JsonObject> NextOfTypeAsync(string type)
    {
        while (true)
        {
            JsonObject? frame = await NextAsync();
            Assert.NotNull(frame);
            if (frame["type"]!.ToString() == type)
            {
                return frame;
            }
        }
    }

    public void Dispose()
    {
        cts.Cancel();
        reader.Dispose();
        response.Dispose();
        cts.Dispose();
    }
}
