using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Platform.Charts.Loading.Internal;

/// <summary>
/// Reads the Unix file type of a path without opening it (opening a FIFO would block). Uses the .NET runtime's own
/// native shim (<c>libSystem.Native</c>), whose status structure is the same on every architecture.
/// </summary>
internal static class UnixFileType
{
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    /// <summary>Tells whether the path (links followed) is a regular file. Answers true when the type cannot be read.</summary>
    public static bool IsRegular(string path)
    {
        try
        {
            // FileStatus: int Flags; int Mode; ... (well under 256 bytes).
            var buffer = new byte[256];
            if (Stat(path, buffer) != 0)
            {
                return true;
            }

            var mode = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(4, 4));
            if (!BitConverter.IsLittleEndian)
            {
                mode = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(4, 4));
            }

            return (mode & TypeMask) == Regular;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs AllowUnsafeBlocks, which the package does not enable.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Stat(string path, [Out] byte[] output);
#pragma warning restore SYSLIB1054
}
