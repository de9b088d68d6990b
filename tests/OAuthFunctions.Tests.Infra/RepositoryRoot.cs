namespace OAuthFunctions.Tests.Infra;

/// <summary>Finds the repository root: the nearest directory above the test binaries that holds OAuthFunctions.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "OAuthFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No OAuthFunctions.sln found in {AppContext.BaseDirectory} or any directory above it.");
    }
}
