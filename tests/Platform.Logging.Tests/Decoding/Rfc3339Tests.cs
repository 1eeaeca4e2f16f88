using System.Text;
using Platform.Logging.Decoding;

namespace Platform.Logging.Tests.Decoding;

public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("2017-11-09T13:27:36.277747246Z", 2017, 11, 9, 13, 27, 36, 2777472, 0)]
    [InlineData("2019-05-07T18:57:50.904275087+00:00", 2019, 5, 7, 18, 57, 50, 9042750, 0)]
    [InlineData("2021-02-01T16:45:03.01231z", 2021, 2, 1, 16, 45, 3, 123100, 0)]
    [InlineData("2024-02-29T23:59:59Z", 2024, 2, 29, 23, 59, 59, 0, 0)]
    [InlineData("2024-01-01T01:00:00.5-05:30", 2024, 1, 1, 1, 0, 0, 5000000, -330)]
    public void TryParse_RuntimeTimestamps_TruncatesToTicksAndKeepsOffset(string text, int y, int mo, int d, int h, int mi, int s, long ticks, int offsetMinutes)
    {
        Assert.True(Rfc3339.TryParse(Encoding.ASCII.GetBytes(text), out var value));
        var expected = new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.FromMinutes(offsetMinutes)).AddTicks(ticks);
        Assert.Equal(expected, value);
        Assert.Equal(expected.Offset, value.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2017-11-09T13:27:36")]
    [InlineData("2017-11-09T13:27:36.Z")]
    [InlineData("2017-11-09T13:27:36.1234567890Z")]
    [InlineData("2023-02-29T00:00:00Z")]
    [InlineData("2017-13-09T13:27:36Z")]
    [InlineData("2017-11-09T24:00:00Z")]
    [InlineData("2017-11-09T13:27:36+15:00")]
    [InlineData("2017-11-09T13:27:36Zx")]
    [InlineData("2017/11/09T13:27:36Z")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(Rfc3339.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }
}
