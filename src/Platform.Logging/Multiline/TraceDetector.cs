using System.Buffers;

namespace Platform.Logging.Multiline;

/// <summary>The languages whose stack traces a <see cref="TraceDetector"/> recognises.</summary>
[Flags]
internal enum TraceLanguages
{
    None = 0,
    Java = 1,
    Python = 2,
    Php = 4,
    Go = 8,
    Ruby = 16,
    Dart = 32,
    All = Java | Python | Php | Go | Ruby | Dart,
}

/// <summary>What a line means for the trace being collected.</summary>
internal enum TraceStatus
{
    /// <summary>The line belongs to no trace: it is a record by itself.</summary>
    NoTrace,

    /// <summary>The line starts a trace (and ends any open one).</summary>
    StartTrace,

    /// <summary>The line continues the open trace.</summary>
    InsideTrace,

    /// <summary>The line is the last line of the open trace.</summary>
    EndTrace,

    /// <summary>A blank line that belongs to the open trace only if the next line confirms it (Python's chained tracebacks).</summary>
    Tentative,
}

/// <summary>
/// A line-by-line state machine that recognises stack traces, after Google's fluent-plugin-detect-exceptions
/// (<c>ExceptionDetector</c>), with every rule written as span tests instead of regular expressions.
/// </summary>
/// <remarks>
/// <para>Semantics (restated from the upstream detector): each state has ordered rules (a line test and a target state).
/// A line is first matched against the rules of the current state; when none matches, the machine falls back to the
/// start state and tries the line once more, since it may begin another trace. "Before" is whether the first attempt
/// matched, "after" whether the final state is not the start state: (true,true) inside, (true,false) end,
/// (false,true) start, (false,false) no trace.</para>
/// <para>Additions over upstream (each kept out of the way of its test vectors): .NET <c>---&gt;</c> inner exceptions and
/// <c>--- End of …</c> markers; inline <c>nested exception is:</c>; Python tracebacks announced at the end of a logger-prefixed
/// line, Python 3.11 caret lines and chained tracebacks ("During handling of the above exception…", "The above exception
/// was the direct cause…"); Go <c>fatal error:</c>, bare goroutine dumps, nested <c>panic:</c> lines and elided frames;
/// plain Ruby <c>file.rb:N:in</c> traces and Rails' unindented backtraces; the source excerpt Node prints before an uncaught error (<c>/app/a.js:12</c>, the
/// code line, the caret line, a blank line); PHP is tried before Java so that <c>PHP Fatal error: Uncaught Exception:</c>
/// keeps its <c>Stack trace:</c>.</para>
/// </remarks>
internal sealed class TraceDetector
{
    private const string PythonTraceback = "Traceback (most recent call last):";

    private static readonly SearchValues<string> JavaStartWords = SearchValues.Create(
        ["Exception", "Error", "Throwable", "V8 errors stack trace"], StringComparison.Ordinal);

    private static readonly SearchValues<string> PhpStartWords = SearchValues.Create(
        ["PHP Notice:", "PHP Parse error:", "PHP Fatal error:", "PHP Warning:", "exception '"], StringComparison.Ordinal);

    private static readonly string[] DartPlainStarts =
    [
        "Instance of", "Exception", "Bad state", "IntegerDivisionByZeroException", "Invalid argument", "RangeError",
        "Assertion failed", "Cannot instantiate", "Reading static variable", "UnimplementedError", "Unsupported operation",
        "Concurrent modification", "Out of Memory", "Stack Overflow",
    ];

    // Every word the start tests of PHP, Java, Go and Ruby search for: a line holding none of them can start none of
    // those traces through a search, so with several languages on, one search rules out four.
    private static readonly SearchValues<string> StartWords = SearchValues.Create(
        ["PHP ", "exception '", "Exception", "Error", "Throwable", "V8 errors stack trace", "panic", ".rb:"], StringComparison.Ordinal);

