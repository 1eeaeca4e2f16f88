using System.Text;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// Interns strings for the catalog (names, namespaces, chart names and versions, statuses, descriptions) without
/// the process-wide, never-freed <see cref="string.Intern(string)"/>. Not thread-safe: one writer owns it.
/// </summary>
internal sealed class StringPool
{
    private const int StackLimit = 256;
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _strings.Count;

    public string Intern(string value)
    {
        if (_strings.TryGetValue(value, out string? existing))
        {
            return existing;
        }

        _strings.Add(value);
        return value;
    }

    public string Intern(ReadOnlySpan<char> value)
    {
        if (_lookup.TryGetValue(value, out string? existing))
        {
            return existing;
        }

        string created = value.ToString();
        _strings.Add(created);
        return created;
    }

    /// <summary>Interns UTF-8 text, decoding it on the stack when it is short.</summary>
    public string InternUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > StackLimit)
        {
            return Intern(Encoding.UTF8.GetString(utf8));
        }

        Span<char> chars = stackalloc char[StackLimit];
        int count = Encoding.UTF8.GetChars(utf8, chars);
        return Intern(chars[..count]);
    }
}
