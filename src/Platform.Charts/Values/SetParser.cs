using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Abstractions;

namespace Platform.Charts.Values;

/// <summary>
/// Helm's <c>strvals</c> grammar for <c>--set</c>, <c>--set-string</c>, <c>--set-json</c>, <c>--set-file</c> and
/// <c>--set-literal</c>, restated over <see cref="JsonObject"/>.
/// </summary>
/// <remarks>
/// <c>name=value</c> pairs separated by commas; dots nest maps (at most 30 levels); <c>[i]</c> indexes lists
/// (at most 65536, gaps filled with null); <c>{a,b}</c> is a list value; a backslash escapes the next character.
/// Writing through an existing value of another shape (a map key under a scalar, an index into a non-list) is an
/// error. The literal mode takes everything after the first <c>=</c> verbatim and has no escapes or commas.
/// </remarks>
internal sealed class SetParser
{
    /// <summary>The largest list index Helm accepts.</summary>
    public const int MaxIndex = 65536;

    /// <summary>The deepest dotted name Helm accepts.</summary>
    public const int MaxNestedNameLevel = 30;

    private static readonly char[] KeyStops = ['=', '[', ',', '.'];
    private static readonly char[] LiteralKeyStops = ['=', '[', '.'];
    private static readonly char[] IndexStops = [']'];
    private static readonly char[] ListItemStops = ['[', '.', '='];
    private static readonly char[] ValueStops = [','];
    private static readonly char[] ListValueStops = [',', '}'];

    private readonly string _expression;
    private readonly SetMode _mode;
    private readonly Func<string, JsonNode?>? _fileReader;
    private readonly string _flag;
    private int _pos;

    private SetParser(string expression, SetMode mode, Func<string, JsonNode?>? fileReader)
    {
        _expression = expression;
        _mode = mode;
        _fileReader = fileReader;
        _flag = mode switch
        {
            SetMode.String => "--set-string",
            SetMode.Json => "--set-json",
            SetMode.File => "--set-file",
            SetMode.Literal => "--set-literal",
            _ => "--set",
        };
    }

    /// <summary>Parses one expression into <paramref name="target"/>, mutating it.</summary>
    public static void ParseInto(string expression, JsonObject target, SetMode mode, Func<string, JsonNode?>? fileReader = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(target);
        if (mode == SetMode.File && fileReader is null)
        {
            throw new ArgumentNullException(nameof(fileReader), "--set-file needs a file reader.");
        }

        var parser = new SetParser(expression, mode, fileReader);
        while (parser.Key(target, 0))
        {
        }
    }

    // Returns false at the end of input; throws on error.
    private bool Key(JsonObject data, int nestedNameLevel)
    {
        bool literal = _mode == SetMode.Literal;
        string key = ReadUntil(literal ? LiteralKeyStops : KeyStops, !literal, out char last, out bool eof);
        if (eof)
        {
            if (key.Length == 0)
            {
                return false;
            }

            throw Error($"key \"{key}\" has no value");
        }

        switch (last)
        {
            case '[':
            {
                int index = KeyIndex();
                JsonArray list = ExistingList(data, key) ?? new JsonArray();
                bool more = ListItem(list, index, nestedNameLevel, key);
                Set(data, key, list);
                return more;
            }

            case '=':
                if (literal)
                {
                    Set(data, key, JsonValue.Create(ReadRest()));
                    return true;
                }

                if (_mode == SetMode.Json)
                {
                    Set(data, key, JsonValueAfterEquals());
                    return true;
                }

                return AssignValue(value => Set(data, key, value));

            case ',':
                Set(data, key, JsonValue.Create(string.Empty));
                throw Error($"key \"{key}\" has no value (cannot end with ,)");

            default: // '.'
            {
                nestedNameLevel++;
                if (nestedNameLevel > MaxNestedNameLevel)
                {
                    throw Error($"value name nested level is greater than maximum supported nested level of {MaxNestedNameLevel}");
                }

                JsonObject inner = ExistingMap(data, key) ?? new JsonObject();
                bool more = Key(inner, nestedNameLevel);
                if (more && inner.Count == 0)
                {
                    throw Error($"key map \"{key}\" has no value");
                }

                if (inner.Count != 0)
                {
                    Set(data, key, inner);
                }

                return more;
            }
        }
    }

