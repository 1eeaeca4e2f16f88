using System.Text.Json.Nodes;
using Platform.Charts.Dependencies;
using Platform.Charts.Loading;
using Platform.Charts.Profiles;

namespace Platform.Charts;

/// <summary>Loads charts from directories and archives with the configured limits.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IChartLoader
{
    /// <summary>Loads a chart directory or <c>.tgz</c> archive.</summary>
    /// <param name="path">The directory or archive path.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The chart and the warnings Helm would print.</returns>
    Task<ChartLoadResult> LoadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Loads a chart archive (<c>.tgz</c>) from a stream.</summary>
    /// <param name="archive">The gzip-compressed tar stream; not disposed.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <returns>The chart and the warnings Helm would print.</returns>
    Task<ChartLoadResult> LoadAsync(Stream archive, CancellationToken cancellationToken = default);
}

/// <summary>Computes chart values as Helm does, and composes app-store value profiles.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IChartValuesEngine
{
    /// <summary>Computes a chart's values (dependency processing, then coalescing with <paramref name="userValues"/>).</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="userValues">The user-supplied values, or <see langword="null"/>.</param>
    /// <returns>The computed values, the processed chart tree and warnings.</returns>
    ChartValuesResult Compute(Chart chart, JsonObject? userValues);

    /// <summary>Composes named layers over a chart and reports which layer set each final value.</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="layers">The layers, lowest priority first.</param>
    /// <returns>The final values with per-value sources.</returns>
    ValuesComposition Compose(Chart chart, IEnumerable<ValuesLayer> layers);
}
