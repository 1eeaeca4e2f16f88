using Platform.Logging.Multiline;

namespace Platform.Logging.Tests.Multiline;

/// <summary>What a joined record carries besides its text: first line's time and stream, every line's flags.</summary>
public sealed class LineJoinerTests
{
    [Theory]
    [InlineData(MultilineProfile.Java)]
    [InlineData(MultilineProfile.Auto)]
    public void Add_TraceLines_TimeOfFirstLineAndFlagsOfAll(MultilineProfile profile)
    {
        var joiner = LineJoiner.Create(new MultilineOptions { Profile = profile }, new LogLimits());
        var output = new List<LogRecord>();
        var t0 = DateTimeOffset.Parse("2026-12-04T10:00:00.123456789+02:00", System.Globalization.CultureInfo.InvariantCulture);
        joiner.Add(new(t0, LogStream.Stderr, "java.lang.IllegalStateException: x", LogRecordFlags.None), output);
        joiner.Add(new(t0.AddTicks(1), LogStream.Stderr, "\tat a.B.c(B.java:1)…[truncated]", LogRecordFlags.LineTruncated), output);
        joiner.Add(new(t0.AddTicks(2), LogStream.Stderr, "\tat a.B.d(B.java:2)", LogRecordFlags.InvalidUtf8), output);
        joiner.Add(new(t0.AddTicks(3), LogStream.Stderr, "next", LogRecordFlags.None), output);
        joiner.Flush(output);

        Assert.Equal(2, output.Count);
        Assert.Equal(t0, output[0].Time);
        Assert.Equal(t0.Offset, output[0].Time!.Value.Offset);
        Assert.Equal(LogStream.Stderr, output[0].Stream);
        Assert.Equal(3, output[0].Lines);
        Assert.Equal(LogRecordFlags.LineTruncated | LogRecordFlags.InvalidUtf8, output[0].Flags);
        Assert.Equal(t0.AddTicks(3), output[1].Time);
        Assert.Equal(LogRecordFlags.None, output[1].Flags);
    }

    [Fact]
    public void Create_EveryProfile_Works()
    {
        foreach (var profile in Enum.GetValues<MultilineProfile>())
        {
            var records = Joining.Run(new MultilineOptions { Profile = profile }, ["a", "b"]);
            Assert.Equal(["a", "b"], records.Select(r => r.Message));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => LineJoiner.Create(new MultilineOptions { Profile = (MultilineProfile)99 }, new LogLimits()));
        Assert.Throws<ArgumentException>(() => LineJoiner.Create(new MultilineOptions(), new LogLimits { MaxRecordLines = 0 }));
    }

    [Theory]
    [InlineData(20, new[] { "a\n €€€", " €€\n €€" })]
    [InlineData(21, new[] { "a\n €€€\n €€", " €€" })]
    [InlineData(29, new[] { "a\n €€€\n €€\n €€" })]
    public void Add_MultiByteText_ByteLimitCountsUtf8Exactly(int maxBytes, string[] expected)
    {
        // Sizes as in the file: "a\n" 2 + " €€€\n" 11 + " €€\n" 8 + " €€\n" 8 = 29 bytes.
        var rule = new MultilineRule { Pattern = "^ ", MaxBytes = maxBytes };
        var records = Joining.Run(new MultilineOptions { Rule = rule, ParseJson = false }, ["a", " €€€", " €€", " €€"]);
        Assert.Equal(expected, records.Select(r => r.Message));
        Assert.Equal(expected.Length > 1, records[0].Flags.HasFlag(LogRecordFlags.RecordSplit));
    }

    [Fact]
    public void FlushIdle_TimeoutZero_NeverFlushes()
    {
        var joiner = LineJoiner.Create(new MultilineOptions { Rule = new MultilineRule { Pattern = "^\\s", Timeout = TimeSpan.Zero } }, new LogLimits());
        var output = new List<LogRecord>();
        joiner.Add(new(null, LogStream.Stdout, "start", LogRecordFlags.None), output);
        joiner.FlushIdle(DateTimeOffset.UnixEpoch, output);
        joiner.FlushIdle(DateTimeOffset.MaxValue, output);
        Assert.Empty(output);
        joiner.Flush(output);
        Assert.Single(output);
    }
}