    private const TraceLanguages SearchingLanguages = TraceLanguages.Php | TraceLanguages.Java | TraceLanguages.Go | TraceLanguages.Ruby;

    private readonly TraceLanguages _languages;
    private readonly bool _prefilter;
    private State _state;
    private bool _tentative;

    public TraceDetector(TraceLanguages languages)
    {
        _languages = languages;
        _prefilter = System.Numerics.BitOperations.PopCount((uint)(languages & SearchingLanguages)) >= 2;
    }

    private enum State : byte
    {
        Start,
        JavaStartException,
        JavaAfterException,
        Java,
        NodeCode,
        NodeCaret,
        NodeBlank,
        Python,
        PythonCode,
        PythonAfterException,
        PythonChain,
        PhpStackBegin,
        PhpStackFrames,
        GoAfterPanic,
        GoAfterSignal,
        GoGoroutine,
        GoFrame1,
        GoFrame2,
        RubyBeforeRails,
        Ruby,
        DartExc,
        DartTypeErr1,
        DartTypeErr2,
        DartTypeErr3,
        DartTypeErr4,
        DartFormatErr1,
        DartFormatErr2,
        DartFormatErr3,
        DartMethodErr1,
        DartMethodErr2,
        DartMethodErr3,
        DartStack,
    }

    /// <summary>Gets whether the machine is inside a trace.</summary>
    public bool InTrace => _state != State.Start;

    /// <summary>Returns to the start state (after a forced flush, as upstream does).</summary>
    public void Reset() => _state = State.Start;

    /// <summary>Feeds one line and says how it relates to the trace.</summary>
    public TraceStatus Update(ReadOnlySpan<char> line)
    {
        _tentative = false;
        if (_state == State.Start)
        {
            // Upstream reports a match from the start state as "inside" and relies on an empty buffer; saying "start"
            // lets the joiner tell a new trace from a continuation.
            return Transition(line) && _state != State.Start ? TraceStatus.StartTrace : TraceStatus.NoTrace;
        }

        var before = Transition(line);
        if (!before)
        {
            Transition(line);
        }

        var after = _state != State.Start;
        if (before && after && _tentative)
        {
            return TraceStatus.Tentative;
        }

        return (before, after) switch
        {
            (true, true) => TraceStatus.InsideTrace,
            (true, false) => TraceStatus.EndTrace,
            (false, true) => TraceStatus.StartTrace,
            _ => TraceStatus.NoTrace,
        };
    }

    private bool Transition(ReadOnlySpan<char> line)
    {
        var next = Next(_state, line);
        if (next is { } target)
        {
            _state = target;
            return true;
        }

        _state = State.Start;
        return false;
    }

