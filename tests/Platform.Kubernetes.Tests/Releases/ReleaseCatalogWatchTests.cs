using System.Runtime.CompilerServices;
using Platform.Kubernetes.Releases;

namespace Platform.Kubernetes.Tests.Releases;

/// <summary>The subscription contract of <see cref="ReleaseCatalog.WatchChangesAsync"/>: eager start, release on dispose or cancel.</summary>
public sealed class ReleaseCatalogWatchTests : IAsyncLifetime
{
    private readonly MemoryReleaseStore _store = new();
    private ReleaseCatalog _catalog = null!;

    public async Task InitializeAsync()
    {
        await _store.CreateAsync(TestReleases.Build("a", 1, "ns1"));
        _catalog = await StartAsync(CatalogTestSupport.FastRetries());
    }

    public async Task DisposeAsync() => await _catalog.DisposeAsync();

    [Fact]
    public async Task WatchChangesAsync_ChangeWrittenBeforeFirstMoveNext_IsSeen()
    {
        using var cts = new CancellationTokenSource(CatalogTestSupport.Generous);
        IAsyncEnumerable<ReleaseCatalogChange> stream = _catalog.WatchChangesAsync(cts.Token);

        await _store.CreateAsync(TestReleases.Build("b", 1, "ns1"));
        await CatalogTestSupport.WaitUntilAsync(() => _catalog.History("ns1", "b").Count == 1, "the write is indexed (and broadcast) before enumeration starts");

        await using var e = stream.GetAsyncEnumerator(cts.Token);
        Assert.True(await e.MoveNextAsync());
        Assert.Equal("Added ns1/b/1", $"{e.Current.Kind} {e.Current.Namespace}/{e.Current.Name}/{e.Current.Revision}");
    }

    [Fact]
    public async Task WatchChangesAsync_EnumeratorDisposedWithoutMoveNext_ReleasesSubscription()
    {
        IAsyncEnumerable<ReleaseCatalogChange> stream = _catalog.WatchChangesAsync();
        Assert.Equal(1, _catalog.SubscriberCount); // registered by the call itself

        IAsyncEnumerator<ReleaseCatalogChange> e = stream.GetAsyncEnumerator();
        Assert.Equal(1, _catalog.SubscriberCount); // the enumerator took that subscription, it made no second one
        await e.DisposeAsync();

        Assert.Equal(0, _catalog.SubscriberCount);
        GC.KeepAlive(stream);
    }

    [Fact]
    public async Task WatchChangesAsync_TokenCancelledWithoutEnumerating_ReleasesSubscription()
    {
        using var cts = new CancellationTokenSource();
        IAsyncEnumerable<ReleaseCatalogChange> stream = _catalog.WatchChangesAsync(cts.Token);
        Assert.Equal(1, _catalog.SubscriberCount);

        await cts.CancelAsync();

        Assert.Equal(0, _catalog.SubscriberCount);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.GetAsyncEnumerator().MoveNextAsync());
    }

    [Fact]
    public async Task WatchChangesAsync_StreamDroppedWithoutEnumerating_IsUnregisteredWhenCollected()
    {
        using var cts = new CancellationTokenSource(); // a long-lived token must not keep the dropped stream alive
        Assert.Equal(1, WatchAndDrop(_catalog, cts.Token));

        for (int i = 0; i < 10 && _catalog.SubscriberCount != 0; i++)
        {
            GcNow();
            await Task.Yield();
        }

        Assert.Equal(0, _catalog.SubscriberCount);
    }

    [Fact]
    public async Task WatchChangesAsync_CancelledWhileWaiting_ThrowsOperationCanceledAndReleases()
    {
        using var cts = new CancellationTokenSource();
        await using var e = _catalog.WatchChangesAsync(cts.Token).GetAsyncEnumerator();
        ValueTask<bool> next = e.MoveNextAsync();

        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(0, _catalog.SubscriberCount);
    }

    [Fact]
    public async Task WatchChangesAsync_EnumeratorTokenCancelled_EndsTheStream()
    {
        using var cts = new CancellationTokenSource();
        await using var e = _catalog.WatchChangesAsync().GetAsyncEnumerator(cts.Token);
        ValueTask<bool> next = e.MoveNextAsync();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await next);
    }

    [Fact]
    public async Task WatchChangesAsync_MoreChangesThanTheBufferBeforeReading_YieldsOneResetThenLiveChanges()
    {
        await using ReleaseCatalog catalog = await StartAsync(new ReleaseCatalogOptions { ChangeBufferSize = 2, InitialRetryDelay = TimeSpan.FromMilliseconds(5), MaxRetryDelay = TimeSpan.FromMilliseconds(50) });
        using var cts = new CancellationTokenSource(CatalogTestSupport.Generous);
        await using var e = catalog.WatchChangesAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        for (int i = 1; i <= 3; i++)
        {
            await _store.CreateAsync(TestReleases.Build("lag", i, "ns1"));
        }

        await CatalogTestSupport.WaitUntilAsync(() => catalog.History("ns1", "lag").Count == 3, "three writes are indexed");
        Assert.True(await e.MoveNextAsync());
        Assert.Equal(ReleaseCatalogChangeKind.Reset, e.Current.Kind);

        await _store.CreateAsync(TestReleases.Build("lag", 4, "ns1"));
        Assert.True(await e.MoveNextAsync());
        Assert.Equal("Added lag/4", $"{e.Current.Kind} {e.Current.Name}/{e.Current.Revision}");
    }

    [Fact]
    public async Task WatchChangesAsync_StreamEnumeratedTwice_SecondEnumerationSubscribesAfresh()
    {
        using var cts = new CancellationTokenSource(CatalogTestSupport.Generous);
        IAsyncEnumerable<ReleaseCatalogChange> stream = _catalog.WatchChangesAsync(cts.Token);
        await using var first = stream.GetAsyncEnumerator();
        await using var second = stream.GetAsyncEnumerator();
        Assert.Equal(2, _catalog.SubscriberCount);

        await _store.CreateAsync(TestReleases.Build("twice", 1, "ns1"));

        Assert.True(await first.MoveNextAsync());
        Assert.True(await second.MoveNextAsync());
        Assert.Equal(("twice", "twice"), (first.Current.Name, second.Current.Name));
    }

    [Fact]
    public async Task WatchChangesAsync_CatalogDisposed_EndsStreamsNormally()
    {
        await using ReleaseCatalog catalog = await StartAsync(CatalogTestSupport.FastRetries());
        using var cts = new CancellationTokenSource(CatalogTestSupport.Generous);
        await using var e = catalog.WatchChangesAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        await catalog.DisposeAsync();

        Assert.False(await e.MoveNextAsync());
        await using var late = catalog.WatchChangesAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.False(await late.MoveNextAsync());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WatchAndDrop(ReleaseCatalog catalog, CancellationToken cancellationToken)
    {
        IAsyncEnumerable<ReleaseCatalogChange> stream = catalog.WatchChangesAsync(cancellationToken);
        int registered = catalog.SubscriberCount;
        GC.KeepAlive(stream);
        return registered;
    }

    private static void GcNow()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private async Task<ReleaseCatalog> StartAsync(ReleaseCatalogOptions options)
    {
        var catalog = new ReleaseCatalog(_store, _store, options);
        await catalog.WaitForSyncAsync().WaitAsync(CatalogTestSupport.Generous);
        return catalog;
    }
}
