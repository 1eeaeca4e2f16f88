using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Platform.Logging.Multiline;

namespace Platform.Logging.Tests.Multiline;

/// <summary>Properties of every joiner: no line lost, duplicated or reordered; limits always hold; endless continuations stay bounded.</summary>
public sealed class JoinerPropertyTests
{
    // Lines that start, continue and end traces of every language, plus plain, blank and tricky lines.
    private static readonly string[] Pool =
    [
        "java.lang.IllegalStateException: boom", "\tat com.example.A.b(A.java:10)", "Caused by: java.io.IOException: x", "\t... 3 more",
        "\tSuppressed: java.lang.Error: y", "nested exception is:", " ---> System.Exception: inner", "   --- End of inner exception stack trace ---",
        "Traceback (most recent call last):", "  File \"a.py\", line 1, in <module>", "    x()", "ValueError: bad",
        "During handling of the above exception, another exception occurred:", "panic: oops", "goroutine 1 [running]:", "main.main()",
        "\t/app/main.go:3 +0x1d", "created by main.init", "http: panic serving 1.2.3.4:5: x", "PHP Fatal error:  Uncaught Exception: e in /a.php:1",
        "Stack trace:", "#0 {main}", "  thrown in /a.php on line 1", " NoMethodError (undefined method `x'):", "  app/a.rb:1:in `b'",
        "Unhandled exception:", "Bad state: no", "#0      main (file:///a.dart:1:2)", "<asynchronous suspension>",
        "", "  ", "plain INFO line", "ERROR something failed", "[ bracket", "line ending with \\", "done;", "{\"not\": closed",
    ];

    private static readonly MultilineRule[] Rules =
    [
        new() { Pattern = "^[[:space:]]", Match = MultilineMatch.After },
        new() { Pattern = "^[[:space:]]", Negate = true, Match = MultilineMatch.After },
        new() { Pattern = "\\\\$", Match = MultilineMatch.Before },
        new() { Pattern = ";$", Negate = true, Match = MultilineMatch.Before },
        new() { Pattern = "^\\[", Negate = true, Match = MultilineMatch.After, FlushPattern = "done;" },
        new() { Type = MultilineRuleType.Count, CountLines = 3 },
        new() { Type = MultilineRuleType.WhilePattern, Pattern = "^\\s" },
        new() { Type = MultilineRuleType.WhilePattern, Pattern = "^\\s", Negate = true },
    ];

    private static Gen<MultilineOptions> Options =>
        Gen.OneOf(
            Gen.Elements(Enum.GetValues<MultilineProfile>()).Select(p => new MultilineOptions { Profile = p, ParseJson = false }),
            Gen.Elements(Rules).Select(r => new MultilineOptions { Rule = r, ParseJson = false }));

    private static Gen<LogLimits> Limits =>
        Gen.Zip(Gen.Choose(1, 12), Gen.Choose(1, 400)).Select(t => new LogLimits { MaxRecordLines = t.Item1, MaxRecordBytes = t.Item2 });

    [Fact]
    public void Join_AnyLinesAnyJoiner_EveryLineOnceInOrder()
    {
        var arb = Gen.Zip(Gen.Elements(Pool).ListOf(), Options).ToArbitrary();
        var property = Prop.ForAll(arb, t =>
        {
            var (lines, options) = t;
            var records = Joining.Run(options, lines);
            return records.SelectMany(r => r.Message.Split('\n')).SequenceEqual(lines)
                && records.Sum(r => r.Lines) == lines.Count
                && records.All(r => r.Message.Split('\n').Length == r.Lines);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Join_AnyLinesTightLimits_RecordsWithinLimitsAndNothingLost()
    {
        var arb = Gen.Zip(Gen.Zip(Gen.Elements(Pool).ListOf(), Options), Limits).ToArbitrary();
        var property = Prop.ForAll(arb, t =>
        {
            var ((lines, options), limits) = t;
            var records = Joining.Run(options, lines, limits);
            var maxLines = Math.Min(limits.MaxRecordLines, options.Rule?.MaxLines ?? int.MaxValue);
            return records.SelectMany(r => r.Message.Split('\n')).SequenceEqual(lines)
                && records.All(r => r.Lines <= maxLines)

                // Size counts each line and its newline; a single line is never cut here (that is the decoder's MaxLineBytes).
                && records.All(r => r.Lines == 1 || Encoding.UTF8.GetByteCount(r.Message) + 1 <= limits.MaxRecordBytes);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Join_JsonLinesAmongTraceLines_EachJsonLineItsOwnRecord()
    {
        var json = Gen.Elements("{\"level\":\"error\",\"msg\":\"m1\",\"stacktrace\":\"a\\n\\tat b\"}", "{\"@t\":\"2026-01-01T00:00:00Z\",\"@mt\":\"m2\"}", "{\"message\":\"m3\"}");
        var line = Gen.Frequency((3, Gen.Elements(Pool)), (1, json));
        var arb = Gen.Zip(line.ListOf(), Options).ToArbitrary();
        var property = Prop.ForAll(arb, t =>
        {
            var (lines, options) = t;
            var records = Joining.Run(options with { ParseJson = true }, lines);
            var jsonRecords = records.Where(r => r.Fields is not null).ToList();
            var plain = lines.Where(l => !l.StartsWith('{') || !l.EndsWith('}')).ToList();
            return jsonRecords.Count == lines.Count(l => l.StartsWith("{\"", StringComparison.Ordinal) && l.EndsWith('}'))
                && jsonRecords.All(r => r.Lines == 1 && r.Message.StartsWith('m'))
                && records.Where(r => r.Fields is null).SelectMany(r => r.Message.Split('\n')).SequenceEqual(plain);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Fact]
    public void Join_EndlessContinuationLines_BoundedRecordsMarkedSplit()
    {
        var arb = Gen.Zip(Gen.Zip(Gen.Choose(1, 3000), Gen.Choose(1, 60)), Gen.Elements(MultilineProfile.Java, MultilineProfile.Auto)).ToArbitrary();
        var property = Prop.ForAll(arb, t =>
        {
            var ((frames, maxLines), profile) = t;
            var lines = new List<string> { "java.lang.StackOverflowError: recursion" };
            lines.AddRange(Enumerable.Repeat("\tat com.example.Rec.call(Rec.java:7)", frames));
            var records = Joining.Run(Joining.Profile(profile), lines, new LogLimits { MaxRecordLines = maxLines });
            var cut = lines.Count > maxLines;
            return records.All(r => r.Lines <= maxLines)
                && records.Sum(r => r.Lines) == lines.Count
                && records[0].Flags.HasFlag(LogRecordFlags.RecordSplit) == cut;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), property);
    }

    [Fact]
    public void Rule_EndlessContinuationLines_CutIntoFullRecordsEachMarkedSplit()
    {
        var arb = Gen.Zip(Gen.Choose(1, 2000), Gen.Choose(2, 50)).ToArbitrary();
        var property = Prop.ForAll(arb, t =>
        {
            var (continuations, maxLines) = t;
            var lines = new List<string> { "start" };
            lines.AddRange(Enumerable.Repeat("  more", continuations));
            var rule = new MultilineRule { Pattern = "^\\s", MaxLines = maxLines };
            var records = Joining.Run(new MultilineOptions { Rule = rule, ParseJson = false }, lines);
            var expectedRecords = (lines.Count + maxLines - 1) / maxLines;
            return records.Count == expectedRecords
                && records.Take(records.Count - 1).All(r => r.Lines == maxLines)
                && records.All(r => r.Flags.HasFlag(LogRecordFlags.RecordSplit) == (expectedRecords > 1));
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), property);
    }
}