    private State? Next(State state, ReadOnlySpan<char> line)
    {
        switch (state)
        {
            case State.Start:
                return FromStart(line);
            case State.JavaStartException:
                return IsJavaStart(line) ? State.JavaAfterException : null;
            case State.JavaAfterException:
                return line.IsEmpty ? State.JavaAfterException : JavaContinuation(line);
            case State.Java:
                return JavaContinuation(line);
            case State.NodeCode:
                return line.IsEmpty ? null : State.NodeCaret;
            case State.NodeCaret:
                return !line.IsEmpty && line.Contains('^') && !line.ContainsAnyExcept(" \t^~") ? State.NodeBlank : null;
            case State.NodeBlank:
                return line.IsEmpty ? State.JavaStartException : null;
            case State.Python:
                {
                    if (IsIndented(line))
                    {
                        return line.TrimStart(" \t").StartsWith("File ", StringComparison.Ordinal) ? State.PythonCode : State.Python;
                    }

                    return IsPythonExceptionLine(line) || IsBarePythonException(line) ? State.PythonAfterException : null;
                }

            case State.PythonCode:
                if (!IsIndented(line) && IsPythonExceptionLine(line))
                {
                    return State.PythonAfterException;
                }

                return line.ContainsAnyExcept(" \t") ? State.Python : null;
            case State.PythonAfterException:
                if (line.IsEmpty)
                {
                    _tentative = true;
                    return State.PythonAfterException;
                }

                return line.StartsWith("During handling of the above exception", StringComparison.Ordinal)
                    || line.StartsWith("The above exception was the direct cause", StringComparison.Ordinal)
                    ? State.PythonChain
                    : null;
            case State.PythonChain:
                if (line.IsEmpty)
                {
                    return State.PythonChain;
                }

                return line.TrimEnd(" \t\r").EndsWith(PythonTraceback, StringComparison.Ordinal) ? State.Python : null;
            case State.PhpStackBegin:
                return line.StartsWith("Stack trace:", StringComparison.Ordinal) ? State.PhpStackFrames : null;
            case State.PhpStackFrames:
                if (line.Length >= 2 && line[0] == '#' && char.IsAsciiDigit(line[1]))
                {
                    return State.PhpStackFrames;
                }

                return IsIndented(line) && line.TrimStart().StartsWith("thrown in ", StringComparison.Ordinal) ? State.Start : null;
            case State.GoAfterPanic:
                if (line.IsEmpty)
                {
                    return State.GoGoroutine;
                }

                if (line.StartsWith("[signal ", StringComparison.Ordinal) || line.StartsWith("PC=", StringComparison.Ordinal))
                {
                    return State.GoAfterSignal;
                }

                if (IsIndented(line) && line.TrimStart().StartsWith("panic: ", StringComparison.Ordinal))
                {
                    return State.GoAfterPanic;
                }

                return IsGoroutineHeader(line) ? State.GoFrame1 : null;
            case State.GoAfterSignal:
                return line.IsEmpty ? State.GoGoroutine : null;
            case State.GoGoroutine:
                return IsGoroutineHeader(line) ? State.GoFrame1 : null;
            case State.GoFrame1:
                if (line.IsEmpty)
                {
                    return State.GoGoroutine;
                }

                if (IsGoFunctionLine(line) || line.StartsWith("created by ", StringComparison.Ordinal))
                {
                    return State.GoFrame2;
                }

                return line.StartsWith("...additional frames elided...", StringComparison.Ordinal) ? State.GoFrame1 : null;
            case State.GoFrame2:
                return line.Length > 0 && char.IsWhiteSpace(line[0]) ? State.GoFrame1 : null;
            case State.RubyBeforeRails:
                if (line is "  " or "")
                {
                    return State.Ruby;
                }

                return IsRubyFrame(line) || IsRubyLocation(line) ? State.Ruby : null;
            case State.Ruby:
                // Rails (5+) prints its backtrace unindented: "actionpack (7.0.4) lib/…/debug_exceptions.rb:28:in `call'".
                return IsRubyFrame(line) || (line.Length > 0 && !line.StartsWith(' ') && IsRubyLocation(line)) ? State.Ruby : null;
            case State.DartExc:
                return DartException(line);
            case State.DartTypeErr1:
                if (IsDartFrame(line))
                {
                    return State.DartStack;
                }

                return line.IsEmpty ? null : State.DartTypeErr2;
            case State.DartTypeErr2:
                return line.Contains('^') ? State.DartTypeErr3 : null;
            case State.DartTypeErr3:
                return line.IsEmpty ? State.DartTypeErr4 : null;
            case State.DartTypeErr4:
                return line.IsEmpty ? State.DartStack : null;
            case State.DartFormatErr1:
                if (IsDartFrame(line))
                {
                    return State.DartStack;
                }

                return line.IsEmpty ? null : State.DartFormatErr2;
            case State.DartFormatErr2:
                return line.Contains('^') ? State.DartFormatErr3 : null;
            case State.DartFormatErr3:
                return line.IsEmpty ? State.DartStack : null;
            case State.DartMethodErr1:
                return line.StartsWith("Receiver:", StringComparison.Ordinal) ? State.DartMethodErr2 : null;
            case State.DartMethodErr2:
                return line.StartsWith("Tried calling:", StringComparison.Ordinal) ? State.DartMethodErr3 : null;
            case State.DartMethodErr3:
                return line.StartsWith("Found:", StringComparison.Ordinal) || IsDartFrame(line) ? State.DartStack : null;
            case State.DartStack:
                return IsDartFrame(line) || line is "<asynchronous suspension>" ? State.DartStack : null;
            default:
                return null;
        }
    }

