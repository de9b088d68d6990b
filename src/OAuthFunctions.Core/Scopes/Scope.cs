namespace OAuthFunctions.Core.Scopes;

/// <summary>
/// django-oauth2-provider's module-level API of <c>provider.scope</c> over the default scopes (read = 2, write = 4).
/// A server with other scopes uses its <see cref="ScopeRegistry"/>, built from the <c>Scopes</c> setting.
/// </summary>
public static class Scope
{
    /// <summary>Bit of <c>read</c> (<c>provider.constants.READ</c>).</summary>
    public const int Read = 1 << 1;

    /// <summary>Bit of <c>write</c> (<c>provider.constants.WRITE</c>).</summary>
    public const int Write = 1 << 2;

    /// <summary><c>provider.constants.READ_WRITE</c>.</summary>
    public const int ReadWrite = Read | Write;

    public static int ToInt(params string[] names) => ScopeRegistry.Default.ToInt(names);

    public static int ToInt(int @default, params string[] names) => ScopeRegistry.Default.ToInt(@default, names);

    public static bool Check(int wants, int has) => ScopeRegistry.Check(wants, has);

    /// <summary>Alias of <see cref="ToNames"/>, as django-oauth2-provider kept both.</summary>
    public static IReadOnlyList<string> Names(int scope) => ScopeRegistry.Default.ToNames(scope);

    public static IReadOnlyList<string> ToNames(int scope) => ScopeRegistry.Default.ToNames(scope);
}
