using System.Text;

namespace Platform.Kubernetes.Logs;

/// <summary>
/// The name of a pod log in the <c>pod</c> log source: <c>NAMESPACE/POD[/CONTAINER][?previous][&amp;timestamps]</c>.
/// </summary>
/// <remarks>
/// <para>The container may be left out when the pod has exactly one container; the API server then picks it (and answers
/// <c>400</c>, naming the choices, when there are several).</para>
/// <para>Options follow a <c>?</c>, separated by <c>&amp;</c>, each bare (meaning <c>true</c>) or <c>=true</c>/<c>=false</c>:
/// <c>previous</c> reads the log of the previous, terminated instance of the container (after a restart);
/// <c>timestamps</c> asks the server to prefix every line with its RFC 3339 time. Kubernetes names never contain <c>?</c>,
/// so the suffix cannot be confused with a name.</para>
/// <para>Names are checked as Kubernetes checks them: the namespace and the container are DNS-1123 labels (lowercase
/// letters, digits and <c>-</c>, at most 63 characters), the pod a DNS-1123 subdomain (labels joined by <c>.</c>, at most
/// 253 characters). Immutable and thread-safe.</para>
/// </remarks>
/// <param name="Namespace">The namespace.</param>
/// <param name="Pod">The pod name.</param>
/// <param name="Container">The container, or <see langword="null"/> for the pod's only container.</param>
/// <param name="Previous">Whether the previous, terminated container instance is read.</param>
/// <param name="Timestamps">Whether the server prefixes each line with its RFC 3339 time.</param>
public sealed record PodLogName(string Namespace, string Pod, string? Container = null, bool Previous = false, bool Timestamps = false)
{
    /// <summary>The grammar, as shown in error messages.</summary>
    public const string Syntax = "NAMESPACE/POD[/CONTAINER][?previous][&timestamps]";

    /// <summary>Parses a pod log name.</summary>
    /// <param name="name">The name, for example <c>shop/web-7d9f/app?previous</c>.</param>
    /// <returns>The parsed name.</returns>
    /// <exception cref="ArgumentException">The name is malformed; the message quotes it, names the wrong part and shows <see cref="Syntax"/>.</exception>
    public static PodLogName Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out PodLogName? result, out string? error)
            ? result
            : throw new ArgumentException(error, nameof(name));
    }

    /// <summary>Parses a pod log name without throwing.</summary>
    /// <param name="name">The name.</param>
    /// <param name="result">The parsed name, or <see langword="null"/>.</param>
    /// <param name="error">Why the name is malformed, or <see langword="null"/>.</param>
    /// <returns>Whether the name is well formed.</returns>
    public static bool TryParse(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PodLogName? result, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrEmpty(name))
        {
            error = $"The pod log name is empty; expected {Syntax}.";
            return false;
        }

        string path = name;
        string? options = null;
        int question = name.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            path = name[..question];
            options = name[(question + 1)..];
        }

        string[] parts = path.Split('/');
        if (parts.Length is < 2 or > 3)
        {
            error = $"The pod log name '{name}' has {parts.Length} part(s) separated by '/'; expected {Syntax}.";
            return false;
        }

        if (!IsLabel(parts[0]))
        {
            error = $"The pod log name '{name}' has an invalid namespace '{parts[0]}': expected a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters); the whole name is {Syntax}.";
            return false;
        }

        if (!IsSubdomain(parts[1]))
        {
            error = $"The pod log name '{name}' has an invalid pod name '{parts[1]}': expected a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters); the whole name is {Syntax}.";
            return false;
        }

        string? container = parts.Length == 3 ? parts[2] : null;
        if (container is not null && !IsLabel(container))
        {
            error = $"The pod log name '{name}' has an invalid container name '{container}': expected a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), or leave '/CONTAINER' out for a pod with one container; the whole name is {Syntax}.";
            return false;
        }

        bool previous = false;
        bool timestamps = false;
        if (options is not null)
        {
            foreach (string option in options.Split('&'))
            {
                int eq = option.IndexOf('=', StringComparison.Ordinal);
                string key = eq < 0 ? option : option[..eq];
                string? value = eq < 0 ? null : option[(eq + 1)..];
                bool flag;
                if (value is null or "true")
                {
                    flag = true;
                }
                else if (value == "false")
                {
                    flag = false;
                }
                else
                {
                    error = $"The pod log name '{name}' has option '{key}={value}': expected true or false (or the bare option for true).";
                    return false;
                }

                switch (key)
                {
                    case "previous":
                        previous = flag;
                        break;
                    case "timestamps":
                        timestamps = flag;
                        break;
                    default:
                        error = $"The pod log name '{name}' has an unknown option '{key}': expected previous or timestamps ({Syntax}).";
                        return false;
                }
            }
        }

        result = new PodLogName(parts[0], parts[1], container, previous, timestamps);
        error = null;
        return true;
    }

    /// <summary>Formats the name in the grammar <see cref="Parse"/> reads.</summary>
    /// <returns>For example <c>shop/web-7d9f/app?previous</c>.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder(Namespace).Append('/').Append(Pod);
        if (Container is not null)
        {
            sb.Append('/').Append(Container);
        }

        if (Previous)
        {
            sb.Append("?previous");
        }

        if (Timestamps)
        {
            sb.Append(Previous ? '&' : '?').Append("timestamps");
        }

        return sb.ToString();
    }

    private static bool IsLabel(string s, int maxLength = 63)
    {
        if (s.Length == 0 || s.Length > maxLength || s[0] == '-' || s[^1] == '-')
        {
            return false;
        }

        foreach (char c in s)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSubdomain(string s)
    {
        if (s.Length is 0 or > 253)
        {
            return false;
        }

        foreach (string label in s.Split('.'))
        {
            // A subdomain's parts are not limited to 63 characters each, only the whole to 253.
            if (!IsLabel(label, 253))
            {
                return false;
            }
        }

        return true;
    }
}
