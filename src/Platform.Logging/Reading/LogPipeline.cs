using Platform.Logging.Decoding;
using Platform.Logging.Multiline;

namespace Platform.Logging.Reading;

/// <summary>Decoder plus one joiner per stream: bytes in, records out (into <see cref="Output"/>). Not thread-safe.</summary>
internal sealed class LogPipeline : IDecodedLineSink, IDisposable
{
    private readonly LogDecoder _decoder;
    private readonly Func<LogStream, ILineJoiner> _joinerFactory;
    private readonly ILineJoiner?[] _joiners = new ILineJoiner?[3];

    public LogPipeline(LogReaderOptions options, Func<LogStream, ILineJoiner>? joinerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _joinerFactory = joinerFactory ?? (_ => LineJoiner.Create(options.Multiline, options.Limits));
        _decoder = new LogDecoder(options.Format, options.Limits, this);
    }

    /// <summary>Gets the records completed so far; the caller drains and clears it.</summary>
    public List<LogRecord> Output { get; } = new(256);

    /// <summary>Gets the bytes consumed.</summary>
    public long Bytes => _decoder.Bytes;

    /// <summary>Gets the physical lines seen.</summary>
    public long PhysicalLines => _decoder.PhysicalLines;

    /// <summary>Gets the format in use (see <see cref="LogDecoder.DetectedFormat"/>).</summary>
    public LogFormat DetectedFormat => _decoder.DetectedFormat;

    /// <summary>Gets the bytes of the decoder's buffers.</summary>
    public long BufferedBytes => _decoder.BufferedBytes;

    public void Write(ReadOnlySpan<byte> data) => _decoder.Write(data);

    public void Complete()
    {
        _decoder.Complete();
        foreach (ILineJoiner? joiner in _joiners)
        {
            joiner?.Flush(Output);
        }
    }

    public void FlushIdle(DateTimeOffset now)
    {
        foreach (ILineJoiner? joiner in _joiners)
        {
            joiner?.FlushIdle(now, Output);
        }
    }

    void IDecodedLineSink.OnLine(scoped in DecodedLine line)
    {
        ILineJoiner joiner = _joiners[(int)line.Stream] ??= _joinerFactory(line.Stream);
        joiner.Add(line, Output);
    }

    public void Dispose() => _decoder.Dispose();
}
