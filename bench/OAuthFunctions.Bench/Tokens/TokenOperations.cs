namespace OAuthFunctions.Bench.Tokens;

/// <summary>The endpoint operations measured, each request single-use (a code or token is presented once).</summary>
internal static class TokenOperations
{
    public static IReadOnlyList<TokenOperation> All { get; } =
    [
        new("client_credentials", "≤ 2 (≤ 1 cached)", 2, (f, n) => Task.FromResult(Repeat(n, () =>
            FormPost.TokenAsync(f.Http, f.Client, ("grant_type", "client_credentials"))))),

        new("authorization_code", "≤ 5", 5, async (f, n) =>
        {
            var codes = await f.CodesAsync(n);
            return Each(codes, code => FormPost.TokenAsync(f.Http, f.Client, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", f.Client.RedirectUri)));
        }),

        new("refresh_token", "≤ 6", 6, async (f, n) =>
        {
            var pairs = await f.PairsAsync(n, withRefresh: true);
            return Each(pairs, pair => FormPost.TokenAsync(f.Http, f.Client, ("grant_type", "refresh_token"), ("refresh_token", pair.Refresh!.Handle.Value)));
        }),

        new("introspect (access token)", "≤ 2", 2, async (f, n) =>
        {
            var pairs = await f.PairsAsync(n, withRefresh: false);
            return Each(pairs, pair => FormPost.BasicAsync(f.Http, "/oauth2/introspect", f.Client, "\"active\":true", ("token", pair.Access.Handle.Value)));
        }),

        new("revoke (refresh token)", "≤ 4", 4, async (f, n) =>
        {
            var pairs = await f.PairsAsync(n, withRefresh: true);
            return Each(pairs, pair => FormPost.BasicAsync(f.Http, "/oauth2/revoke", f.Client, expect: null, ("token", pair.Refresh!.Handle.Value)));
        }),

        new("revoke (access token)", "≤ 4", 3, async (f, n) =>
        {
            var pairs = await f.PairsAsync(n, withRefresh: false);
            return Each(pairs, pair => FormPost.BasicAsync(f.Http, "/oauth2/revoke", f.Client, expect: null, ("token", pair.Access.Handle.Value)));
        }),
    ];

    private static IReadOnlyList<Func<Task<bool>>> Repeat(int count, Func<Task<bool>> operation) =>
        [.. Enumerable.Repeat(operation, count)];

    private static IReadOnlyList<Func<Task<bool>>> Each<T>(IEnumerable<T> items, Func<T, Task<bool>> operation) =>
        [.. items.Select(item => (Func<Task<bool>>)(() => operation(item)))];
}