    /// <summary>Reads a value after '=' in the typed, string and file modes: a <c>{a,b}</c> list or a single value.</summary>
    private bool AssignValue(Action<JsonNode?> assign)
    {
        if (_pos >= _expression.Length)
        {
            assign(JsonValue.Create(string.Empty));
            return false;
        }

        if (_expression[_pos] == '{')
        {
            _pos++;
            assign(ValueList());
            return true;
        }

        string raw = ReadUntil(ValueStops, escapes: true, out _, out _);
        assign(Convert(raw));
        return true;
    }

    private JsonArray ValueList()
    {
        var list = new JsonArray();
        while (true)
        {
            string item = ReadUntil(ListValueStops, escapes: true, out char last, out bool eof);
            if (eof)
            {
                throw Error("list must terminate with '}'");
            }

            if (last == '}')
            {
                if (_pos < _expression.Length && _expression[_pos] == ',')
                {
                    _pos++;
                }

                list.Add(Convert(item));
                return list;
            }

            list.Add(Convert(item));
        }
    }

    private int KeyIndex()
    {
        int start = _pos;
        string text = ReadUntil(IndexStops, escapes: !(_mode == SetMode.Literal), out _, out bool eof);
        if (eof)
        {
            throw Error("error parsing index: missing ']'");
        }

        // Like go's strconv.Atoi: optional sign, decimal digits, no spaces.
        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long index)
            || text.Length == 0 || char.IsWhiteSpace(text[0]))
        {
            throw Error($"error parsing index: strconv.Atoi: parsing \"{text}\": invalid syntax", start);
        }

        if (index < 0)
        {
            throw Error($"negative {index} index not allowed", start);
        }

        if (index > MaxIndex)
        {
            throw Error($"index of {index} is greater than maximum supported index of {MaxIndex}", start);
        }

        return (int)index;
    }

    // Returns false at the end of input; throws on error.
    private bool ListItem(JsonArray list, int index, int nestedNameLevel, string path)
    {
        bool literal = _mode == SetMode.Literal;
        string rest = ReadUntil(ListItemStops, escapes: !literal, out char last, out bool eof);
        if (rest.Length > 0)
        {
            throw Error($"unexpected data at end of array index: \"{rest}\"");
        }

        if (eof)
        {
            return false;
        }

        switch (last)
        {
            case '=':
                if (literal)
                {
                    SetIndex(list, index, JsonValue.Create(ReadRest()));
                    return true;
                }

                if (_mode == SetMode.Json)
                {
                    SetIndex(list, index, JsonValueAfterEquals());
                    return true;
                }

                return AssignValue(value => SetIndex(list, index, value));

            case '[':
            {
                int next = KeyIndex();
                JsonArray? current = null;
                if (list.Count > index && list[index] is { } existing)
                {
                    current = existing as JsonArray ?? throw Error($"cannot index into {path}[{index}]: it holds {Describe(existing)}, not a list");
                }

                current ??= new JsonArray();
                bool more = ListItem(current, next, nestedNameLevel, $"{path}[{index}]");
                SetIndex(list, index, current);
                return more;
            }

            default: // '.'
            {
                JsonObject inner;
                if (list.Count > index && list[index] is JsonObject map)
                {
                    inner = map;
                }
                else
                {
                    // Helm replaces a non-map item here ("indices out of order") rather than failing.
                    inner = new JsonObject();
                    if (list.Count > index)
                    {
                        list[index] = inner;
                    }
                }

                bool more = Key(inner, nestedNameLevel);
                SetIndex(list, index, inner);
                return more;
            }
        }
    }

    private JsonNode? JsonValueAfterEquals()
    {
        if (EmptyValue())
        {
            return null;
        }

        int start = _pos;
        byte[] utf8 = Encoding.UTF8.GetBytes(_expression.Substring(_pos));
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowMultipleValues = true });
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(ref reader);
        }
        catch (JsonException ex)
        {
            throw Error($"invalid JSON value: {ex.Message}", start);
        }

        _pos += Encoding.UTF8.GetCharCount(utf8, 0, (int)reader.BytesConsumed);
        EmptyValue();
        return node;
    }

    /// <summary>Skips spaces; true (and the comma consumed) at a comma or the end, false before anything else.</summary>
    private bool EmptyValue()
    {
        while (_pos < _expression.Length)
        {
            char c = _expression[_pos];
            if (c == ',')
            {
                _pos++;
                return true;
            }

            if (!char.IsWhiteSpace(c))
            {
                return false;
            }

            _pos++;
        }

        return true;
    }

    private JsonNode? Convert(string raw) => _mode switch
    {
        SetMode.String => JsonValue.Create(raw),
        SetMode.File => ReadFile(raw),
        _ => TypedValue(raw),
    };

    private JsonNode? ReadFile(string path)
    {
        try
        {
            return _fileReader!(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ValuesException)
        {
            throw Error($"cannot read file '{path}': {ex.Message}", innerException: ex);
        }
    }

    /// <summary>Helm's <c>typedVal</c>: true/false/null in any case, 0, and base-10 int64 without a leading zero.</summary>
    internal static JsonNode? TypedValue(string value)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return JsonValue.Create(true);
        }

        if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return JsonValue.Create(false);
        }

        if (value.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (value == "0")
        {
            return YamlScalarResolver.Number("0");
        }

        if (value.Length != 0 && value[0] != '0' && IsGoBase10Int64(value, out long number))
        {
            return YamlScalarResolver.Number(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(value);
    }

    private static bool IsGoBase10Int64(string s, out long value)
    {
        value = 0;
        int i = s[0] is '+' or '-' ? 1 : 0;
        if (i == s.Length)
        {
            return false;
        }

        for (int j = i; j < s.Length; j++)
        {
            if (!char.IsAsciiDigit(s[j]))
            {
                return false;
            }
        }

        return long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private static void Set(JsonObject data, string key, JsonNode? value)
    {
        if (key.Length == 0)
        {
            return;
        }

        if (data.TryGetPropertyValue(key, out JsonNode? existing) && ReferenceEquals(existing, value) && value is not null)
        {
            return;
        }

        data[key] = value;
    }

    private void SetIndex(JsonArray list, int index, JsonNode? value)
    {
        if (index > MaxIndex)
        {
            throw Error($"index of {index} is greater than maximum supported index of {MaxIndex}");
        }

        while (list.Count <= index)
        {
            list.Add(null);
        }

        if (!ReferenceEquals(list[index], value) || value is null)
        {
            list[index] = value;
        }
    }

    private JsonObject? ExistingMap(JsonObject data, string key)
    {
        if (!data.TryGetPropertyValue(key, out JsonNode? existing))
        {
            return null;
        }

        return existing as JsonObject ?? throw Error($"cannot set a key under \"{key}\": it holds {Describe(existing)}, not a map");
    }

    private JsonArray? ExistingList(JsonObject data, string key)
    {
        if (!data.TryGetPropertyValue(key, out JsonNode? existing))
        {
            return null;
        }

        return existing as JsonArray ?? throw Error($"cannot index into \"{key}\": it holds {Describe(existing)}, not a list");
    }

    private string ReadUntil(char[] stops, bool escapes, out char last, out bool eof)
    {
        var sb = new StringBuilder();
        while (_pos < _expression.Length)
        {
            char c = _expression[_pos++];
            if (Array.IndexOf(stops, c) >= 0)
            {
                last = c;
                eof = false;
                return sb.ToString();
            }

            if (escapes && c == '\\')
            {
                if (_pos >= _expression.Length)
                {
                    break;
                }

                sb.Append(_expression[_pos++]);
                continue;
            }

            sb.Append(c);
        }

        last = '\0';
        eof = true;
        return sb.ToString();
    }

    private string ReadRest()
    {
        string rest = _expression.Substring(_pos);
        _pos = _expression.Length;
        return rest;
    }

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a map",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "the string " + v.ToJsonString(),
            JsonValueKind.Number => "the number " + v.ToJsonString(),
            _ => "the boolean " + v.ToJsonString(),
        },
        _ => "a value",
    };

    private SetExpressionException Error(string what, int? position = null, Exception? innerException = null)
    {
        int at = Math.Min(position ?? _pos, _expression.Length);
        return new SetExpressionException(
            $"failed parsing {_flag} \"{_expression}\" at position {at}: {what}",
            _expression,
            at,
            innerException: innerException);
    }
}

/// <summary>Which flag of the <c>--set</c> family an expression came from.</summary>
public enum SetMode
{
    /// <summary><c>--set</c>: values are typed (true/false/null, integers, else strings).</summary>
    Typed,

    /// <summary><c>--set-string</c>: values are strings.</summary>
    String,

    /// <summary><c>--set-json</c>: values are JSON (an empty value is null).</summary>
    Json,

    /// <summary><c>--set-file</c>: values are paths whose content becomes the string value.</summary>
    File,

    /// <summary><c>--set-literal</c>: the rest of the input after the first <c>=</c> is the value, verbatim.</summary>
    Literal,
}
