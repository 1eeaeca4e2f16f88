namespace Platform.Charts.Loading.Internal;

/// <summary>Reads the files of a chart directory, applying <c>.helmignore</c> and refusing links that leave the chart.</summary>
internal static class DirectoryReader
{
    public static async Task<List<BufferedFile>> ReadAsync(string directory, LoadContext ctx, CancellationToken cancellationToken)
    {
        var root = RealPath(Path.GetFullPath(directory));
        var rules = new HelmIgnoreRules();
        var ignorePath = Path.Combine(root, HelmIgnoreRules.FileName);
        if (ctx.Options.ApplyHelmIgnore && File.Exists(ignorePath))
        {
            var ignoreInfo = new FileInfo(ignorePath);
            ctx.CheckDeclaredSize(ignoreInfo.Length, HelmIgnoreRules.FileName);
            var text = await File.ReadAllTextAsync(ignorePath, cancellationToken).ConfigureAwait(false);
            try
            {
                rules = HelmIgnoreRules.Parse(text);
            }
            catch (FormatException ex)
            {
                throw ctx.Error($"the .helmignore file is invalid: {ex.Message}", HelmIgnoreRules.FileName, ex);
            }
        }

        rules.AddDefaults();
        var files = new List<BufferedFile>();
        var visited = new HashSet<string>(StringComparer.Ordinal) { root };
        await WalkAsync(root, root, string.Empty, 1, rules, visited, files, ctx, cancellationToken).ConfigureAwait(false);
        return files;
    }

    private static async Task WalkAsync(
        string root,
        string dir,
        string relPrefix,
        int depth,
        HelmIgnoreRules rules,
        HashSet<string> visited,
        List<BufferedFile> files,
        LoadContext ctx,
        CancellationToken cancellationToken)
    {
        if (depth > ctx.Options.MaxDirectoryDepth)
        {
            throw ctx.Error($"directories nest deeper than {ctx.Options.MaxDirectoryDepth} levels (ChartLoadOptions.MaxDirectoryDepth).", relPrefix.TrimEnd('/'));
        }

        FileSystemInfo[] entries;
        try
        {
            entries = new DirectoryInfo(dir).GetFileSystemInfos();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ctx.Error($"the directory cannot be read: {ex.Message}", relPrefix.Length == 0 ? null : relPrefix.TrimEnd('/'), ex);
        }

        Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rel = relPrefix + entry.Name;
            FileSystemInfo target = entry;
            if (entry.LinkTarget is not null)
            {
                var resolved = TryRealPath(entry.FullName);
                var exists = resolved is not null && (File.Exists(resolved) || Directory.Exists(resolved));
                if (!exists)
                {
                    // Helm honours .helmignore before failing on a broken link.
                    if (rules.Ignore(rel, isDirectory: false))
                    {
                        continue;
                    }

                    throw ctx.Error($"the symbolic link points to '{entry.LinkTarget}', which does not exist; expected links to files inside the chart.", rel);
                }

                // An ignored link is never followed, wherever it points (as Helm skips ignored paths).
                if (rules.Ignore(rel, Directory.Exists(resolved)))
                {
                    continue;
                }

                if (!IsInside(root, resolved!))
                {
                    throw ctx.Error($"the symbolic link resolves to '{resolved}', outside the chart directory; expected links to stay inside the chart.", rel);
                }

                target = Directory.Exists(resolved) ? new DirectoryInfo(resolved!) : new FileInfo(resolved!);
                ctx.Warn($"found symbolic link in path: {rel} resolves to {resolved}. Contents of linked file included and used", rel);
            }

            if (target is DirectoryInfo)
            {
                if (rules.Ignore(rel, isDirectory: true))
                {
                    continue;
                }

                var real = entry.LinkTarget is null ? target.FullName : RealPath(target.FullName);
                if (!visited.Add(real))
                {
                    throw ctx.Error("the symbolic link leads back to a directory already being read (a link loop); expected a tree of directories.", rel);
                }

                await WalkAsync(root, real, rel + "/", depth + 1, rules, visited, files, ctx, cancellationToken).ConfigureAwait(false);
                visited.Remove(real);
                continue;
            }

            if (rules.Ignore(rel, isDirectory: false))
            {
                continue;
            }

            var file = (FileInfo)target;
            if (!IsRegularFile(file))
            {
                throw ctx.Error("the entry is not a regular file (a device, socket or pipe); expected regular files only.", rel);
            }

            ctx.CountFile(rel);
            ctx.CheckDeclaredSize(file.Length, rel);
            var data = await ReadBoundedAsync(file.FullName, ctx, rel, cancellationToken).ConfigureAwait(false);
            ctx.Consume(data.Length, rel);
            files.Add(new BufferedFile(rel, ArchiveReader.StripBom(data)));
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(string path, LoadContext ctx, string rel, CancellationToken cancellationToken)
    {
        try
        {
            await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);

            // Read at most the allowed size plus one byte, so a file that grew since it was measured cannot blow the limit.
            var cap = Math.Min(ctx.Options.MaxFileSize, ctx.Remaining) + 1;
            using var ms = new MemoryStream();
            var buffer = new byte[81920];
            while (true)
            {
                var want = (int)Math.Min(buffer.Length, cap - ms.Length);
                if (want <= 0)
                {
                    break;
                }

                var n = await fs.ReadAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                ms.Write(buffer, 0, n);
            }

            return ms.ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ctx.Error($"the file cannot be read: {ex.Message}", rel, ex);
        }
    }

    private static bool IsRegularFile(FileInfo file)
    {
        // On Unix, .NET reports pipes, sockets and devices without the Normal/Archive/ReadOnly-only shape of a
        // regular file; the reliable check is the Unix file type from the file status.
        try
        {
            var attributes = file.Attributes;
            if ((attributes & (FileAttributes.Device | FileAttributes.Directory)) != 0)
            {
                return false;
            }

            if (OperatingSystem.IsWindows())
            {
                return true;
            }

            return UnixFileType.IsRegular(file.FullName);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool IsInside(string root, string path) =>
        string.Equals(path, root, StringComparison.Ordinal)
        || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string RealPath(string path) => TryRealPath(path) ?? path;

    /// <summary>Resolves every symbolic link in <paramref name="path"/> (like realpath(3)); null when a link is broken or loops.</summary>
    private static string? TryRealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var pending = new Stack<string>(full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = Path.GetPathRoot(full) ?? "/";
        var hops = 0;
        while (pending.Count > 0)
        {
            var seg = pending.Pop();
            if (seg == ".")
            {
                continue;
            }

            if (seg == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Combine(current, seg);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists)
            {
                info = new DirectoryInfo(next);
            }

            var link = info.LinkTarget;
            if (link is null)
            {
                current = next;
                continue;
            }

            if (++hops > 40)
            {
                return null;
            }

            if (Path.IsPathRooted(link))
            {
                current = Path.GetPathRoot(link) ?? "/";
            }

            foreach (var part in link.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(part);
            }
        }

        return current;
    }
}
