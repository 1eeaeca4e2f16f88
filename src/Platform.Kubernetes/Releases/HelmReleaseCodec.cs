using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// Decodes and encodes Helm v1 release records: <c>base64(gzip(JSON))</c> as the ConfigMaps and SQL drivers store
/// it, the extra base64 layer of a Secret's <c>data.release</c>, and the non-gzipped forms Helm also accepts.
/// </summary>
/// <remarks>
/// Decoding is bounded: a payload that inflates past the limit (a gzip bomb) fails with a
/// <see cref="ReleaseDecodeException"/> instead of exhausting memory. All members are thread-safe.
/// </remarks>
public static class HelmReleaseCodec
{
    /// <summary>The default limit of a decoded release JSON: 64 MiB (Kubernetes objects are at most ~1.5 MiB compressed).</summary>
    public const int DefaultMaxReleaseBytes = 64 * 1024 * 1024;

    /// <summary>The maximum JSON nesting depth accepted: 256.</summary>
    public const int MaxJsonDepth = 256;

    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b, 0x08];

    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Decodes a Helm-encoded payload (<c>base64(gzip(JSON))</c>, <c>base64(JSON)</c>, or plain JSON).</summary>
    /// <param name="payload">The payload: a ConfigMap's <c>data.release</c> or the SQL <c>body</c> column.</param>
    /// <param name="customLabels">The release's custom labels from the storage object, or <see langword="null"/>.</param>
    /// <param name="maxReleaseBytes">The limit of the decoded JSON in bytes.</param>
    /// <param name="namespace">The namespace of the record, for error messages and as the fallback namespace.</param>
    /// <param name="recordName">The storage object name, for error messages.</param>
    /// <returns>The release.</returns>
    /// <exception cref="ReleaseDecodeException">The payload is not a valid release.</exception>
    public static HelmRelease Decode(
        string payload,
        IReadOnlyDictionary<string, string>? customLabels = null,
        int maxReleaseBytes = DefaultMaxReleaseBytes,
        string? @namespace = null,
        string? recordName = null)
    {
        ArgumentNullException.ThrowIfNull(payload);
        byte[] json = DecodeToJson(Encoding.UTF8.GetBytes(payload), maxReleaseBytes, @namespace, recordName);
        return FromJson(json, customLabels, @namespace, recordName);
    }

    /// <summary>Decodes a Secret's <c>data.release</c> value as the API server returns it (one more base64 layer).</summary>
    /// <param name="secretData">The value of <c>data.release</c>.</param>
    /// <param name="customLabels">The release's custom labels from the Secret, or <see langword="null"/>.</param>
    /// <param name="maxReleaseBytes">The limit of the decoded JSON in bytes.</param>
    /// <param name="namespace">The namespace of the Secret, for error messages and as the fallback namespace.</param>
    /// <param name="recordName">The Secret name, for error messages.</param>
    /// <returns>The release.</returns>
    /// <exception cref="ReleaseDecodeException">The payload is not a valid release.</exception>
    public static HelmRelease DecodeSecretData(
        string secretData,
        IReadOnlyDictionary<string, string>? customLabels = null,
        int maxReleaseBytes = DefaultMaxReleaseBytes,
        string? @namespace = null,
        string? recordName = null)
    {
        ArgumentNullException.ThrowIfNull(secretData);
        byte[] inner = UnwrapSecretData(secretData, @namespace, recordName);
        byte[] json = DecodeToJson(inner, maxReleaseBytes, @namespace, recordName);
        return FromJson(json, customLabels, @namespace, recordName);
    }

    /// <summary>Encodes a release the way Helm writes it: <c>base64(gzip(JSON))</c>.</summary>
    /// <param name="release">The release.</param>
    /// <returns>The payload for a ConfigMap's <c>data.release</c> or the SQL <c>body</c> column.</returns>
    public static string Encode(HelmRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(ToJson(release), WriteOptions);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Encodes a release for a Secret's <c>data.release</c> as sent to the API server (base64 of <see cref="Encode"/>).</summary>
    /// <param name="release">The release.</param>
    /// <returns>The value of <c>data.release</c>.</returns>
    public static string EncodeSecretData(HelmRelease release) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(Encode(release)));

    /// <summary>Builds the release JSON Helm stores, keeping every field of <see cref="HelmRelease.Document"/> this SDK does not model.</summary>
    /// <param name="release">The release.</param>
    /// <returns>A new JSON object (the release's own nodes are cloned, never moved).</returns>
    public static JsonObject ToJson(HelmRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        JsonObject? source = release.Document;
        var doc = new JsonObject();
        doc["name"] = release.Name;

        JsonObject info = source?["info"] is JsonObject sourceInfo ? sourceInfo.DeepClone().AsObject() : new JsonObject();
        SetTime(info, "first_deployed", release.FirstDeployed);
        SetTime(info, "last_deployed", release.LastDeployed);
        SetTime(info, "deleted", release.Deleted);
        SetString(info, "description", release.Description);
        info["status"] = release.Status == ReleaseStatus.Unknown && info["status"] is JsonValue oldStatus && oldStatus.TryGetValue(out string? old)
            && ReleaseStatusNames.Parse(old) == ReleaseStatus.Unknown ? old : release.Status.ToHelmString();
        SetString(info, "notes", release.Notes);
        doc["info"] = info;

        SetNode(doc, "chart", release.Chart, source?["chart"]);
        SetNode(doc, "config", release.Config, source?["config"]);
        SetString(doc, "manifest", release.Manifest);
        SetNode(doc, "hooks", release.Hooks, source?["hooks"]);
        if (release.Version != 0)
        {
            doc["version"] = release.Version;
        }

        SetString(doc, "namespace", release.Namespace);
        SetString(doc, "apply_method", release.ApplyMethod);

        if (source is not null)
        {
            // Fields this SDK does not model: kept in their original order after the known ones.
            foreach (var (key, value) in source)
            {
                if (!IsKnownTopLevel(key))
                {
                    doc[key] = value?.DeepClone();
                }
            }
        }

        return doc;
    }

    /// <summary>Builds a release from its JSON (UTF-8).</summary>
    /// <param name="utf8Json">The release JSON.</param>
    /// <param name="customLabels">The release's custom labels, or <see langword="null"/>.</param>
    /// <param name="namespace">The fallback namespace when the JSON has none (Helm's <c>default</c> when <see langword="null"/>).</param>
    /// <param name="recordName">The storage object name, for error messages.</param>
    /// <returns>The release.</returns>
    /// <exception cref="ReleaseDecodeException">The JSON is not a release.</exception>
    public static HelmRelease FromJson(ReadOnlySpan<byte> utf8Json, IReadOnlyDictionary<string, string>? customLabels = null, string? @namespace = null, string? recordName = null)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8Json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        }
        catch (JsonException ex)
        {
            throw Fail($"the release JSON does not parse ({ex.Message})", @namespace, recordName, ex);
        }

        if (node is not JsonObject doc)
        {
            throw Fail("the release JSON is not an object", @namespace, recordName);
        }

        string name = ReadString(doc, "name", @namespace, recordName) is { Length: > 0 } n
            ? n
            : throw Fail("the release JSON has no 'name'", @namespace, recordName);
        int version = doc["version"] switch
        {
            null => 0,
            JsonValue v when v.TryGetValue(out int i) => i,
            JsonValue v when v.TryGetValue(out double d) && d == Math.Floor(d) && d is >= 0 and <= int.MaxValue => (int)d,
            _ => throw Fail("'version' must be an integer", @namespace, recordName),
        };
        if (version < 0)
        {
            throw Fail("'version' must not be negative", @namespace, recordName);
        }

        JsonObject? info = doc["info"] switch
        {
            null => null,
            JsonObject o => o,
            _ => throw Fail("'info' must be an object", @namespace, recordName),
        };

        return new HelmRelease
        {
            Name = name,
            Namespace = ReadString(doc, "namespace", @namespace, recordName) is { Length: > 0 } ns ? ns : @namespace ?? "default",
            Version = version,
            Status = ReleaseStatusNames.Parse(info is null ? null : ReadString(info, "status", @namespace, recordName)),
            FirstDeployed = info is null ? null : ReadTime(info, "first_deployed", @namespace, recordName),
            LastDeployed = info is null ? null : ReadTime(info, "last_deployed", @namespace, recordName),
            Deleted = info is null ? null : ReadTime(info, "deleted", @namespace, recordName),
            Description = info is null ? null : ReadString(info, "description", @namespace, recordName),
            Notes = info is null ? null : ReadString(info, "notes", @namespace, recordName),
            Chart = ReadObject(doc, "chart", @namespace, recordName),
            Config = ReadObject(doc, "config", @namespace, recordName),
            Manifest = ReadString(doc, "manifest", @namespace, recordName),
            Hooks = doc["hooks"] switch
            {
                null => null,
                JsonArray a => a,
                _ => throw Fail("'hooks' must be an array", @namespace, recordName),
            },
            ApplyMethod = ReadString(doc, "apply_method", @namespace, recordName),
            Labels = customLabels ?? System.Collections.Frozen.FrozenDictionary<string, string>.Empty,
            Document = doc,
        };
    }

    /// <summary>Removes the Secret's extra base64 layer.</summary>
    internal static byte[] UnwrapSecretData(string secretData, string? @namespace, string? recordName)
    {
        byte[] buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(secretData.Length)];
        byte[] ascii = Encoding.UTF8.GetBytes(secretData);
        if (Base64.DecodeFromUtf8(ascii, buffer, out _, out int written) != OperationStatus.Done)
        {
            throw Fail("data.release is not valid base64", @namespace, recordName);
        }

        return buffer.AsSpan(0, written).ToArray();
    }

    /// <summary>Turns a Helm payload (<c>base64(gzip(JSON))</c>, <c>base64(JSON)</c> or JSON) into JSON bytes, bounded.</summary>
    internal static byte[] DecodeToJson(ReadOnlySpan<byte> payload, int maxReleaseBytes, string? @namespace, string? recordName)
    {
        ReadOnlySpan<byte> trimmed = payload.Trim((byte)' ').Trim("\r\n\t"u8);
        if (trimmed.IsEmpty)
        {
            throw Fail("the release payload is empty", @namespace, recordName);
        }

        if (trimmed[0] is (byte)'{' or (byte)'[')
        {
            // Plain JSON (not base64): accepted leniently, as hand-written fixtures use it.
            return trimmed.Length > maxReleaseBytes
                ? throw Fail($"the release JSON is larger than the limit of {maxReleaseBytes} bytes", @namespace, recordName)
                : trimmed.ToArray();
        }

        byte[] raw = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(trimmed.Length));
        try
        {
            if (Base64.DecodeFromUtf8(trimmed, raw, out _, out int length) != OperationStatus.Done)
            {
                throw Fail("the release payload is not valid base64", @namespace, recordName);
            }

            ReadOnlySpan<byte> bytes = raw.AsSpan(0, length);
            if (!bytes.StartsWith(GzipMagic))
            {
                return bytes.Length > maxReleaseBytes
                    ? throw Fail($"the release JSON is larger than the limit of {maxReleaseBytes} bytes", @namespace, recordName)
                    : bytes.ToArray();
            }

            return Gunzip(raw, length, maxReleaseBytes, @namespace, recordName);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    private static byte[] Gunzip(byte[] compressed, int length, int maxReleaseBytes, string? @namespace, string? recordName)
    {
        try
        {
            using var input = new MemoryStream(compressed, 0, length, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            byte[] output = new byte[Math.Min(maxReleaseBytes + 1, Math.Max(4096, length * 8))];
            int total = 0;
            while (true)
            {
                if (total == output.Length)
                {
                    if (total > maxReleaseBytes)
                    {
                        throw Fail($"the release inflates past the limit of {maxReleaseBytes} bytes (a gzip bomb or an oversized release)", @namespace, recordName);
                    }

                    Array.Resize(ref output, (int)Math.Min((long)maxReleaseBytes + 1, (long)output.Length * 2));
                }

                int read = gzip.Read(output, total, output.Length - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            if (total == 0)
            {
                throw Fail("the release payload is not valid gzip (truncated or empty)", @namespace, recordName);
            }

            if (total > maxReleaseBytes)
            {
                throw Fail($"the release inflates past the limit of {maxReleaseBytes} bytes (a gzip bomb or an oversized release)", @namespace, recordName);
            }

            Array.Resize(ref output, total);
            return output;
        }
        catch (InvalidDataException ex)
        {
            throw Fail($"the release payload is not valid gzip ({ex.Message})", @namespace, recordName, ex);
        }
    }

    private static bool IsKnownTopLevel(string key) => key is "name" or "info" or "chart" or "config" or "manifest" or "hooks" or "version" or "namespace" or "apply_method";

    private static void SetNode(JsonObject doc, string key, JsonNode? value, JsonNode? original)
    {
        if (value is null)
        {
            return;
        }

        // The release's node usually still belongs to its Document (or the caller's tree): a clone never moves it.
        _ = original;
        doc[key] = value.DeepClone();
    }

    private static void SetString(JsonObject target, string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value;
        }
    }

    private static void SetTime(JsonObject info, string key, DateTimeOffset? value)
    {
        JsonNode? existing = info[key];
        string? existingText = existing is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (value is null)
        {
            // Keep Helm 3's explicit zero time ("0001-01-01T00:00:00Z") or an empty string as written.
            if (existingText is null || !(existingText.Length == 0 || IsGoZeroTime(existingText)))
            {
                info.Remove(key);
            }

            return;
        }

        if (existingText is not null && TryParseTime(existingText, out DateTimeOffset parsed) && parsed == value.Value)
        {
            return; // unchanged: keep the original text (Go writes nanoseconds .NET cannot hold)
        }

        info[key] = FormatTime(value.Value);
    }

    /// <summary>Formats a time as Helm writes release times: Go's RFC 3339 with trimmed fractional seconds (<c>Z</c> for UTC).</summary>
    /// <param name="value">The time.</param>
    /// <returns>The text, for example <c>2025-03-01T12:00:00.5Z</c>.</returns>
    public static string FormatTime(DateTimeOffset value)
    {
        string text = value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return value.Offset == TimeSpan.Zero ? text + "Z" : text + value.ToString("zzz", CultureInfo.InvariantCulture);
    }

    private static bool IsGoZeroTime(string text) => text.StartsWith("0001-01-01T00:00:00", StringComparison.Ordinal);

    /// <summary>Parses Go's RFC 3339 (nanosecond) time; the Go zero time and empty strings are "no time".</summary>
    internal static bool TryParseTime(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length == 0 || IsGoZeroTime(text))
        {
            return false;
        }

        // .NET holds 7 fractional digits; Go writes up to 9.
        int dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            int end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static DateTimeOffset? ReadTime(JsonObject obj, string key, string? @namespace, string? recordName)
    {
        string? text = ReadString(obj, key, @namespace, recordName);
        if (text is null || text.Length == 0 || IsGoZeroTime(text))
        {
            return null;
        }

        return TryParseTime(text, out DateTimeOffset value)
            ? value
            : throw Fail($"'info.{key}' is not an RFC 3339 time: '{text}'", @namespace, recordName);
    }

    private static string? ReadString(JsonObject obj, string key, string? @namespace, string? recordName) => obj[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw Fail($"'{key}' must be a string", @namespace, recordName),
    };

    private static JsonObject? ReadObject(JsonObject obj, string key, string? @namespace, string? recordName) => obj[key] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw Fail($"'{key}' must be an object", @namespace, recordName),
    };

    internal static ReleaseDecodeException Fail(string problem, string? @namespace, string? recordName, Exception? inner = null)
    {
        string where = recordName is null ? "release record" : $"release record {(@namespace is null ? string.Empty : @namespace + "/")}{recordName}";
        return new ReleaseDecodeException($"{where}: {problem}", @namespace, recordName, inner);
    }
}
