using System.Runtime.InteropServices;
using System.Text;

namespace McpGateway.Tools.FileRead;

/// <summary>
/// Tells a regular file from a FIFO or device before it is opened: .NET reports all of them as
/// "Normal", and opening a FIFO without a writer blocks the thread. Uses Linux statx(2), whose
/// buffer layout is the same on every architecture; elsewhere the answer is <see cref="FileType.Unknown"/>.
/// </summary>
internal static class FileTypeProbe
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxBufferSize = 256;
    private const int StatxModeOffset = 28;

    private static bool s_unavailable = !OperatingSystem.IsLinux();

    public static FileType Probe(string path)
    {
        if (s_unavailable)
        {
            return FileType.Unknown;
        }

        var buffer = new byte[StatxBufferSize];
        var name = Encoding.UTF8.GetBytes(path + '\0');
        try
        {
            if (Statx(AtFdCwd, name, AtSymlinkNoFollow, StatxType, buffer) != 0
                || (MemoryMarshal.Read<uint>(buffer) & StatxType) == 0)
            {
                return FileType.Unknown;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return FileType.Unknown;
        }

        var mode = MemoryMarshal.Read<ushort>(buffer.AsSpan(StatxModeOffset));
        return (mode & 0xF000) switch
        {
            0x8000 => FileType.Regular,
            0x4000 => FileType.Directory,
            0xA000 => FileType.SymbolicLink,
            _ => FileType.Special,
        };
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, byte[] path, int flags, uint mask, [Out] byte[] buffer);
}