    private State? FromStart(ReadOnlySpan<char> line)
    {
        var languages = _languages;
        var mayHaveWord = !_prefilter || line.IndexOfAny(StartWords) >= 0;
        if ((languages & TraceLanguages.Php) != 0 && mayHaveWord && IsPhpStart(line))
        {
            return State.PhpStackBegin;
        }

        if ((languages & TraceLanguages.Java) != 0)
        {
            if (mayHaveWord && IsJavaStart(line))
            {
                return State.JavaAfterException;
            }

            if (IsNodeSourceLocation(line))
            {
                return State.NodeCode;
            }
        }

        if ((languages & TraceLanguages.Python) != 0 && line.TrimEnd(" \t\r").EndsWith(PythonTraceback, StringComparison.Ordinal))
        {
            return State.Python;
        }

        if ((languages & TraceLanguages.Go) != 0 && GoStart(line, mayHaveWord) is { } go)
        {
            return go;
        }

        if ((languages & TraceLanguages.Ruby) != 0)
        {
            if (line.EndsWith("):", StringComparison.Ordinal) && line.Contains("Error (", StringComparison.Ordinal))
            {
                return State.RubyBeforeRails;
            }

            if (mayHaveWord && line.Length > 0 && !char.IsWhiteSpace(line[0]) && IsRubyLocation(line))
            {
                return State.Ruby;
            }
        }

        if ((languages & TraceLanguages.Dart) != 0 && line is "Unhandled exception:")
        {
            return State.DartExc;
        }

        return null;
    }

    // Continuations shared by JVM, V8 and .NET traces.
    private static State? JavaContinuation(ReadOnlySpan<char> line)
    {
        var trimmed = line.TrimStart(" \t");
        if (trimmed.Length == 0)
        {
            return null;
        }

        var indented = trimmed.Length < line.Length;
        switch (trimmed[0])
        {
            case 'a':
                return indented && trimmed.StartsWith("at ", StringComparison.Ordinal) ? State.Java : null;
            case 'e':
                return indented && trimmed.StartsWith("eval at ", StringComparison.Ordinal) ? State.Java : null;
            case 'C':
                return trimmed.StartsWith("Caused by:", StringComparison.Ordinal) ? State.JavaAfterException : null;
            case 'S':
                return trimmed.StartsWith("Suppressed:", StringComparison.Ordinal) ? State.JavaAfterException : null;
            case 'n':
                if (!trimmed.StartsWith("nested exception is:", StringComparison.Ordinal))
                {
                    return null;
                }

                // Alone on its line the next line names the cause; inline, the cause is on this line.
                return trimmed[20..].Trim(" \t").IsEmpty ? State.JavaStartException : State.JavaAfterException;
            case '.':
                return IsOmittedFrames(trimmed) ? State.Java : null;
            case '-':
                if (trimmed.StartsWith("--- End of ", StringComparison.Ordinal))
                {
                    return State.Java;
                }

                return trimmed.StartsWith("---> ", StringComparison.Ordinal) ? State.JavaAfterException : null;
            default:
                return null;
        }
    }

