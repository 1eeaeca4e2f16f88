using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Client;

/// <summary>
/// Splits a watch stream into its JSON objects. The API server writes one object per line; like client-go's JSON
/// framer this reader does not depend on the newlines and finds each object's end by bracket depth, so pretty-printed
/// or concatenated frames work too. One frame is at most the configured size.
/// </summary>
internal sealed class JsonFrameReader(Stream stream, int maxFrameBytes)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 512 };
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private int _scan;
    private int _depth;
    private bool _inString;
    private bool _escape;
    private bool _started;

    /// <summary>Reads the next object, or returns <see langword="null"/> at a clean end of stream.</summary>
    /// <exception cref="EndOfStreamException">The stream ended inside an object.</exception>
    /// <exception cref="InvalidDataException">A frame is larger than the limit or is not a JSON object.</exception>
    public async ValueTask<JsonObject?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryFrame(out var frameStart, out var frameEnd))
            {
                var span = new ReadOnlyMemory<byte>(_buffer, frameStart, frameEnd - frameStart);
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(span.Span, documentOptions: DocumentOptions);
                }
                catch (JsonException ex)
                {
                    throw new InvalidDataException($"A watch frame is not valid JSON: {ex.Message}", ex);
                }

                return node as JsonObject ?? throw new InvalidDataException("A watch frame is not a JSON object.");
            }

            if (_start > 0)
            {
                var live = _end - _start;
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, live);
                _scan -= _start;
                _end = live;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= maxFrameBytes)
                {
                    throw new InvalidDataException($"A watch frame exceeds {maxFrameBytes} bytes (MaxWatchEventBytes).");
                }

                Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxFrameBytes));
            }

            var n = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (_started)
                {
                    throw new EndOfStreamException("The watch stream ended inside an event.");
                }

                return null;
            }

            _end += n;
        }
    }

    private bool TryFrame(out int frameStart, out int frameEnd)
    {
        frameStart = frameEnd = 0;
        for (; _scan < _end; _scan++)
        {
            var b = _buffer[_scan];
            if (!_started)
            {
                if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
                {
                    _start = _scan + 1;
                    continue;
                }

                if (b != (byte)'{')
                {
                    throw new InvalidDataException($"A watch frame must start with '{{', found byte 0x{b:x2}.");
                }

                _started = true;
                _start = _scan;
                _depth = 1;
                continue;
            }

            if (_inString)
            {
                if (_escape)
                {
                    _escape = false;
                }
                else if (b == (byte)'\\')
                {
                    _escape = true;
                }
                else if (b == (byte)'"')
                {
                    _inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                case (byte)'}' or (byte)']':
                    if (--_depth == 0)
                    {
                        frameStart = _start;
                        frameEnd = _scan + 1;
                        _scan++;
                        _start = _scan;
                        _started = false;
                        return true;
                    }

                    break;
            }
        }

        if (!_started)
        {
            _start = _scan;
        }

        return false;
    }
}
