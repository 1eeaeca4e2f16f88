using System.Buffers;

namespace Platform.Logging.Multiline;

/// <summary>Finds the severity of a plain-text line cheaply: a handful of vectorised searches over its first 256 characters.</summary>
/// <remarks>
/// Recognised, in this order: klog prefixes (<c>E0102 15:04:05…</c>), upper-case level words standing alone
/// (<c>ERROR</c>, <c>WARN</c>, <c>WARNING</c>, <c>INFO</c>, <c>DEBUG</c>, <c>TRACE</c>, <c>FATAL</c>, <c>CRITICAL</c>,
/// <c>SEVERE</c>, <c>NOTICE</c>, <c>PANIC</c>, …), lower-case bracketed words (<c>[error]</c>, as nginx writes) and logfmt
/// <c>level=…</c>. Lower-case words outside brackets are ignored on purpose: "no error occurred" is not an error.
/// Results are the shared constants ERROR, WARN, INFO, DEBUG, TRACE, FATAL (no allocation).
/// </remarks>
internal static class LevelDetector
{
    internal const string Error = "ERROR";
    internal const string Warn = "WARN";
    internal const string Info = "INFO";
    internal const string Debug = "DEBUG";
    internal const string Trace = "TRACE";
    internal const string Fatal = "FATAL";

    private const int ScanLimit = 256;

    private static readonly SearchValues<string> UpperWords = SearchValues.Create(
        ["ERR", "WARN", "INFO", "DEBUG", "TRACE", "FATAL", "CRIT", "SEVERE", "NOTICE", "EMERG", "ALERT", "PANIC"],
        StringComparison.Ordinal);

    private static readonly SearchValues<char> UpperLetters = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static readonly SearchValues<string> BracketWords = SearchValues.Create(
        ["[error]", "[warn]", "[warning]", "[info]", "[debug]", "[trace]", "[fatal]", "[crit]", "[critical]", "[alert]", "[emerg]", "[notice]"],
        StringComparison.Ordinal);

    /// <summary>Returns the normalised level named by <paramref name="line"/>, or <see langword="null"/>.</summary>
    public static string? Detect(ReadOnlySpan<char> line)
    {
        if (line.Length > ScanLimit)
        {
            line = line[..ScanLimit];
        }

        if (line.Length >= 6 && line[5] == ' ' && char.IsAsciiDigit(line[1]) && char.IsAsciiDigit(line[2]) && char.IsAsciiDigit(line[3]) && char.IsAsciiDigit(line[4]))
        {
            switch (line[0])
            {
                case 'I': return Info;
                case 'W': return Warn;
                case 'E': return Error;
                case 'F': return Fatal;
            }
        }

        if (!MayNameLevel(line))
        {
            return null;
        }

        var offset = 0;
        while (offset < line.Length)
        {
            var rest = line[offset..];
            var at = rest.IndexOfAny(UpperWords);
            if (at < 0)
            {
                break;
            }

            var start = offset + at;
            var end = start;
            while (end < line.Length && char.IsAsciiLetterUpper(line[end]))
            {
                end++;
            }

            if ((start == 0 || !char.IsAsciiLetterOrDigit(line[start - 1])) && (end == line.Length || !char.IsAsciiLetterOrDigit(line[end])))
            {
                var level = Normalize(line[start..end]);
                if (level is not null)
                {
                    return level;
                }
            }

            offset = end;
        }

        var bracket = line.IndexOfAny(BracketWords);
        if (bracket >= 0)
        {
            var close = line[bracket..].IndexOf(']');
            return Normalize(line.Slice(bracket + 1, close - 1));
        }

        var logfmt = line.IndexOf("level=", StringComparison.OrdinalIgnoreCase);
        if (logfmt >= 0 && (logfmt == 0 || !char.IsAsciiLetterOrDigit(line[logfmt - 1])))
        {
            var value = line[(logfmt + 6)..].TrimStart('"');
            var stop = 0;
            while (stop < value.Length && char.IsAsciiLetter(value[stop]))
            {
                stop++;
            }

            return Normalize(value[..stop]);
        }

        return null;
    }

    /// <summary>
    /// A cheap necessary condition for the searches below: every upper-case level word has at least two upper-case
    /// letters in a row, every bracketed word a <c>[</c>, logfmt a <c>=</c>. Most stack-frame and message lines have none
    /// of these, so they skip the three full searches.
    /// </summary>
    private static bool MayNameLevel(ReadOnlySpan<char> line)
    {
        if (line.IndexOfAny('[', '=') >= 0)
        {
            return true;
        }

        var i = 0;
        while (true)
        {
            var at = line[i..].IndexOfAny(UpperLetters);
            if (at < 0)
            {
                return false;
            }

            i += at + 1;
            if (i < line.Length && char.IsAsciiLetterUpper(line[i]))
            {
                return true;
            }
        }
    }

    /// <summary>Maps a level word (any case) to the shared constant, or <see langword="null"/> when it names no level.</summary>
    public static string? Normalize(ReadOnlySpan<char> word)
    {
        if (word.Length is 0 or > 11)
        {
            return null;
        }

        Span<char> upper = stackalloc char[word.Length];
        word.ToUpperInvariant(upper);
        return upper switch
        {
            "ERROR" or "ERR" or "SEVERE" or "E" => Error,
            "WARN" or "WARNING" or "W" => Warn,
            "INFO" or "INFORMATION" or "NOTICE" or "I" => Info,
            "DEBUG" or "FINE" or "D" => Debug,
            "TRACE" or "VERBOSE" or "FINEST" or "FINER" or "T" or "V" => Trace,
            "FATAL" or "CRIT" or "CRITICAL" or "EMERG" or "EMERGENCY" or "ALERT" or "PANIC" or "DPANIC" or "F" => Fatal,
            _ => null,
        };
    }
}
