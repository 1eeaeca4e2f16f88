namespace Platform.Logging.Decoding;

/// <summary>Receives the lines a <see cref="LogDecoder"/> completes.</summary>
internal interface IDecodedLineSink
{
    /// <summary>Receives one line; <see cref="DecodedLine.Text"/> is valid only during the call.</summary>
    void OnLine(scoped in DecodedLine line);
}
