using Platform.Logging.Multiline;

namespace Platform.Logging.Tests.Multiline;

/// <summary>Trace shapes beyond the upstream vectors: each record listed is what the profile (and auto) must produce.</summary>
public sealed class ProfileTests
{
    public static TheoryData<MultilineProfile, string[]> Traces() => new()
    {
        {
            MultilineProfile.Java,
            [
                "Exception in thread \"main\" java.lang.RuntimeException: outer\n\tat com.example.App.main(App.java:10)\n\tSuppressed: java.io.IOException: close failed\n\t\tat com.example.Res.close(Res.java:5)\n\t\t... 1 more\nCaused by: java.lang.IllegalArgumentException: inner\n\tat com.example.App.parse(App.java:20)\n\t... 3 common frames omitted",
                "2026-12-04 10:00:00 INFO started",
            ]
        },
        {
            MultilineProfile.Java,
            [
                "java.rmi.RemoteException: call failed\n\tat sun.rmi.Transport.call(Transport.java:1)\nnested exception is:\njava.net.ConnectException: refused\n\tat java.net.Socket.connect(Socket.java:2)",
                "after",
            ]
        },
        {
            MultilineProfile.Python,
            [
                "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n    int(\"x\")\nValueError: invalid literal for int() with base 10: 'x'\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"app.py\", line 5, in <module>\n    raise RuntimeError(\"bad input\") from None\nRuntimeError: bad input",
                "next line",
            ]
        },
        {
            MultilineProfile.Python,
            [
                "Traceback (most recent call last):\n  File \"svc.py\", line 8, in run\n    fetch()\nOSError: boom\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"svc.py\", line 10, in run\n    raise ServiceError() from e\nsvc.ServiceError",
            ]
        },
        {
            MultilineProfile.Python,
            [
                "2026-12-04 10:00:00,123 ERROR [worker] Traceback (most recent call last):\n  File \"/app/job.py\", line 41, in handle\n    result = items[idx] + 1\n             ~~~~~^^^^^\nIndexError: list index out of range",
                "",
                "2026-12-04 10:00:01,000 INFO [worker] done",
            ]
        },
        {
            MultilineProfile.Go,
            [
                "2026/12/04 10:00:00 http: panic serving 10.0.0.7:51234: runtime error: invalid memory address or nil pointer dereference\ngoroutine 34 [running]:\nnet/http.(*conn).serve.func1()\n\t/usr/local/go/src/net/http/server.go:1898 +0xbe\npanic({0x6b1e40?, 0x9b3c50?})\n\t/usr/local/go/src/runtime/panic.go:770 +0x132\nmain.handler({0x7a41c8, 0xc0001a40e0}, 0xc0001b4000)\n\t/app/main.go:17 +0x1d\ncreated by net/http.(*Server).Serve in goroutine 1\n\t/usr/local/go/src/net/http/server.go:3285 +0x4b4",
                "2026/12/04 10:00:01 listening",
            ]
        },
        {
            MultilineProfile.Go,
            [
                "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\nmain.main()\n\t/app/main.go:5 +0x2d",
                "exit status 2",
            ]
        },
        {
            MultilineProfile.Go,
            [
                "panic: first [recovered]\n\tpanic: second\n\ngoroutine 1 [running]:\nmain.main.func1()\n\t/app/main.go:8 +0x65\n...additional frames elided...",
                "ok",
            ]
        },
        {
            MultilineProfile.DotNet,
            [
                "Unhandled exception. System.InvalidOperationException: Order failed\n ---> System.Net.Http.HttpRequestException: Connection refused (db:5432)\n   at System.Net.Http.HttpConnectionPool.ConnectAsync(HttpRequestMessage request)\n   at Shop.Orders.PlaceAsync(Order order) in /src/Orders.cs:line 42\n   --- End of inner exception stack trace ---\n   at Shop.Orders.PlaceAsync(Order order) in /src/Orders.cs:line 48\n--- End of stack trace from previous location ---\n   at Shop.Api.Post(Order order) in /src/Api.cs:line 12",
                "info: Microsoft.Hosting.Lifetime[0]",
            ]
        },
        {
            MultilineProfile.Node,
            [
                "TypeError: Cannot read properties of undefined (reading 'id')\n    at getUser (/app/src/users.js:12:21)\n    at async Promise.all (index 0)\n    at async handler (/app/src/server.js:40:5)",
                "Server listening on 3000",
            ]
        },
        {
            MultilineProfile.Node,
            [
                "/app/server.js:12\n    throw new Error('boom');\n    ^\n\nError: boom\n    at Object.<anonymous> (/app/server.js:12:11)\n    at Module._compile (node:internal/modules/cjs/loader:1376:14)",
                "",
                "Node.js v20.11.0",
            ]
        },
        {
            MultilineProfile.Php,
            [
                "PHP Fatal error:  Uncaught Exception: boom in /var/www/index.php:3\nStack trace:\n#0 /var/www/index.php(7): fail()\n#1 {main}\n  thrown in /var/www/index.php on line 3",
                "GET /index.php 500",
            ]
        },
        {
            MultilineProfile.Ruby,
            [
                "/app/config/routes.rb:6:in '/': divided by 0 (ZeroDivisionError)\n\tfrom /app/config/routes.rb:6:in 'block in <main>'\n\tfrom /app/config/routes.rb:1:in '<main>'",
                "Completed 500 Internal Server Error in 3ms",
            ]
        },
        {
            MultilineProfile.Ruby,
            [
                "ActionController::RoutingError (No route matches [GET] \"/foo\"):\n  \nactionpack (7.0.4) lib/action_dispatch/middleware/debug_exceptions.rb:28:in `call'\nactionpack (7.0.4) lib/action_dispatch/middleware/show_exceptions.rb:26:in `call'\nrailties (7.0.4) lib/rails/engine.rb:530:in `call'",
                "Started GET \"/\" for 127.0.0.1",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Traces))]
    public void Profile_Trace_JoinedIntoExpectedRecords(MultilineProfile profile, string[] expected)
    {
        var lines = expected.SelectMany(r => r.Split('\n')).ToList();
        Assert.Equal(expected, Joining.Messages(Joining.Profile(profile), lines));
        Assert.Equal(expected, Joining.Messages(Joining.Profile(MultilineProfile.Auto), lines));
    }

