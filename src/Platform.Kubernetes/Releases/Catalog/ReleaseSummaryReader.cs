using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// Reads only what a <see cref="ReleaseSummary"/> needs from release JSON with a forward-only reader: the manifest,
/// chart templates, values and hooks are skipped, never materialised.
/// </summary>
internal sealed class ReleaseSummaryReader
{
    private readonly StringPool _pool = new();
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _labelSets = new(StringComparer.Ordinal);
    private readonly int _maxReleaseBytes;

    public ReleaseSummaryReader(int maxReleaseBytes) => _maxReleaseBytes = maxReleaseBytes;

    public StringPool Pool => _pool;

    /// <summary>Decodes a record's summary; throws <see cref="ReleaseDecodeException"/> when the record is corrupt.</summary>
    public ReleaseSummary Read(ReleaseRecord record)
    {
        if (record.Problem is not null)
        {
            throw HelmReleaseCodec.Fail(record.Problem, record.Namespace, record.RecordName);
        }

        byte[] json = HelmReleaseCodec.DecodeToJson(record.Payload.Span, _maxReleaseBytes, record.Namespace, record.RecordName);
        try
        {
            return Read(json, record);
        }
        catch (JsonException ex)
        {
            throw HelmReleaseCodec.Fail($"the release JSON does not parse ({ex.Message})", record.Namespace, record.RecordName, ex);
        }
    }

    private ReleaseSummary Read(ReadOnlySpan<byte> json, ReleaseRecord record)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = HelmReleaseCodec.MaxJsonDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw HelmReleaseCodec.Fail("the release JSON is not an object", record.Namespace, record.RecordName);
        }

        string? name = null, ns = null, status = null, updated = null, description = null, chartName = null, chartVersion = null, appVersion = null;
        int version = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = String(ref reader, record, "name");
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                reader.Read();
                ns = String(ref reader, record, "namespace");
            }
            else if (reader.ValueTextEquals("version"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out version) || version < 0)
                {
                    throw HelmReleaseCodec.Fail("'version' must be a non-negative integer", record.Namespace, record.RecordName);
                }
            }
            else if (reader.ValueTextEquals("info"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("status"u8))
                        {
                            reader.Read();
                            status = String(ref reader, record, "info.status");
                        }
                        else if (reader.ValueTextEquals("last_deployed"u8))
                        {
                            reader.Read();
                            updated = reader.TokenType == JsonTokenType.String ? reader.GetString() : String(ref reader, record, "info.last_deployed");
                        }
                        else if (reader.ValueTextEquals("description"u8))
                        {
                            reader.Read();
                            description = String(ref reader, record, "info.description");
                        }
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    throw HelmReleaseCodec.Fail("'info' must be an object", record.Namespace, record.RecordName);
                }
            }
            else if (reader.ValueTextEquals("chart"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool metadata = reader.ValueTextEquals("metadata"u8);
                        reader.Read();
                        if (metadata && reader.TokenType == JsonTokenType.StartObject)
                        {
                            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                            {
                                if (reader.ValueTextEquals("name"u8))
                                {
                                    reader.Read();
                                    chartName = String(ref reader, record, "chart.metadata.name");
                                }
                                else if (reader.ValueTextEquals("version"u8))
                                {
                                    reader.Read();
                                    chartVersion = String(ref reader, record, "chart.metadata.version");
                                }
                                else if (reader.ValueTextEquals("appVersion"u8))
                                {
                                    reader.Read();
                                    appVersion = String(ref reader, record, "chart.metadata.appVersion");
                                }
                                else
                                {
                                    reader.Read();
                                    reader.Skip();
                                }
                            }
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw HelmReleaseCodec.Fail("the release JSON is truncated", record.Namespace, record.RecordName);
        }

        if (string.IsNullOrEmpty(name))
        {
            throw HelmReleaseCodec.Fail("the release JSON has no 'name'", record.Namespace, record.RecordName);
        }

        DateTimeOffset? when = null;
        if (updated is { Length: > 0 })
        {
            if (!HelmReleaseCodec.TryParseTime(updated, out DateTimeOffset parsed))
            {
                if (!updated.StartsWith("0001-01-01T00:00:00", StringComparison.Ordinal))
                {
                    throw HelmReleaseCodec.Fail($"'info.last_deployed' is not an RFC 3339 time: '{updated}'", record.Namespace, record.RecordName);
                }
            }
            else
            {
                when = parsed;
            }
        }

        return new ReleaseSummary(
            name,
            string.IsNullOrEmpty(ns) ? _pool.Intern(record.Namespace) : ns,
            version,
            ReleaseStatusNames.Parse(status),
            chartName ?? string.Empty,
            chartVersion ?? string.Empty,
            appVersion ?? string.Empty,
            when,
            description ?? string.Empty,
            InternLabels(record.Labels));
    }

    private string? String(ref Utf8JsonReader reader, ReleaseRecord record, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String when !reader.ValueIsEscaped && !reader.HasValueSequence:
                return _pool.InternUtf8(reader.ValueSpan);
            case JsonTokenType.String:
                return _pool.Intern(reader.GetString()!);
            default:
                throw HelmReleaseCodec.Fail($"'{field}' must be a string", record.Namespace, record.RecordName);
        }
    }

    private IReadOnlyDictionary<string, string> InternLabels(IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count == 0)
        {
            return FrozenDictionary<string, string>.Empty;
        }

        var key = new StringBuilder();
        foreach (var (k, v) in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            key.Append(k).Append('\u0001').Append(v).Append('\u0002');
        }

        string canonical = key.ToString();
        if (!_labelSets.TryGetValue(canonical, out var shared))
        {
            shared = labels.ToFrozenDictionary(p => _pool.Intern(p.Key), p => _pool.Intern(p.Value), StringComparer.Ordinal);
            _labelSets[canonical] = shared;
        }

        return shared;
    }
}
