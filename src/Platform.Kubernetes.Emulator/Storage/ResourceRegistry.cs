namespace Platform.Kubernetes.Emulator.Storage;

/// <summary>The served resource types, keyed by group/version/plural; registrations may arrive at any time (thread-safe).</summary>
internal sealed class ResourceRegistry
{
    private readonly Lock _gate = new();
    private readonly List<ResourceInfo> _all = [];

    public ResourceRegistry(IEnumerable<EmulatorResourceType> builtIn, IEnumerable<EmulatorResourceType> extra)
    {
        foreach (EmulatorResourceType type in builtIn)
        {
            Register(type, builtIn: true);
        }

        foreach (EmulatorResourceType type in extra)
        {
            Register(type, builtIn: false);
        }
    }

    /// <summary>Gets a snapshot of every served type in registration order.</summary>
    public IReadOnlyList<ResourceInfo> All
    {
        get
        {
            lock (_gate)
            {
                return _all.ToArray();
            }
        }
    }

    public ResourceInfo Namespaces => Find("", "v1", "namespaces")!;

    public ResourceInfo? Find(string group, string version, string plural)
    {
        lock (_gate)
        {
            return _all.Find(r => r.Type.Group == group && r.Type.Version == version && r.Type.Plural == plural);
        }
    }

    /// <summary>Finds a type by group and kind, any version (for manifests whose apiVersion names another served version).</summary>
    public ResourceInfo? FindByKind(string group, string version, string kind)
    {
        lock (_gate)
        {
            return _all.Find(r => r.Type.Group == group && r.Type.Version == version && r.Type.Kind == kind);
        }
    }

    /// <summary>Adds a type, or replaces a same-named non-built-in one; built-in types cannot be replaced.</summary>
    public ResourceInfo Register(EmulatorResourceType type, bool builtIn)
    {
        ArgumentNullException.ThrowIfNull(type);
        Validate(type);
        lock (_gate)
        {
            int index = _all.FindIndex(r => r.Type.Group == type.Group && r.Type.Version == type.Version && r.Type.Plural == type.Plural);
            var info = new ResourceInfo(type, builtIn);
            if (index >= 0)
            {
                if (_all[index].BuiltIn)
                {
                    throw new ArgumentException($"{type.ApiVersion} {type.Plural} is a built-in resource type and cannot be re-registered.", nameof(type));
                }

                _all[index] = info;
            }
            else
            {
                _all.Add(info);
            }

            return info;
        }
    }

    /// <summary>Removes a non-built-in type (its CustomResourceDefinition was deleted).</summary>
    public void Unregister(ResourceInfo info)
    {
        lock (_gate)
        {
            if (!info.BuiltIn)
            {
                _all.Remove(info);
            }
        }
    }

    private static void Validate(EmulatorResourceType type)
    {
        static bool IsDnsLabelLike(string s) => s.Length is > 0 and <= 253 && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');

        if (type.Group.Length > 0 && !IsDnsLabelLike(type.Group))
        {
            throw new ArgumentException($"Resource group '{type.Group}' must be a lower-case DNS subdomain.", nameof(type));
        }

        if (!IsDnsLabelLike(type.Version) || !IsDnsLabelLike(type.Plural) || type.Plural.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Resource version '{type.Version}' and plural '{type.Plural}' must be lower-case names.", nameof(type));
        }

        if (string.IsNullOrEmpty(type.Kind) || !char.IsAsciiLetterUpper(type.Kind[0]) || !type.Kind.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"Resource kind '{type.Kind}' must be an upper-case-initial alphanumeric name such as 'Widget'.", nameof(type));
        }
    }
}