    [Theory]
    [InlineData("2026-12-04 10:00:00.000 ERROR [main] c.e.OrderController - Request failed", "java.lang.IllegalStateException: boom\n\tat c.e.A.b(A.java:1)")]
    [InlineData("ERROR:root:Unhandled error in job", "Traceback (most recent call last):\n  File \"j.py\", line 1, in <module>\n    run()\nKeyError: 'id'")]
    [InlineData("2026/12/04 10:00:00 [error] handler crashed", "panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:5 +0x1d")]
    public void Auto_ErrorLineThenBareTrace_OneRecordHeadedByErrorLine(string header, string trace)
    {
        var lines = new List<string> { "INFO before", header };
        lines.AddRange(trace.Split('\n'));
        lines.Add("INFO after");
        var records = Joining.Run(Joining.Profile(MultilineProfile.Auto), lines);
        Assert.Equal(["INFO before", header + "\n" + trace, "INFO after"], records.Select(r => r.Message));
        Assert.Equal("ERROR", records[1].Level);
    }

    [Fact]
    public void Auto_ErrorLineThenTimestampedTrace_KeptApart()
    {
        var lines = new[] { "2026-12-04 ERROR first failed", "2026-12-04 ERROR second failed: java.lang.Error: x", "\tat a.B.c(B.java:1)", "ERROR last line" };
        Assert.Equal(["2026-12-04 ERROR first failed", "2026-12-04 ERROR second failed: java.lang.Error: x\n\tat a.B.c(B.java:1)", "ERROR last line"], Joining.Messages(Joining.Profile(MultilineProfile.Java), lines));
    }