    // "... 27 more" / "... 27 common frames omitted"
    private static bool IsOmittedFrames(ReadOnlySpan<char> trimmed)
    {
        if (!trimmed.StartsWith("... ", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = trimmed[4..];
        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        if (digits == 0 || digits >= rest.Length || rest[digits] != ' ')
        {
            return false;
        }

        var tail = rest[(digits + 1)..].TrimEnd(" \t\r");
        return tail is "more" or "common frames omitted";
    }

    // A line holding Exception/Error/Throwable followed by ':' or the end of the line.
    private static bool IsJavaStart(ReadOnlySpan<char> line)
    {
        var offset = 0;
        while (true)
        {
            var rest = line[offset..];
            var at = rest.IndexOfAny(JavaStartWords);
            if (at < 0)
            {
                return false;
            }

            var end = at + WordLength(rest[at..]);
            if (end >= rest.Length || rest[end] is ':' or '\r' or '\n')
            {
                return true;
            }

            offset += at + 1;
        }
    }

    private static int WordLength(ReadOnlySpan<char> word) => word[0] switch
    {
        'T' => "Throwable".Length,
        'V' => "V8 errors stack trace".Length,
        _ => word.StartsWith("Exception", StringComparison.Ordinal) ? "Exception".Length : "Error".Length,
    };

    // Node prints the throwing source line before an uncaught error: "/app/server.js:12", the code, a caret line, a blank.
    private static bool IsNodeSourceLocation(ReadOnlySpan<char> line)
    {
        if (line.Length < 6 || !char.IsAsciiDigit(line[^1]) || line.ContainsAny(" \t"))
        {
            return false;
        }

        var colon = line.LastIndexOf(':');
        if (colon <= 0 || line[(colon + 1)..].ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        var file = line[..colon];
        return file.EndsWith(".js", StringComparison.Ordinal) || file.EndsWith(".mjs", StringComparison.Ordinal)
            || file.EndsWith(".cjs", StringComparison.Ordinal) || file.EndsWith(".ts", StringComparison.Ordinal);
    }

    private static bool IsPhpStart(ReadOnlySpan<char> line)
    {
        var at = line.IndexOfAny(PhpStartWords);
        if (at < 0)
        {
            return false;
        }

        if (line[at] == 'P')
        {
            return true;
        }

        // exception '[^']+' with message '
        var rest = line[(at + "exception '".Length)..];
        var quote = rest.IndexOf('\'');
        return quote > 0 && rest[(quote + 1)..].StartsWith(" with message '", StringComparison.Ordinal);
    }

    private static State? GoStart(ReadOnlySpan<char> line, bool mayHavePanic)
    {
        // One search for "panic" serves both tests: the first "panic: " decides (at a word start it opens a panic),
        // and "http: panic serving" anywhere opens a goroutine dump.
        var colonSeen = false;
        var httpPanic = false;
        var offset = mayHavePanic ? 0 : line.Length;
        while (offset < line.Length)
        {
            var at = line[offset..].IndexOf("panic", StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            var panic = offset + at;
            if (!colonSeen && line[panic..].StartsWith("panic: ", StringComparison.Ordinal))
            {
                colonSeen = true;
                if (panic == 0 || !IsWordChar(line[panic - 1]))
                {
                    return State.GoAfterPanic;
                }
            }

            httpPanic |= panic >= 6 && line[(panic - 6)..].StartsWith("http: panic serving", StringComparison.Ordinal);
            offset = panic + 1;
        }

        if (httpPanic)
        {
            return State.GoGoroutine;
        }

        if (line.StartsWith("fatal error: ", StringComparison.Ordinal) || line.StartsWith("SIGQUIT: quit", StringComparison.Ordinal))
        {
            return State.GoAfterPanic;
        }

        return IsGoroutineHeader(line) ? State.GoFrame1 : null;
    }

    // goroutine 12 [running]:
    private static bool IsGoroutineHeader(ReadOnlySpan<char> line)
    {
        if (!line.StartsWith("goroutine ", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line[10..];
        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        if (digits == 0 || !rest[digits..].StartsWith(" [", StringComparison.Ordinal) || !rest.EndsWith("]:", StringComparison.Ordinal))
        {
            return false;
        }

        var inside = rest[(digits + 2)..^2];
        return inside.Length > 0 && !inside.Contains(']');
    }

    // main.main(), net/http.(*conn).serve(0xc0), panic(0x45cb40, 0x47ad70): no blank or ':' before the first '('.
    private static bool IsGoFunctionLine(ReadOnlySpan<char> line)
    {
        var paren = line.IndexOf('(');
        if (paren <= 0)
        {
            return false;
        }

        return !line[..paren].ContainsAny(" \t:");
    }

    private static bool IsRubyFrame(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[0] is ' ' or '\t' && IsRubyLocation(line);

    // ….rb:12:in `name' (or 'name' since Ruby 3.4)
    private static bool IsRubyLocation(ReadOnlySpan<char> line)
    {
        var offset = 0;
        while (true)
        {
            var at = line[offset..].IndexOf(".rb:", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var rest = line[(offset + at + 4)..];
            var digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits > 0 && rest[digits..] is [':', 'i', 'n', ' ', '`' or '\'', ..])
            {
                return true;
            }

            offset += at + 4;
        }
    }

    private static State? DartException(ReadOnlySpan<char> line)
    {
        foreach (var start in DartPlainStarts)
        {
            if (line.StartsWith(start, StringComparison.Ordinal))
            {
                return State.DartStack;
            }
        }

        if (line.Length >= 4 && line[0] == '\'')
        {
            // ^'.+?':.+?$
            var close = line[2..].IndexOf("':", StringComparison.Ordinal);
            if (close >= 0 && 2 + close + 2 < line.Length)
            {
                return State.DartTypeErr1;
            }
        }

        if (line.StartsWith("FormatException", StringComparison.Ordinal))
        {
            return State.DartFormatErr1;
        }

        return line.StartsWith("NoSuchMethodError:", StringComparison.Ordinal) ? State.DartMethodErr1 : null;
    }

    // ^#\d+\s+.+?\(.+?\)$
    private static bool IsDartFrame(ReadOnlySpan<char> line)
    {
        if (line.Length < 2 || line[0] != '#')
        {
            return false;
        }

        var i = 1;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
        {
            i++;
        }

        var spaces = i;
        while (i < line.Length && char.IsWhiteSpace(line[i]))
        {
            i++;
        }

        if (spaces == 1 || i == spaces || i >= line.Length || line[^1] != ')')
        {
            return false;
        }

        var body = line[i..];
        var open = body[1..].IndexOf('(');
        return open >= 0 && open + 1 < body.Length - 2;
    }

    // ^(?:[^\s.():]+\.)*[^\s.():]+:  — "ValueError: x", "requests.exceptions.HTTPError: y"
    private static bool IsPythonExceptionLine(ReadOnlySpan<char> line)
    {
        var segmentStart = 0;
        for (var i = 0; i < line.Length; i++)
        {
            switch (line[i])
            {
                case ':':
                    return i > segmentStart;
                case '.':
                    if (i == segmentStart)
                    {
                        return false;
                    }

                    segmentStart = i + 1;
                    break;
                case '(' or ')':
                    return false;
                default:
                    if (char.IsWhiteSpace(line[i]))
                    {
                        return false;
                    }

                    break;
            }
        }

        return false;
    }

    // An exception raised without a message: "KeyboardInterrupt", "svc.ServiceError".
    private static bool IsBarePythonException(ReadOnlySpan<char> line)
    {
        if (line.IsEmpty || line.ContainsAny(" \t():"))
        {
            return false;
        }

        return line.Contains('.') || line.EndsWith("Error", StringComparison.Ordinal) || line.EndsWith("Exception", StringComparison.Ordinal)
            || line.EndsWith("Interrupt", StringComparison.Ordinal) || line.EndsWith("Exit", StringComparison.Ordinal)
            || line.EndsWith("Warning", StringComparison.Ordinal);
    }

    private static bool IsIndented(ReadOnlySpan<char> line) => line.Length > 0 && line[0] is ' ' or '\t';

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
