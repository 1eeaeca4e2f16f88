using Platform.Logging.Decoding;

namespace Platform.Logging.Multiline;

/// <summary>Creates the joiner for a set of options.</summary>
internal static class LineJoiner
{
    /// <summary>Creates a joiner for one stream.</summary>
    /// <remarks>Interim: every line is its own record until the multiline engine lands (issue 5, part 2).</remarks>
    public static ILineJoiner Create(MultilineOptions options, LogLimits limits)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        return new SingleLineJoiner();
    }

    private sealed class SingleLineJoiner : ILineJoiner
    {
        public void Add(scoped in DecodedLine line, ICollection<LogRecord> output) =>
            output.Add(new LogRecord { Time = line.Time, Stream = line.Stream, Message = line.Text.ToString(), Flags = line.Flags });

        public void FlushIdle(DateTimeOffset now, ICollection<LogRecord> output)
        {
        }

        public void Flush(ICollection<LogRecord> output)
        {
        }
    }
}
