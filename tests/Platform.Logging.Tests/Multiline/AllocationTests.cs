using Platform.Logging.Decoding;
using Platform.Logging.Multiline;
using Platform.Tests.Shared;

namespace Platform.Logging.Tests.Multiline;

/// <summary>The joiner allocates the record and its message string, and nothing else per record (an allocation ceiling, not a timing).</summary>
public sealed class AllocationTests
{
    [Theory]
    [InlineData(MultilineProfile.Java)]
    [InlineData(MultilineProfile.Auto)]
    public void Add_JavaHeavyLog_AllocatesOnlyRecordAndMessage(MultilineProfile profile)
    {
        var lines = JavaHeavyLog.Lines(3000);
        var joiner = LineJoiner.Create(new MultilineOptions { Profile = profile }, new LogLimits());
        var output = new List<LogRecord>(lines.Count);
        Feed(joiner, lines, output); // warm-up: pools, JIT, tiering
        output.Clear();

        // The least of three passes: a one-off runtime allocation (tiering, pools) is not a per-record cost.
        var allocated = long.MaxValue;
        for (var pass = 0; pass < 3; pass++)
        {
            output.Clear();
            var before = GC.GetAllocatedBytesForCurrentThread();
            Feed(joiner, lines, output);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        var recordSize = AllocationSizes.Record();
        long ceiling = 0;
        foreach (var record in output)
        {
            ceiling += recordSize + AllocationSizes.String(record.Message.Length);
        }

        // One record per event: the ERROR line heads its trace.
        Assert.Equal(3000, output.Count);
        Assert.Contains(output, r => r.Lines > 20 && r.Level == "ERROR");
        // One more object per record (24 bytes at least, 72 KB here) would pass the slack of 16 KB.
        Assert.True(allocated <= ceiling + 16384, $"allocated {allocated} bytes for {output.Count} records; the record + message ceiling is {ceiling}");
    }

    private static void Feed(ILineJoiner joiner, List<string> lines, List<LogRecord> output)
    {
        foreach (var line in lines)
        {
            joiner.Add(new DecodedLine(null, LogStream.Stdout, line, LogRecordFlags.None), output);
        }

        joiner.Flush(output);
    }
}
