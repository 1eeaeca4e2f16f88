namespace Platform.Logging;

/// <summary>The envelope around each physical line of a log.</summary>
public enum LogFormat
{
    /// <summary>
    /// Detected per source from its first lines: the first docker json-file or CRI line switches the source to container mode
    /// (docker and CRI lines may then be mixed, any other line is kept raw and flagged <see cref="LogRecordFlags.MalformedEnvelope"/>);
    /// after 16 lines that are neither, the source is plain text.
    /// </summary>
    Auto,

    /// <summary>Docker's json-file driver: <c>{"log":"…\n","stream":"stdout","time":"…"}</c>; a <c>log</c> without a trailing <c>\n</c> is a fragment of a longer line.</summary>
    Docker,

    /// <summary>The CRI format (containerd, CRI-O): <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;P|F&gt; &lt;message&gt;</c>; <c>P</c> lines are fragments of a longer line.</summary>
    Cri,

    /// <summary>Plain text: every <c>\n</c>- or <c>\r\n</c>-terminated line as it is.</summary>
    Raw,
}
