using System.Runtime.InteropServices;

namespace LlmLog;

/// <summary>What kind of thing a path names, beyond the file, folder and link that .NET tells apart.</summary>
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
        // .NET reports no file type beyond file, folder and link, so this asks stat(2) on Linux, where the
        // kernel fixes st_mode's place in struct stat per architecture; elsewhere every path counts as a file.
        int modeOffset;
        if (!OperatingSystem.IsLinux()) return false;
        else if (RuntimeInformation.ProcessArchitecture == Architecture.X64) modeOffset = 24;
        else if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64) modeOffset = 16;
        else return false;

        var stat = new byte[256];
        try
        {
            if (Stat(path, stat) != 0) return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false; // a C library older than glibc 2.33 exports no plain stat
        }
        var type = BitConverter.ToUInt32(stat, modeOffset) & 0xF000;
        return type is 0x1000 /* FIFO */ or 0x2000 /* character device */ or 0x6000 /* block device */ or 0xC000 /* socket */;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] buffer);
}
