using Platform.Kubernetes.Releases;

namespace Platform.Kubernetes.Tests.Releases;

internal static class CatalogTestSupport
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    public static ReleaseCatalogOptions FastRetries(string? @namespace = null) => new()
    {
        Namespace = @namespace,
        InitialRetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>Every revision the catalog indexes, as "ns/name/revision/status/chart".</summary>
    public static List<string> CatalogTruth(IReleaseCatalog catalog)
    {
        var all = catalog.Query(new ReleaseListQuery { States = ReleaseStateFilter.All | ReleaseStateFilter.Unknown });
        return all.Items.SelectMany(latest => catalog.History(latest.Namespace, latest.Name))
            .Select(s => $"{s.Namespace}/{s.Name}/{s.Revision}/{s.Status}/{s.Chart}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every revision the store holds, decoded the slow way.</summary>
    public static async Task<List<string>> StoreTruthAsync(IReleaseStore store, string? @namespace = null)
    {
        var list = await RetryThrottledAsync(() => store.ListAsync(@namespace));
        return list.Releases.Select(r => $"{r.Namespace}/{r.Name}/{r.Version}/{r.Status}/{r.ChartName}-{r.ChartVersion}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Waits (no timing assertion: a generous cancellation timeout) until the catalog equals the store's truth.</summary>
    public static async Task AssertConvergesAsync(IReleaseCatalog catalog, IReleaseStore store, string? @namespace = null)
    {
        using var timeout = new CancellationTokenSource(Generous);
        List<string> expected = [];
        List<string> actual = [];
        while (!timeout.IsCancellationRequested)
        {
            expected = await StoreTruthAsync(store, @namespace);
            actual = CatalogTruth(catalog);
            if (catalog.Status.IsSynced && catalog.Status.IsConnected && expected.SequenceEqual(actual))
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"catalog did not converge: missing [{string.Join(", ", expected.Except(actual))}], extra [{string.Join(", ", actual.Except(expected))}], status {catalog.Status}");
    }

    /// <summary>Runs a test-side read again while the fake serves an injected 429 burst meant for the catalog.</summary>
    public static async Task<T> RetryThrottledAsync<T>(Func<Task<T>> action)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await action();
            }
            catch (Platform.Kubernetes.Client.KubernetesTooManyRequestsException) when (attempt < 100)
            {
                await Task.Delay(5);
            }
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Generous);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail("timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }
}
