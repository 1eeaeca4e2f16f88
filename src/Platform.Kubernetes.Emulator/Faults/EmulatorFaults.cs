namespace Platform.Kubernetes.Emulator;

/// <summary>Describes one API request, for <see cref="EmulatorFaults.AppliesTo"/>.</summary>
/// <param name="Method">The HTTP method, for example <c>GET</c>.</param>
/// <param name="Path">The request path, for example <c>/api/v1/namespaces/default/secrets</c>.</param>
/// <param name="IsWatch">Whether the request is a watch (<c>?watch=true</c>).</param>
public sealed record EmulatorRequest(string Method, string Path, bool IsWatch);

/// <summary>
/// Fault injection for tests: added latency, <c>429 Too Many Requests</c> and <c>500</c> answers (at a rate or for
/// the next N requests), watches dropped after N events, and history compaction (see
/// <see cref="KubernetesEmulator.CompactHistory"/>). All settings may change while the emulator runs; thread-safe.
/// </summary>
/// <remarks>
/// Faults apply to authenticated API requests (not to <c>/version</c> or health checks) that <see cref="AppliesTo"/>
/// accepts. Rates draw from the emulator's random source, seeded by <see cref="EmulatorOptions.RandomSeed"/>.
/// </remarks>
public sealed class EmulatorFaults
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly Queue<int> _next = new();
    private TimeSpan _latency;
    private double _tooManyRequestsRate;
    private double _internalErrorRate;
    private TimeSpan _retryAfter = TimeSpan.FromSeconds(1);
    private int? _dropWatchesAfterEvents;
    private bool _abortDroppedWatches;
    private int _abortNext;
    private Predicate<EmulatorRequest>? _appliesTo;
    private long _injected;

    internal EmulatorFaults(Random random)
    {
        _random = random;
    }

    /// <summary>Gets or sets the delay added before each request is handled. Defaults to zero.</summary>
    public TimeSpan Latency
    {
        get { lock (_gate) { return _latency; } }
        set { ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero); lock (_gate) { _latency = value; } }
    }

    /// <summary>Gets or sets the share of requests (0 to 1) answered <c>429 TooManyRequests</c> with <c>Retry-After</c>. Defaults to 0.</summary>
    public double TooManyRequestsRate
    {
        get { lock (_gate) { return _tooManyRequestsRate; } }
        set { CheckRate(value); lock (_gate) { _tooManyRequestsRate = value; } }
    }

    /// <summary>Gets or sets the share of requests (0 to 1) answered <c>500 InternalError</c>. Defaults to 0.</summary>
    public double InternalErrorRate
    {
        get { lock (_gate) { return _internalErrorRate; } }
        set { CheckRate(value); lock (_gate) { _internalErrorRate = value; } }
    }

    /// <summary>Gets or sets the <c>Retry-After</c> sent with injected 429s (whole seconds, rounded up). Defaults to 1 second.</summary>
    public TimeSpan RetryAfter
    {
        get { lock (_gate) { return _retryAfter; } }
        set { ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero); lock (_gate) { _retryAfter = value; } }
    }

    /// <summary>
    /// Gets or sets after how many events (ADDED/MODIFIED/DELETED, not bookmarks) the server ends each watch
    /// response, as a dropped connection or a load-balancer timeout would; <see langword="null"/> (the default) never.
    /// </summary>
    public int? DropWatchesAfterEvents
    {
        get { lock (_gate) { return _dropWatchesAfterEvents; } }
        set
        {
            if (value is < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "DropWatchesAfterEvents must be null or at least 0.");
            }

            lock (_gate) { _dropWatchesAfterEvents = value; }
        }
    }

    /// <summary>
    /// Gets or sets whether a watch dropped by <see cref="DropWatchesAfterEvents"/> is cut by resetting the
    /// connection (<see langword="true"/>) instead of ending the response normally (the default).
    /// </summary>
    public bool AbortDroppedWatches
    {
        get { lock (_gate) { return _abortDroppedWatches; } }
        set { lock (_gate) { _abortDroppedWatches = value; } }
    }

    /// <summary>Gets or sets which requests the faults apply to; <see langword="null"/> (the default) means all API requests.</summary>
    public Predicate<EmulatorRequest>? AppliesTo
    {
        get { lock (_gate) { return _appliesTo; } }
        set { lock (_gate) { _appliesTo = value; } }
    }

    /// <summary>Gets how many failures (error answers and reset connections) have been injected so far.</summary>
    public long InjectedFailures => Interlocked.Read(ref _injected);

    /// <summary>Answers the next <paramref name="count"/> matching requests with <paramref name="statusCode"/> (429, 500, 503 or 504).</summary>
    /// <param name="count">How many requests fail, at least 1.</param>
    /// <param name="statusCode">The HTTP status: 429 (with <c>Retry-After</c>), 500, 503 or 504.</param>
    public void FailNext(int count, int statusCode = 429)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (statusCode is not (429 or 500 or 503 or 504))
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "FailNext supports 429, 500, 503 and 504.");
        }

        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                _next.Enqueue(statusCode);
            }
        }
    }

    /// <summary>Resets the connection of the next <paramref name="count"/> matching requests without answering (clients see a connection reset).</summary>
    /// <param name="count">How many requests are cut, at least 1.</param>
    public void AbortNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            _abortNext += count;
        }
    }

    /// <summary>Clears every fault: no latency, no failures, no dropped watches, no filter.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _latency = TimeSpan.Zero;
            _tooManyRequestsRate = 0;
            _internalErrorRate = 0;
            _retryAfter = TimeSpan.FromSeconds(1);
            _dropWatchesAfterEvents = null;
            _abortDroppedWatches = false;
            _appliesTo = null;
            _next.Clear();
            _abortNext = 0;
        }
    }

    /// <summary>Decides the fault of one request: a delay and maybe a status code to answer with.</summary>
    internal (TimeSpan Delay, int? Status, int RetryAfterSeconds, int? DropAfter) Decide(EmulatorRequest request, out bool abort, out bool abortDroppedWatch)
    {
        lock (_gate)
        {
            abort = false;
            abortDroppedWatch = _abortDroppedWatches;
            if (_appliesTo is not null && !_appliesTo(request))
            {
                return (TimeSpan.Zero, null, 0, null);
            }

            int? status = null;
            if (_abortNext > 0)
            {
                _abortNext--;
                abort = true;
                Interlocked.Increment(ref _injected);
                return (_latency, null, 0, null);
            }

            if (_next.Count > 0)
            {
                status = _next.Dequeue();
            }
            else if (_tooManyRequestsRate > 0 && _random.NextDouble() < _tooManyRequestsRate)
            {
                status = 429;
            }
            else if (_internalErrorRate > 0 && _random.NextDouble() < _internalErrorRate)
            {
                status = 500;
            }

            if (status is not null)
            {
                Interlocked.Increment(ref _injected);
            }

            return (_latency, status, (int)Math.Ceiling(_retryAfter.TotalSeconds), _dropWatchesAfterEvents);
        }
    }

    private static void CheckRate(double value)
    {
        if (double.IsNaN(value) || value < 0 || value > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A fault rate must be between 0 and 1.");
        }
    }
}
