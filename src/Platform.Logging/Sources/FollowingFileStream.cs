namespace Platform.Logging.Sources;

/// <summary>
/// A read-only stream over a growing file that never ends by itself (<c>tail -F</c>): at the end of the data it polls;
/// when the path is renamed away (rotation) it drains the old file and continues with the new one from its start; when
/// the file shrinks (truncation) it starts again at 0. Ends only by cancellation.
/// </summary>
/// <remarks>Rotation is recognised on Linux through <c>/proc/self/fd</c> (the open handle no longer names the path); elsewhere by the path's file being shorter than the read position.</remarks>
internal sealed class FollowingFileStream : Stream
{
    private readonly string _path;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _pollInterval;
    private FileStream? _file;

    public FollowingFileStream(string path, FileStream? file, TimeProvider timeProvider, TimeSpan pollInterval)
    {
        _path = path;
        _file = file;
        _timeProvider = timeProvider;
        _pollInterval = pollInterval;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _file?.Position ?? 0; set => throw new NotSupportedException(); }

    public static FileStream Open(string path) =>
        new(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            BufferSize = 0,
        });

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_file is null && File.Exists(_path))
            {
                _file = TryOpen();
            }

            if (_file is not null)
            {
                int read = await _file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read > 0)
                {
                    return read;
                }

                if (Rotated())
                {
                    // Drained: the old file is at its end. Continue with the file now at the path.
                    await _file.DisposeAsync().ConfigureAwait(false);
                    _file = File.Exists(_path) ? TryOpen() : null;
                    continue;
                }

                if (_file.Length < _file.Position)
                {
                    _file.Position = 0;
                    continue;
                }
            }

            await Task.Delay(_pollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
            _file = null;
        }

        base.Dispose(disposing);
    }

    private FileStream? TryOpen()
    {
        try
        {
            return Open(_path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private bool Rotated()
    {
        if (_file is null)
        {
            return false;
        }

        if (OperatingSystem.IsLinux())
        {
            try
            {
                string link = "/proc/self/fd/" + _file.SafeFileHandle.DangerousGetHandle().ToInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                FileSystemInfo? target = File.ResolveLinkTarget(link, returnFinalTarget: false);
                if (target is not null)
                {
                    return !string.Equals(target.FullName, _path, StringComparison.Ordinal) && File.Exists(_path);
                }
            }
            catch (IOException)
            {
                // Fall back to the length check below.
            }
            catch (UnauthorizedAccessException)
            {
                // Fall back to the length check below.
            }
        }

        try
        {
            return File.Exists(_path) && new FileInfo(_path).Length < _file.Position;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