    [Fact]
    public void Python_ManyBlankLinesAfterException_LimitHoldsAndNothingLost()
    {
        var lines = new List<string> { "Traceback (most recent call last):", "  File \"a.py\", line 1, in <module>", "    f()", "ValueError: x" };
        lines.AddRange(Enumerable.Repeat("", 20));
        lines.Add("During handling of the above exception, another exception occurred:");
        var records = Joining.Run(Joining.Profile(MultilineProfile.Python), lines, new LogLimits { MaxRecordLines = 10 });
        Assert.All(records, r => Assert.True(r.Lines <= 10, $"{r.Lines} lines"));
        Assert.Equal(lines, records.SelectMany(r => r.Message.Split('\n')));
        Assert.Equal(4, records[0].Lines);
    }

    [Fact]
    public void Auto_CrLfLines_TracesStillJoined()
    {
        var lines = new[] { "panic: x\r", "\r", "goroutine 1 [running]:\r", "main.main()\r", "\t/a.go:1 +0x1\r", "done\r" };
        var records = Joining.Messages(Joining.Profile(MultilineProfile.Auto), lines);
        Assert.Equal([string.Join('\n', lines[..5]), "done\r"], records);
    }

    [Fact]
    public void Auto_BackToBackTracesOfDifferentLanguages_SplitAtEachStart()
    {
        var java = "java.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)";
        var python = "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    x()\nNameError: name 'x' is not defined";
        var go = "panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:3 +0x1";
        var expected = new[] { java, python, go, java };
        var lines = expected.SelectMany(r => r.Split('\n')).ToList();
        Assert.Equal(expected, Joining.Messages(Joining.Profile(MultilineProfile.Auto), lines));
    }

    [Fact]
    public void Java_OnlyPlainLines_EachLineOneRecordWithLevel()
    {
        var records = Joining.Run(Joining.Profile(MultilineProfile.Java), ["2026-12-04 10:00:00 WARN disk almost full", "  indented but not a frame", "E1204 10:00:00.000000 1 main.go:1] klog error"]);
        Assert.Equal(3, records.Count);
        Assert.Equal(["WARN", null, "ERROR"], records.Select(r => r.Level));
    }

    [Fact]
    public void Profile_JsonLineAfterTrace_NeverJoined()
    {
        var lines = new[]
        {
            "java.lang.IllegalStateException: x",
            "\tat a.B.c(B.java:1)",
            "{\"level\":\"error\",\"msg\":\"failed\",\"stacktrace\":\"main.f\\n\\t/a.go:1\"}",
            "\tat a.B.d(B.java:2)",
        };
        var records = Joining.Run(new MultilineOptions { Profile = MultilineProfile.Java }, lines);
        Assert.Equal(3, records.Count);
        Assert.Equal("java.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)", records[0].Message);
        Assert.Equal("failed", records[1].Message);
        Assert.Equal("main.f\n\t/a.go:1", records[1].Exception);
        Assert.Equal("\tat a.B.d(B.java:2)", records[2].Message);
    }

    [Fact]
    public void Profile_IdleTimeout_ClosesOpenTraceWithFlag()
    {
        var joiner = LineJoiner.Create(new MultilineOptions { Profile = MultilineProfile.Java, Timeout = TimeSpan.FromSeconds(2) }, new LogLimits());
        var output = new List<LogRecord>();
        joiner.Add(new(null, LogStream.Stderr, "java.lang.Error: x", LogRecordFlags.None), output);
        joiner.Add(new(null, LogStream.Stderr, "\tat a.B.c(B.java:1)", LogRecordFlags.None), output);
        var t0 = DateTimeOffset.UnixEpoch;
        joiner.FlushIdle(t0, output);
        joiner.FlushIdle(t0.AddSeconds(1), output);
        Assert.Empty(output);
        joiner.FlushIdle(t0.AddSeconds(2), output);
        var record = Assert.Single(output);
        Assert.Equal(LogRecordFlags.FlushedByTimeout, record.Flags);
        Assert.Equal(LogStream.Stderr, record.Stream);
        Assert.Equal(2, record.Lines);

        // A frame arriving after the timeout is not glued to the closed trace.
        joiner.Add(new(null, LogStream.Stderr, "\tat a.B.d(B.java:2)", LogRecordFlags.None), output);
        joiner.Flush(output);
        Assert.Equal(2, output.Count);
    }
}
