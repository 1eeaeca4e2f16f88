using System.Text;

namespace Platform.Kubernetes.Emulator.Logs;

/// <summary>One timestamped log line.</summary>
internal readonly record struct LogLine(DateTimeOffset Time, string Text);

/// <summary>
/// The registered log content of each container (current and previous instance), with change signals so a
/// <c>follow=true</c> request streams appended lines as they arrive. Thread-safe.
/// </summary>
internal sealed class PodLogStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Ns, string Pod, string Container, bool Previous), Buffer> _buffers = new();
    private readonly TimeProvider _time;
    private readonly int _maxBytes;

    public PodLogStore(TimeProvider time, int maxBytes)
    {
        _time = time;
        _maxBytes = maxBytes;
    }

    /// <summary>Gets the container names with registered logs for a pod.</summary>
    public IReadOnlyList<string> Containers(string ns, string pod)
    {
        lock (_gate)
        {
            return _buffers.Keys.Where(k => k.Ns == ns && k.Pod == pod && !k.Previous).Select(k => k.Container).Distinct().Order(StringComparer.Ordinal).ToList();
        }
    }

    public void Set(string ns, string pod, string container, string text, bool previous)
    {
        lock (_gate)
        {
            var buffer = new Buffer();
            if (_buffers.Remove((ns, pod, container, previous), out Buffer? old))
            {
                old.Complete();
            }

            _buffers[(ns, pod, container, previous)] = buffer;
            buffer.Append(Split(text), _maxBytes);
        }
    }

    public void Append(string ns, string pod, string container, string text)
    {
        lock (_gate)
        {
            if (!_buffers.TryGetValue((ns, pod, container, false), out Buffer? buffer))
            {
                buffer = new Buffer();
                _buffers[(ns, pod, container, false)] = buffer;
            }

            buffer.Append(Split(text), _maxBytes);
        }
    }

    /// <summary>Marks the container's log finished: followers get the rest and the stream ends.</summary>
    public void Complete(string ns, string pod, string? container)
    {
        lock (_gate)
        {
            foreach (var (key, buffer) in _buffers)
            {
                if (key.Ns == ns && key.Pod == pod && (container is null || key.Container == container))
                {
                    buffer.Complete();
                }
            }
        }
    }

    /// <summary>Forgets the logs of a deleted pod, ending any follower.</summary>
    public void Remove(string ns, string pod)
    {
        lock (_gate)
        {
            foreach (var key in _buffers.Keys.Where(k => k.Ns == ns && k.Pod == pod).ToList())
            {
                _buffers[key].Complete();
                _buffers.Remove(key);
            }
        }
    }

    /// <summary>Forgets the logs of every pod of a deleted namespace.</summary>
    public void RemoveNamespace(string ns)
    {
        lock (_gate)
        {
            foreach (var key in _buffers.Keys.Where(k => k.Ns == ns).ToList())
            {
                _buffers[key].Complete();
                _buffers.Remove(key);
            }
        }
    }

    public void CompleteAll()
    {
        lock (_gate)
        {
            foreach (Buffer buffer in _buffers.Values)
            {
                buffer.Complete();
            }
        }
    }

    public Buffer? Find(string ns, string pod, string container, bool previous)
    {
        lock (_gate)
        {
            return _buffers.GetValueOrDefault((ns, pod, container, previous));
        }
    }

    private List<LogLine> Split(string text)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var lines = new List<LogLine>();
        if (text.Length == 0)
        {
            return lines;
        }

        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                lines.Add(new LogLine(now, text[start..] + "\n"));
                break;
            }

            lines.Add(new LogLine(now, text[start..(end + 1)]));
            start = end + 1;
        }

        return lines;
    }

    /// <summary>The lines of one container instance; readers take snapshots and await <see cref="Changed"/>.</summary>
    internal sealed class Buffer
    {
        private readonly List<LogLine> _lines = [];
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _bytes;
        private long _dropped;

        public bool Completed { get; private set; }

        public Task Changed
        {
            get
            {
                lock (_lines)
                {
                    return _changed.Task;
                }
            }
        }

        /// <summary>Returns the lines from absolute index <paramref name="from"/> on, and the next absolute index.</summary>
        public (List<LogLine> Lines, long Next, bool Completed) Read(long from)
        {
            lock (_lines)
            {
                long first = Math.Max(from, _dropped);
                int offset = (int)(first - _dropped);
                return (_lines.GetRange(offset, _lines.Count - offset), _dropped + _lines.Count, Completed);
            }
        }

        public void Append(List<LogLine> lines, int maxBytes)
        {
            TaskCompletionSource signal;
            lock (_lines)
            {
                foreach (LogLine line in lines)
                {
                    _lines.Add(line);
                    _bytes += Encoding.UTF8.GetByteCount(line.Text);
                }

                while (_bytes > maxBytes && _lines.Count > 0)
                {
                    _bytes -= Encoding.UTF8.GetByteCount(_lines[0].Text);
                    _lines.RemoveAt(0);
                    _dropped++;
                }

                signal = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            signal.TrySetResult();
        }

        public void Complete()
        {
            TaskCompletionSource signal;
            lock (_lines)
            {
                Completed = true;
                signal = _changed;
            }

            signal.TrySetResult();
        }
    }
}
