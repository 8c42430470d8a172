using System.Security.Cryptography;

namespace LlmLog.Export;

/// <summary>SHA-256 of a file, read in a stream (exports can be gigabytes).</summary>
public static class FileHash
{
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
