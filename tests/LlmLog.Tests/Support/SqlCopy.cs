using LlmLog.Warehouse;

namespace LlmLog.Tests.Support;

/// <summary>llmlog's own sql/ folder, copied for a test that adds a statement to it or breaks one.</summary>
public static class SqlCopy
{
    /// <summary>Copies every <c>.sql</c> file under <see cref="SqlCatalog.DefaultRoot"/> to <paramref name="root"/>, keeping the folders; returns <paramref name="root"/>.</summary>
    public static string To(string root)
    {
        foreach (var file in Directory.EnumerateFiles(SqlCatalog.DefaultRoot, "*.sql", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(root, Path.GetRelativePath(SqlCatalog.DefaultRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return root;
    }
}
