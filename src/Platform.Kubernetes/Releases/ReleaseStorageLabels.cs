using System.Collections.Frozen;

namespace Platform.Kubernetes.Releases;

/// <summary>The storage conventions Helm's Secrets, ConfigMaps and SQL drivers share: labels, names and types.</summary>
public static class ReleaseStorageLabels
{
    /// <summary>The Secret <c>type</c> and the SQL <c>type</c> column: <c>helm.sh/release.v1</c>.</summary>
    public const string ReleaseType = "helm.sh/release.v1";

    /// <summary>The key of the release payload in <c>data</c>: <c>release</c>.</summary>
    public const string DataKey = "release";

    /// <summary>The <c>owner</c> label value: <c>helm</c>.</summary>
    public const string Owner = "helm";

    /// <summary>The label selector that selects every Helm release object: <c>owner=helm</c>.</summary>
    public const string OwnerSelector = "owner=helm";

    /// <summary>The prefix of every storage object name: <c>sh.helm.release.v1.</c>.</summary>
    public const string ObjectNamePrefix = "sh.helm.release.v1.";

    /// <summary>The label keys Helm reserves for itself; custom release labels never use them.</summary>
    public static FrozenSet<string> SystemLabels { get; } =
        new[] { "name", "owner", "status", "version", "createdAt", "modifiedAt" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Gets the storage object name of a revision: <c>sh.helm.release.v1.NAME.vVERSION</c>.</summary>
    /// <param name="releaseName">The release name.</param>
    /// <param name="version">The revision.</param>
    /// <returns>The object name (the SQL <c>key</c> column).</returns>
    public static string ObjectName(string releaseName, int version) =>
        ObjectNamePrefix + releaseName + ".v" + version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Tries to split a storage object name into release name and revision.</summary>
    /// <param name="objectName">The object name.</param>
    /// <param name="releaseName">The release name.</param>
    /// <param name="version">The revision.</param>
    /// <returns><see langword="true"/> when the name has Helm's shape.</returns>
    public static bool TryParseObjectName(string objectName, out string releaseName, out int version)
    {
        releaseName = string.Empty;
        version = 0;
        if (!objectName.StartsWith(ObjectNamePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        int dot = objectName.LastIndexOf(".v", StringComparison.Ordinal);
        if (dot <= ObjectNamePrefix.Length
            || !int.TryParse(objectName.AsSpan(dot + 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version))
        {
            return false;
        }

        releaseName = objectName[ObjectNamePrefix.Length..dot];
        return true;
    }

    /// <summary>Builds the labels Helm writes on a storage object: custom labels, then the system labels over them.</summary>
    /// <param name="release">The release.</param>
    /// <param name="createdAt">The Unix time to write as <c>createdAt</c>, or <see langword="null"/>.</param>
    /// <param name="modifiedAt">The Unix time to write as <c>modifiedAt</c>, or <see langword="null"/>.</param>
    /// <returns>The labels.</returns>
    public static Dictionary<string, string> ForObject(HelmRelease release, long? createdAt, long? modifiedAt)
    {
        ArgumentNullException.ThrowIfNull(release);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in release.Labels)
        {
            if (!SystemLabels.Contains(key))
            {
                labels[key] = value;
            }
        }

        labels["name"] = release.Name;
        labels["owner"] = Owner;
        labels["status"] = release.Status.ToHelmString();
        labels["version"] = release.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (createdAt is long created)
        {
            labels["createdAt"] = created.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (modifiedAt is long modified)
        {
            labels["modifiedAt"] = modified.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return labels;
    }

    /// <summary>Returns the custom labels of a storage object: every label except the system ones.</summary>
    /// <param name="objectLabels">The object's labels.</param>
    /// <returns>The custom labels (an empty dictionary when there are none).</returns>
    public static IReadOnlyDictionary<string, string> CustomLabels(IEnumerable<KeyValuePair<string, string>> objectLabels)
    {
        Dictionary<string, string>? custom = null;
        foreach (var (key, value) in objectLabels)
        {
            if (!SystemLabels.Contains(key))
            {
                (custom ??= new Dictionary<string, string>(StringComparer.Ordinal))[key] = value;
            }
        }

        return custom is null ? FrozenDictionary<string, string>.Empty : custom;
    }
}
