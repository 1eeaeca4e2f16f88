using System.Text;

namespace Platform.Logging.Tests.Reading;

public sealed class LogViewTests
{
    [Theory]
    [InlineData("a\nb\nc\n", 2, 2)]
    [InlineData("a\nb\nc", 2, 2)]
    [InlineData("a\nb\nc\n", 3, 0)]
    [InlineData("a\nb\nc\n", 10, 0)]
    [InlineData("a\nb\nc\n", 0, 6)]
    [InlineData("", 5, 0)]
    [InlineData("\n\n", 1, 1)]
    public async Task FindTailStartAsync_SmallInputs_ReturnsStartOfNthLastLine(string text, int lines, long expected)
    {
        Assert.Equal(expected, await LogView.FindTailStartAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), lines));
    }

    [Fact]
    public async Task FindTailStartAsync_LinesAcrossBlocks_MatchesForwardCount()
    {
        var random = new Random(7);
        string[] lines = Enumerable.Range(0, 3000).Select(i => new string((char)('a' + (i % 26)), random.Next(0, 300))).ToArray();
        byte[] bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        foreach (int n in new[] { 1, 2, 299, 1000, 2999 })
        {
            long start = await LogView.FindTailStartAsync(new MemoryStream(bytes), n);
            string tail = Encoding.UTF8.GetString(bytes, (int)start, bytes.Length - (int)start);
            Assert.Equal(string.Join('\n', lines[^n..]) + "\n", tail);
        }
    }

    [Fact]
    public async Task SinceAsync_UntimedRecords_KeptOnlyAfterATimedOnePassed()
    {
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        LogRecord[] input =
        [
            new() { Message = "untimed-before" },
            new() { Message = "old", Time = t0 },
            new() { Message = "new", Time = t0.AddSeconds(5) },
            new() { Message = "untimed-after" },
        ];

        var kept = new List<string>();
        await foreach (var r in LogView.SinceAsync(input.ToAsyncEnumerable(), t0.AddSeconds(1)))
        {
            kept.Add(r.Message);
        }

        Assert.Equal(["new", "untimed-after"], kept);
    }
}
