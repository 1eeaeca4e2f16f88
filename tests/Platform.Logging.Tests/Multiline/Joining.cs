using Platform.Logging.Decoding;
using Platform.Logging.Multiline;

namespace Platform.Logging.Tests.Multiline;

/// <summary>Test-only driver: feeds plain text lines (no envelope) through a joiner and collects the records.</summary>
internal static class Joining
{
    public static List<LogRecord> Run(MultilineOptions options, IEnumerable<string> lines, LogLimits? limits = null) =>
        Run(LineJoiner.Create(options, limits ?? new LogLimits()), lines);

    public static List<LogRecord> Run(ILineJoiner joiner, IEnumerable<string> lines)
    {
        var output = new List<LogRecord>();
        foreach (var line in lines)
        {
            joiner.Add(new DecodedLine(null, LogStream.Stdout, line, LogRecordFlags.None), output);
        }

        joiner.Flush(output);
        return output;
    }

    public static List<string> Messages(MultilineOptions options, IEnumerable<string> lines, LogLimits? limits = null) =>
        Run(options, lines, limits).Select(r => r.Message).ToList();

    /// <summary>Splits a raw text into lines the way a line reader does: on \n, without an empty line after a final \n.</summary>
    public static List<string> SplitLines(string text)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    public static MultilineOptions Profile(MultilineProfile profile) => new() { Profile = profile, ParseJson = false };
}
