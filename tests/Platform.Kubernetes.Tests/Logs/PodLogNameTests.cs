using Platform.Kubernetes.Client;
using Platform.Kubernetes.Logs;
using Platform.Logging;

namespace Platform.Kubernetes.Tests.Logs;

public sealed class PodLogNameTests
{
    [Theory]
    [InlineData("shop/web-0", "shop", "web-0", null, false, false)]
    [InlineData("shop/web-0.canary/app", "shop", "web-0.canary", "app", false, false)]
    [InlineData("shop/web-0/app?previous", "shop", "web-0", "app", true, false)]
    [InlineData("shop/web-0?timestamps=true&previous=false", "shop", "web-0", null, false, true)]
    [InlineData("shop/web-0/app?previous&timestamps", "shop", "web-0", "app", true, true)]
    public void Parse_ValidName_ReturnsItsParts(string text, string ns, string pod, string? container, bool previous, bool timestamps)
    {
        PodLogName name = PodLogName.Parse(text);

        Assert.Equal(new PodLogName(ns, pod, container, previous, timestamps), name);
        Assert.Equal(name, PodLogName.Parse(name.ToString()));
    }

    [Fact]
    public void Parse_LongPodNameWithinSubdomainLimit_IsAccepted()
    {
        string pod = new string('a', 100) + "." + new string('b', 100);

        Assert.Equal(pod, PodLogName.Parse("ns/" + pod).Pod);
        Assert.Throws<ArgumentException>(() => PodLogName.Parse("ns/" + new string('a', 254)));
        Assert.Throws<ArgumentException>(() => PodLogName.Parse(new string('n', 64) + "/pod"));
    }

    [Fact]
    public void ToOptions_Query_MapsEveryKnobAndTruncatesSinceToTheSecond()
    {
        var since = new DateTimeOffset(2026, 12, 1, 13, 0, 5, 750, TimeSpan.FromHours(1));
        var query = new LogQuery { TailLines = 50, Since = since, LimitBytes = 4096, Follow = true };

        PodLogOptions options = PodLogSource.ToOptions(PodLogName.Parse("shop/web-0/app?timestamps"), query);

        Assert.Equal(new PodLogOptions
        {
            Container = "app",
            Timestamps = true,
            Follow = true,
            TailLines = 50,
            LimitBytes = 4096,
            SinceTime = new DateTimeOffset(2026, 12, 1, 12, 0, 5, TimeSpan.Zero),
        }, options);
        Assert.Equal(LogQueryParts.TailLines | LogQueryParts.Since | LogQueryParts.LimitBytes | LogQueryParts.Follow, PodLogSource.Applied(query, options));
        Assert.Equal(LogQueryParts.None, PodLogSource.Applied(LogQuery.All, PodLogSource.ToOptions(PodLogName.Parse("shop/web-0"), LogQuery.All)));
    }

    [Fact]
    public async Task OpenLogAsync_SinceAndSinceTime_ThrowsArgumentException()
    {
        using var client = new KubernetesClient(new Platform.Kubernetes.Config.KubernetesClientConfiguration { Server = new Uri("https://127.0.0.1:1") });

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.OpenLogAsync("ns", "pod", new PodLogOptions { Since = TimeSpan.FromSeconds(5), SinceTime = DateTimeOffset.UnixEpoch }));

        Assert.Contains("SinceTime", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-01T12:00:05Z", "2026-12-01T12:00:05Z")]
    [InlineData("2026-12-01T13:00:05.5+01:00", "2026-12-01T12:00:05.5Z")]
    [InlineData("2026-12-01T12:00:05.1234567Z", "2026-12-01T12:00:05.1234567Z")]
    public void FormatSinceTime_Time_IsRfc3339Utc(string input, string expected)
    {
        Assert.Equal(expected, KubernetesClient.FormatSinceTime(DateTimeOffset.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
