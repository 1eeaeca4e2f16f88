namespace Platform.Logging;

/// <summary>The output stream a container wrote a line to.</summary>
public enum LogStream
{
    /// <summary>The stream is not known (plain text input).</summary>
    Unknown,

    /// <summary>Standard output.</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}
