using System.Globalization;
using Platform.Logging.JsonLogs;
using Platform.Logging.Multiline;
using Platform.Logging.Tests.Multiline;

namespace Platform.Logging.Tests.JsonLogs;

/// <summary>JSON log lines of the common layouts, as their libraries write them, mapped into records.</summary>
public sealed class JsonLogLineTests
{
    private const string Log4j2JsonLayout = """{"instant":{"epochSecond":1733306400,"nanoOfSecond":123456000},"thread":"main","level":"ERROR","loggerName":"com.example.App","message":"Order failed","thrown":{"commonElementCount":0,"localizedMessage":"boom","message":"boom","name":"java.lang.IllegalStateException","extendedStackTrace":[{"class":"com.example.App","method":"main","file":"App.java","line":10,"exact":true,"location":"classes/","version":"?"}]},"endOfBatch":false,"loggerFqcn":"org.apache.logging.log4j.spi.AbstractLogger","threadId":1,"threadPriority":5}""";

    private const string Log4j2EcsTemplate = """{"@timestamp":"2024-12-04T10:00:00.123Z","ecs.version":"1.2.0","log.level":"ERROR","message":"Order failed","process.thread.name":"main","log.logger":"com.example.App","error.type":"java.lang.IllegalStateException","error.message":"boom","error.stack_trace":"java.lang.IllegalStateException: boom\n\tat com.example.App.main(App.java:10)\n"}""";

    private const string Logstash = """{"@timestamp":"2024-12-04T11:00:00.123+01:00","@version":"1","message":"Order failed","logger_name":"com.example.App","thread_name":"main","level":"ERROR","level_value":40000,"stack_trace":"java.lang.IllegalStateException: boom\n\tat com.example.App.main(App.java:10)\n"}""";

    private const string Serilog = """{"@t":"2024-12-04T10:00:00.1230000Z","@mt":"Order {OrderId} failed for {@Customer}","@l":"Error","@x":"System.InvalidOperationException: boom\n   at Shop.Orders.Place() in /src/Orders.cs:line 42","OrderId":42,"Customer":{"Name":"Ann"},"SourceContext":"Shop.Orders"}""";

    private const string EcsNested = """{"@timestamp":"2024-12-04T10:00:00.123Z","log":{"level":"warn","logger":"app.db"},"message":"slow query","ecs":{"version":"1.6.0"}}""";

    private const string Zap = """{"level":"error","ts":1733306400.123,"logger":"shop.api","caller":"api/handler.go:42","msg":"request failed","error":"db down","stacktrace":"main.handler\n\t/app/api/handler.go:42\nnet/http.HandlerFunc.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:2136"}""";

    private const string Logrus = """{"level":"warning","msg":"disk almost full","time":"2024-12-04T11:00:00.123+01:00","pct":91}""";

    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2024-12-04T10:00:00.123Z", CultureInfo.InvariantCulture);

