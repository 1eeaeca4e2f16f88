using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Platform.Charts.Loading.Internal;

/// <summary>A minimal YAML node tree built without recursion, so hostile nesting cannot overflow the stack.</summary>
internal abstract class YNode
{
    protected YNode(Mark start) => Start = start;

    public Mark Start { get; }
}

internal sealed class YScalar : YNode
{
    public YScalar(Mark start, string value, ScalarStyle style, string? tag)
        : base(start)
    {
        Value = value;
        Style = style;
        Tag = tag;
    }

    public string Value { get; }

    public ScalarStyle Style { get; }

    public string? Tag { get; }

    public bool IsPlain => Style is ScalarStyle.Plain or ScalarStyle.Any;

    /// <summary>Gets a value indicating whether the scalar resolves to null under YAML 1.1 (as go-yaml v2 reads it).</summary>
    public bool IsNull => IsPlain && Tag is null && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed class YSequence : YNode
{
    public YSequence(Mark start)
        : base(start)
    {
    }

    public List<YNode> Items { get; } = [];
}

internal sealed class YMapping : YNode
{
    public YMapping(Mark start)
        : base(start)
    {
    }

    public List<KeyValuePair<YNode, YNode>> Entries { get; } = [];
}

/// <summary>Reads the first YAML document of a text into a <see cref="YNode"/> tree.</summary>
internal static class YamlTreeReader
{
    /// <summary>The deepest nesting accepted in chart metadata files.</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses the first document. Returns <see langword="null"/> for an empty stream or document.</summary>
    /// <exception cref="YamlException">The text is not YAML, nests too deep, or uses an unknown alias.</exception>
    public static YNode? Read(string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        var inDocument = false;
        while (parser.MoveNext())
        {
            var ev = parser.Current!;
            YNode? completed;
            switch (ev)
            {
                case StreamStart:
                    continue;
                case StreamEnd:
                    return null;
                case DocumentStart:
                    inDocument = true;
                    continue;
                case DocumentEnd:
                    // An empty document (only comments or '---').
                    return null;
                case Scalar s:
                    completed = new YScalar(s.Start, s.Value, s.Style, s.Tag.IsEmpty ? null : s.Tag.Value);
                    Register(anchors, s.Anchor, completed);
                    break;
                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out completed))
                    {
                        throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value.Value} refers to an anchor that is not defined before it.");
                    }

                    break;
                case SequenceStart ss:
                    Push(stack, new Frame(new YSequence(ss.Start), ss.Anchor), ss);
                    continue;
                case MappingStart ms:
                    Push(stack, new Frame(new YMapping(ms.Start), ms.Anchor), ms);
                    continue;
                case SequenceEnd:
                case MappingEnd:
                    {
                        var frame = stack.Pop();
                        completed = frame.Node;
                        Register(anchors, frame.Anchor, completed);
                        break;
                    }

                default:
                    throw new YamlException(ev.Start, ev.End, $"unexpected YAML event {ev.GetType().Name}.");
            }

            if (!inDocument)
            {
                throw new YamlException(ev.Start, ev.End, "content outside of a YAML document.");
            }

            if (stack.Count == 0)
            {
                return completed;
            }

            stack.Peek().Add(completed);
        }

        return null;
    }

    private static void Push(Stack<Frame> stack, Frame frame, ParsingEvent ev)
    {
        if (stack.Count >= MaxDepth)
        {
            throw new YamlException(ev.Start, ev.End, $"the YAML nests deeper than {MaxDepth} levels.");
        }

        stack.Push(frame);
    }

    private static void Register(Dictionary<string, YNode> anchors, AnchorName anchor, YNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    private sealed class Frame
    {
        private YNode? _pendingKey;

        public Frame(YNode node, AnchorName anchor)
        {
            Node = node;
            Anchor = anchor;
        }

        public YNode Node { get; }

        public AnchorName Anchor { get; }

        public void Add(YNode child)
        {
            if (Node is YSequence seq)
            {
                seq.Items.Add(child);
                return;
            }

            var map = (YMapping)Node;
            if (_pendingKey is null)
            {
                _pendingKey = child;
            }
            else
            {
                map.Entries.Add(new KeyValuePair<YNode, YNode>(_pendingKey, child));
                _pendingKey = null;
            }
        }
    }
}
