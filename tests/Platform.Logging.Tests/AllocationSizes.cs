namespace Platform.Logging.Tests;

/// <summary>Object sizes for allocation ceilings: what a record and its message cost on this runtime.</summary>
internal static class AllocationSizes
{
    /// <summary>Gets the bytes of a string of <paramref name="length"/> chars: header, method table, length, chars, terminator, rounded to 8.</summary>
    public static long String(int length) => (22 + (2L * length) + 7) & ~7L;

    /// <summary>Measures the bytes of one <see cref="LogRecord"/> object (without its message).</summary>
    public static long Record()
    {
        var keep = new LogRecord[1000];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < keep.Length; i++)
        {
            keep[i] = new LogRecord { Message = string.Empty };
        }

        long size = (GC.GetAllocatedBytesForCurrentThread() - before) / keep.Length;
        GC.KeepAlive(keep);
        return size;
    }
}
