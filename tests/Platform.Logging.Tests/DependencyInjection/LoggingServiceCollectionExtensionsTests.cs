using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Logging.Multiline;
using Platform.Logging.Sources;

namespace Platform.Logging.Tests.DependencyInjection;

public sealed class LoggingServiceCollectionExtensionsTests
{
    [Fact]
    public void AddPlatformLogging_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddPlatformLogging().AddPlatformLogging();

        Assert.Single(services, d => d.ServiceType == typeof(ILogReader));
        Assert.Single(services, d => d.ServiceType == typeof(ILogSource));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<LoggingOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
    }

    [Fact]
    public void AddPlatformLogging_ApplicationRegistrationsWin()
    {
        var clock = new ManualTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddPlatformLogging();
        using var provider = services.BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task ReadAsync_ConfiguredOptions_AppliedInOrder()
    {
        var services = new ServiceCollection();
        services.AddPlatformLogging(o => o.Format = LogFormat.Docker);
        services.AddPlatformLogging(o =>
        {
            o.MaxLineBytes = 100;
            o.Profile = MultilineProfile.None;
        });
        using var provider = services.BuildServiceProvider();
        var reader = provider.GetRequiredService<ILogReader>();
        byte[] input = Encoding.UTF8.GetBytes("plain\n{\"log\":\"" + new string('x', 300) + "\\n\",\"stream\":\"stdout\"}\n");

        var records = new List<LogRecord>();
        await foreach (var r in reader.ReadAsync(new MemoryStream(input)))
        {
            records.Add(r);
        }

        Assert.Equal(LogRecordFlags.MalformedEnvelope, records[0].Flags);
        Assert.Equal(LogRecordFlags.LineTruncated, records[1].Flags);
        Assert.Equal(new string('x', 100) + "…[truncated]", records[1].Message);
    }

    [Fact]
    public async Task ReadAsync_FileSource_ReadsByKindAndRejectsUnknownKinds()
    {
        string path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, "1\n2\n3\n");
        try
        {
            var services = new ServiceCollection().AddPlatformLogging(o => o.Profile = MultilineProfile.None);
            using var provider = services.BuildServiceProvider();
            var reader = provider.GetRequiredService<ILogReader>();

            var messages = new List<string>();
            await foreach (var r in reader.ReadAsync("file", path, new LogQuery { TailLines = 2 }))
            {
                messages.Add(r.Message);
            }

            Assert.Equal(["2", "3"], messages);
            var ex = Assert.Throws<ArgumentException>(() => reader.ReadAsync("pod", "ns/pod/c"));
            Assert.Contains("file", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Resolve_InvalidOptions_FailsNamingTheSetting()
    {
        var services = new ServiceCollection().AddPlatformLogging(o =>
        {
            o.MaxLineBytes = 10;
            o.FilePollInterval = TimeSpan.Zero;
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILogReader>());
        Assert.Contains("MaxLineBytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FilePollInterval", ex.Message, StringComparison.Ordinal);
    }
}
