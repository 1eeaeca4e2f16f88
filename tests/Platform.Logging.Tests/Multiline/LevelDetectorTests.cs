using Platform.Logging.Multiline;

namespace Platform.Logging.Tests.Multiline;

/// <summary>Level words of common plain-text layouts, and the look-alikes that are not levels.</summary>
public sealed class LevelDetectorTests
{
    [Theory]
    [InlineData("2026-12-04 10:00:00.123 ERROR [main] c.e.App - failed", "ERROR")]
    [InlineData("2026-12-04 10:00:00,123 WARNING root: slow", "WARN")]
    [InlineData("[2026-12-04T10:00:00Z] INFO: started", "INFO")]
    [InlineData("DEBUG:app:value=3", "DEBUG")]
    [InlineData("10:00:00.000 [main] TRACE c.e.A - x", "TRACE")]
    [InlineData("FATAL: out of memory", "FATAL")]
    [InlineData("Dec 04, 2026 10:00:00 AM c.e.A run\nSEVERE: boom", "ERROR")]
    [InlineData("2026/12/04 10:00:00 [error] 12#12: *1 connect() failed", "ERROR")]
    [InlineData("2026/12/04 10:00:00 [warn] 12#12: conflicting server name", "WARN")]
    [InlineData("time=2026-12-04T10:00:00Z level=warning msg=\"disk\"", "WARN")]
    [InlineData("ts=1 level=\"error\" msg=x", "ERROR")]
    [InlineData("E1204 10:00:00.123456       1 reflector.go:138] failed to list", "ERROR")]
    [InlineData("I1204 10:00:00.123456       1 main.go:12] ready", "INFO")]
    [InlineData("CRITICAL disk failure", "FATAL")]
    [InlineData("a ERR b", "ERROR")]
    [InlineData("\tat com.example.Layer3.method5(Layer3.java:12)", null)]
    [InlineData("java.lang.IllegalStateException: ERRor in X", null)]
    [InlineData("no error occurred", null)]
    [InlineData("INFORMATIONAL text with INFOS and ERRORS", null)]
    [InlineData("ERRORCODE=5", null)]
    [InlineData("", null)]
    [InlineData("warning: lower-case words outside brackets are not levels", null)]
    public void Detect_Line_NormalisedLevel(string line, string? expected) => Assert.Equal(expected, LevelDetector.Detect(line));

    [Fact]
    public void Detect_LevelBeyondScanLimit_Ignored() => Assert.Null(LevelDetector.Detect(new string('x', 300) + " ERROR"));
}
