using System.Runtime.InteropServices;

namespace LlmLog;

/// <summary>What kind of thing a path names, beyond the file, folder and link that .NET tells apart, and who owns it.</summary>
public static partial class FileKind
{
    /// <summary>
    /// True when <paramref name="path"/> (after links) is a FIFO, a character or block device or a socket. As an output
    /// it must be written into, never replaced by writing beside it and renaming (as root, <c>--out /dev/null</c> would
    /// otherwise turn /dev/null into a regular file); inside a folder of inputs it is not a log file. False for anything
    /// else, and where it cannot be told.
    /// </summary>
    public static bool IsPipeOrDevice(string path)
    {
        if (StatOf(path) is not { } stat) return false;
        var type = BitConverter.ToUInt32(stat.Buffer, stat.ModeOffset) & 0xF000;
        return type is 0x1000 /* FIFO */ or 0x2000 /* character device */ or 0x6000 /* block device */ or 0xC000 /* socket */;
    }

    /// <summary>
    /// The user and group ids that own <paramref name="path"/> (after links), which .NET does not report; null where
    /// they cannot be told (not Linux, no such file).
    /// </summary>
    public static (uint User, uint Group)? OwnerOf(string path)
    {
        if (StatOf(path) is not { } stat) return null;
        // st_uid and st_gid follow st_mode on x64; on arm64 st_nlink comes between them.
        var uid = stat.ModeOffset + (RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8);
        return (BitConverter.ToUInt32(stat.Buffer, uid), BitConverter.ToUInt32(stat.Buffer, uid + 4));
    }

    // .NET reports no file type or owner, so these ask stat(2) on Linux, where the kernel fixes the place of st_mode (and
    // the fields after it) in struct stat per architecture; elsewhere, or when the path cannot be stat'ed, null.
    private static (byte[] Buffer, int ModeOffset)? StatOf(string path)
    {
        int modeOffset;
        if (!OperatingSystem.IsLinux()) return null;
        else if (RuntimeInformation.ProcessArchitecture == Architecture.X64) modeOffset = 24;
        else if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64) modeOffset = 16;
        else return null;

        var stat = new byte[256];
        try
        {
            if (Stat(path, stat) != 0) return null;
        }
        catch (EntryPointNotFoundException)
        {
            return null; // a C library older than glibc 2.33 exports no plain stat
        }
        return (stat, modeOffset);
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] buffer);
}
