namespace SkGroq.Tests.TestData;

/// <summary>The repository the tests were built from: its real files (<c>.env.example</c>, build outputs) as test data.</summary>
internal static class Repository
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>Gets the repository's top folder (the one holding <c>SkGroq.sln</c>).</summary>
    public static string Root => s_root.Value;

    /// <summary>Gets the full path of a file given relative to the repository's top folder.</summary>
    /// <param name="parts">The path's parts, e.g. <c>.env.example</c>.</param>
    /// <returns>The full path.</returns>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "SkGroq.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("SkGroq.sln not found above the test output directory.");
    }
}