    public static TheoryData<string, JsonLogFormat, string, string, string?, string?> Lines() => new()
    {
        { Log4j2JsonLayout, JsonLogFormat.Log4j2JsonLayout, "Order failed", "ERROR", "com.example.App", "java.lang.IllegalStateException: boom\n\tat com.example.App.main(App.java:10)" },
        { Log4j2EcsTemplate, JsonLogFormat.Ecs, "Order failed", "ERROR", "com.example.App", "java.lang.IllegalStateException: boom\n\tat com.example.App.main(App.java:10)\n" },
        { Logstash, JsonLogFormat.LogstashLogback, "Order failed", "ERROR", "com.example.App", "java.lang.IllegalStateException: boom\n\tat com.example.App.main(App.java:10)\n" },
        { Serilog, JsonLogFormat.SerilogCompact, "Order 42 failed for {\"Name\":\"Ann\"}", "ERROR", "Shop.Orders", "System.InvalidOperationException: boom\n   at Shop.Orders.Place() in /src/Orders.cs:line 42" },
        { EcsNested, JsonLogFormat.Ecs, "slow query", "WARN", "app.db", null },
        { Zap, JsonLogFormat.Zap, "request failed", "ERROR", "shop.api", "main.handler\n\t/app/api/handler.go:42\nnet/http.HandlerFunc.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:2136" },
        { Logrus, JsonLogFormat.Logrus, "disk almost full", "WARN", null, null },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void TryParse_KnownLayout_MapsFields(string line, JsonLogFormat format, string message, string level, string? logger, string? exception)
    {
        Assert.True(JsonLogLine.TryParse(line, out var record));
        Assert.NotNull(record);
        Assert.Equal(format, JsonLogLine.DetectFormat(record.Fields!));
        Assert.Equal(message, record.Message);
        Assert.Equal(level, record.Level);
        Assert.Equal(logger, record.Logger);
        Assert.Equal(exception, record.Exception);
        Assert.Equal(At.ToUnixTimeMilliseconds(), record.Time!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(1, record.Lines);
    }

    [Fact]
    public void TryParse_SerilogWithoutLevel_IsInformation()
    {
        Assert.True(JsonLogLine.TryParse("""{"@t":"2024-12-04T10:00:00Z","@mt":"Started {App} {{literal}}","App":"shop"}""", out var record));
        Assert.Equal("INFO", record!.Level);
        Assert.Equal("Started shop {literal}", record.Message);
    }

    [Theory]
    [InlineData("{broken")]
    [InlineData("{\"a\": }")]
    [InlineData("[1,2]")]
    [InlineData("plain text")]
    public void TryParse_NotAJsonObject_False(string line) => Assert.False(JsonLogLine.TryParse(line, out _));

    [Fact]
    public void TryParse_ObjectWithoutKnownKeys_KeepsRawLineAsMessage()
    {
        Assert.True(JsonLogLine.TryParse("""{"a":1}""", out var record));
        Assert.Equal("""{"a":1}""", record!.Message);
        Assert.Equal(JsonLogFormat.Unknown, JsonLogLine.DetectFormat(record.Fields!));
        Assert.Null(record.Level);
    }

    [Theory]
    [InlineData("{\"msg\":\"a\",\"msg\":\"b\",\"level\":\"info\"}")]
    [InlineData("{\"a\":{\"b\":1,\"b\":2}}")]
    public void TryParse_DuplicateKeys_NotParsed(string line) => Assert.False(JsonLogLine.TryParse(line, out _));

    [Theory]
    [InlineData("{\"level\":7,\"msg\":null,\"ts\":\"not a time\",\"logger\":[1]}")]
    [InlineData("{\"instant\":{\"epochSecond\":99999999999999,\"nanoOfSecond\":999999999999},\"loggerName\":\"x\"}")]
    [InlineData("{\"timeMillis\":-99999999999999999,\"message\":\"m\"}")]
    [InlineData("{\"@mt\":\"x {unclosed\",\"@t\":\"2026-01-01T00:00:00Z\"}")]
    [InlineData("{\"thrown\":{\"extendedStackTrace\":[1,{\"class\":\"C\"}]},\"instant\":{\"epochSecond\":\"x\"}}")]
    public void TryParse_OddButValidJson_NoException(string line)
    {
        var parsed = JsonLogLine.TryParse(line, out var record);
        Assert.True(!parsed || record is not null);
    }

    [Fact]
    public void TryParse_TooDeep_False()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        Assert.False(JsonLogLine.TryParse(deep, out _));
    }

    [Fact]
    public void Joiner_JsonLinesBetweenTraceLines_EachJsonLineOneRecordWithFields()
    {
        var lines = new[] { Zap, "\tat a.B.c(B.java:1)", Serilog, "java.lang.Error: x", "\tat a.B.c(B.java:1)", Logrus };
        var records = Joining.Run(new MultilineOptions { Profile = MultilineProfile.Auto }, lines);
        Assert.Equal(["request failed", "\tat a.B.c(B.java:1)", "Order 42 failed for {\"Name\":\"Ann\"}", "java.lang.Error: x\n\tat a.B.c(B.java:1)", "disk almost full"], records.Select(r => r.Message));
        Assert.NotNull(records[0].Fields);
        Assert.Null(records[1].Fields);
        Assert.Equal(91, records[4].Fields!["pct"]!.GetValue<int>());
    }

    [Fact]
    public void Joiner_ParseJsonOff_JsonLineIsPlainText()
    {
        var records = Joining.Run(new MultilineOptions { Profile = MultilineProfile.Auto, ParseJson = false }, [Logrus]);
        Assert.Equal(Logrus, Assert.Single(records).Message);
        Assert.Null(records[0].Fields);
    }
}
