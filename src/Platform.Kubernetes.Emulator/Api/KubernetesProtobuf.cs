using System.Text;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Emulator.Api;

/// <summary>
/// Decodes the protobuf request bodies kubectl's typed clients send for its imperative generators
/// (<c>kubectl create namespace|configmap|secret|serviceaccount</c>): the <c>k8s\0</c> envelope (a
/// <c>runtime.Unknown</c>), <c>ObjectMeta</c> and those four kinds, by the field numbers of their published
/// <c>generated.proto</c> files. Other kinds answer 415, as before.
/// </summary>
internal static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw ApiException.BadRequest("the protobuf body does not start with the Kubernetes envelope (k8s\\0)");
        }

        string apiVersion = "";
        string kind = "";
        byte[] raw = [];
        var envelope = new Reader(body.AsMemory(Magic.Length));
        while (envelope.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1:
                    var typeMeta = new Reader(envelope.Bytes());
                    while (typeMeta.Next(out int f, out int w))
                    {
                        if (f == 1)
                        {
                            apiVersion = typeMeta.String();
                        }
                        else if (f == 2)
                        {
                            kind = typeMeta.String();
                        }
                        else
                        {
                            typeMeta.Skip(w);
                        }
                    }

                    break;
                case 2:
                    raw = envelope.Bytes().ToArray();
                    break;
                default:
                    envelope.Skip(wire);
                    break;
            }
        }

        JsonObject obj = kind switch
        {
            "Namespace" => Namespace(raw),
            "ConfigMap" => ConfigMap(raw),
            "Secret" => Secret(raw),
            "ServiceAccount" => ServiceAccount(raw),
            _ => throw new ApiException(415, "UnsupportedMediaType", $"the emulator decodes protobuf only for Namespace, ConfigMap, Secret and ServiceAccount (got {kind}); send JSON"),
        };
        var ordered = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion };
        foreach (var (key, value) in obj.ToList())
        {
            obj.Remove(key);
            ordered[key] = value;
        }

        return ordered;
    }

    private static JsonObject Namespace(byte[] raw)
    {
        var obj = new JsonObject();
        var reader = new Reader(raw);
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1:
                    obj["metadata"] = Metadata(reader.Bytes());
                    break;
                case 2:
                    var spec = new JsonObject();
                    var finalizers = new JsonArray();
                    var specReader = new Reader(reader.Bytes());
                    while (specReader.Next(out int f, out int w))
                    {
                        if (f == 1)
                        {
                            finalizers.Add(specReader.String());
                        }
                        else
                        {
                            specReader.Skip(w);
                        }
                    }

                    if (finalizers.Count > 0)
                    {
                        spec["finalizers"] = finalizers;
                    }

                    obj["spec"] = spec;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return obj;
    }

    private static JsonObject ConfigMap(byte[] raw)
    {
        var obj = new JsonObject();
        var reader = new Reader(raw);
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1:
                    obj["metadata"] = Metadata(reader.Bytes());
                    break;
                case 2:
                    AddMapEntry(obj, "data", reader.Bytes(), base64: false);
                    break;
                case 3:
                    AddMapEntry(obj, "binaryData", reader.Bytes(), base64: true);
                    break;
                case 4:
                    obj["immutable"] = reader.Varint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return obj;
    }

    private static JsonObject Secret(byte[] raw)
    {
        var obj = new JsonObject();
        var reader = new Reader(raw);
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1:
                    obj["metadata"] = Metadata(reader.Bytes());
                    break;
                case 2:
                    AddMapEntry(obj, "data", reader.Bytes(), base64: true);
                    break;
                case 3:
                    SetIfNotEmpty(obj, "type", reader.String());
                    break;
                case 4:
                    AddMapEntry(obj, "stringData", reader.Bytes(), base64: false);
                    break;
                case 5:
                    obj["immutable"] = reader.Varint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return obj;
    }

    private static JsonObject ServiceAccount(byte[] raw)
    {
        var obj = new JsonObject();
        var reader = new Reader(raw);
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1:
                    obj["metadata"] = Metadata(reader.Bytes());
                    break;
                case 3:
                    var names = new Reader(reader.Bytes());
                    string name = "";
                    while (names.Next(out int f, out int w))
                    {
                        if (f == 1)
                        {
                            name = names.String();
                        }
                        else
                        {
                            names.Skip(w);
                        }
                    }

                    var list = obj["imagePullSecrets"] as JsonArray ?? new JsonArray();
                    list.Add(new JsonObject { ["name"] = name });
                    obj["imagePullSecrets"] = list;
                    break;
                case 4:
                    obj["automountServiceAccountToken"] = reader.Varint() != 0;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return obj;
    }

    /// <summary>Decodes the <c>ObjectMeta</c> fields a client sets on create (the server sets the rest).</summary>
    private static JsonObject Metadata(ReadOnlyMemory<byte> bytes)
    {
        var meta = new JsonObject();
        var reader = new Reader(bytes);
        while (reader.Next(out int field, out int wire))
        {
            switch (field)
            {
                case 1:
                    SetIfNotEmpty(meta, "name", reader.String());
                    break;
                case 2:
                    SetIfNotEmpty(meta, "generateName", reader.String());
                    break;
                case 3:
                    SetIfNotEmpty(meta, "namespace", reader.String());
                    break;
                case 5:
                    SetIfNotEmpty(meta, "uid", reader.String());
                    break;
                case 6:
                    SetIfNotEmpty(meta, "resourceVersion", reader.String());
                    break;
                case 11:
                    AddMapEntry(meta, "labels", reader.Bytes(), base64: false);
                    break;
                case 12:
                    AddMapEntry(meta, "annotations", reader.Bytes(), base64: false);
                    break;
                case 14:
                    var finalizers = meta["finalizers"] as JsonArray ?? new JsonArray();
                    finalizers.Add(reader.String());
                    meta["finalizers"] = finalizers;
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return meta;
    }

    /// <summary>gogo-protobuf writes empty strings; JSON from the real server omits them.</summary>
    private static void SetIfNotEmpty(JsonObject target, string property, string value)
    {
        if (value.Length > 0)
        {
            target[property] = value;
        }
    }

    private static void AddMapEntry(JsonObject target, string property, ReadOnlyMemory<byte> entry, bool base64)
    {
        string key = "";
        byte[] value = [];
        var reader = new Reader(entry);
        while (reader.Next(out int field, out int wire))
        {
            if (field == 1)
            {
                key = reader.String();
            }
            else if (field == 2)
            {
                value = reader.Bytes().ToArray();
            }
            else
            {
                reader.Skip(wire);
            }
        }

        var map = target[property] as JsonObject ?? new JsonObject();
        map[key] = base64 ? Convert.ToBase64String(value) : Encoding.UTF8.GetString(value);
        target[property] = map;
    }

    /// <summary>A protobuf wire-format reader; malformed input throws 400.</summary>
    private struct Reader(ReadOnlyMemory<byte> data)
    {
        private int _position;

        public bool Next(out int field, out int wire)
        {
            if (_position >= data.Length)
            {
                field = 0;
                wire = 0;
                return false;
            }

            ulong tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                if (_position >= data.Length)
                {
                    throw Malformed();
                }

                byte b = data.Span[_position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw Malformed();
        }

        public ReadOnlyMemory<byte> Bytes()
        {
            ulong length = Varint();
            if (length > (ulong)(data.Length - _position))
            {
                throw Malformed();
            }

            ReadOnlyMemory<byte> slice = data.Slice(_position, (int)length);
            _position += (int)length;
            return slice;
        }

        public string String() => Encoding.UTF8.GetString(Bytes().Span);

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    Advance(8);
                    break;
                case 2:
                    Bytes();
                    break;
                case 5:
                    Advance(4);
                    break;
                default:
                    throw Malformed();
            }
        }

        private void Advance(int count)
        {
            if (_position + count > data.Length)
            {
                throw Malformed();
            }

            _position += count;
        }

        private static ApiException Malformed() => ApiException.BadRequest("the protobuf body is malformed");
    }
}
