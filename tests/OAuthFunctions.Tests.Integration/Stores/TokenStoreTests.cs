using Azure.Data.Tables;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Stores;

/// <summary>
/// The token store on Azurite: single use decided by storage (ETag-conditional commits), family revocation, and
/// a retried commit whose first answer was lost.
/// </summary>
public sealed class TokenStoreTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    private ITokenStore Tokens => _server.Tokens;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.StorageRetries = 2);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Of_twenty_concurrent_redemptions_exactly_one_commits()
    {
        for (var round = 0; round < 5; round++)
        {
            var code = await NewCodeAsync();
            var stored = (await Tokens.FindCodeAsync(code, CancellationToken.None))!;
            var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Tokens.RedeemCodeAsync(stored, NewPair(), CancellationToken.None)));
            Assert.Equal(1, results.Count(r => r == CommitResult.Committed));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(30)]
    public async Task Of_twenty_concurrent_rotations_exactly_one_commits(int? refreshLifetimeDays)
    {
        TimeSpan? lifetime = refreshLifetimeDays is { } days ? TimeSpan.FromDays(days) : null;
        for (var round = 0; round < 5; round++)
        {
            var first = NewPair(lifetime);
            await Tokens.IssueAsync(first, CancellationToken.None);
            var stored = (await Tokens.FindRefreshTokenAsync(first.Refresh!.Handle, CancellationToken.None))!;
            var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
                Tokens.RotateRefreshTokenAsync(stored, NewPair(lifetime, first.Refresh.Handle.Shard), CancellationToken.None)));
            Assert.Equal(1, results.Count(r => r == CommitResult.Committed));
            var rotated = (await Tokens.FindRefreshTokenAsync(first.Refresh.Handle, CancellationToken.None))!;
            Assert.True(rotated.Rotated);
        }
    }

    [Fact]
    public async Task A_commit_whose_answer_was_lost_is_still_a_success()
    {
        var code = await NewCodeAsync();
        var stored = (await Tokens.FindCodeAsync(code, CancellationToken.None))!;
        var pair = NewPair();

        // The update reaches storage, its answer does not (a 503 instead): the store must find out that it committed.
        var updates = 0;
        _server.Faults.LoseAnswer(request => request.Method == Azure.Core.RequestMethod.Patch
            && request.Uri.ToString().Contains("RowKey='c", StringComparison.Ordinal)
            && Interlocked.Increment(ref updates) == 1);
        var result = await Tokens.RedeemCodeAsync(stored, pair, CancellationToken.None);
        _server.Faults.Clear();

        Assert.Equal(CommitResult.Committed, result);
        Assert.NotNull(await Tokens.FindAccessTokenAsync(pair.Access.Handle, CancellationToken.None));
        Assert.True((await Tokens.FindCodeAsync(code, CancellationToken.None))!.Used);
    }

    [Fact]
    public async Task Family_revocation_follows_successors_to_the_live_token()
    {
        var first = NewPair();
        await Tokens.IssueAsync(first, CancellationToken.None);
        var current = first;
        for (var i = 0; i < 3; i++)
        {
            var stored = (await Tokens.FindRefreshTokenAsync(current.Refresh!.Handle, CancellationToken.None))!;
            var next = NewPair(shard: current.Refresh.Handle.Shard);
            Assert.Equal(CommitResult.Committed, await Tokens.RotateRefreshTokenAsync(stored, next, CancellationToken.None));
            current = next;
        }

        var replayed = (await Tokens.FindRefreshTokenAsync(first.Refresh!.Handle, CancellationToken.None))!;
        var revoked = await Tokens.RevokeRefreshFamilyAsync(replayed, CancellationToken.None);

        Assert.Equal(4, revoked);
        Assert.Null(await Tokens.FindRefreshTokenAsync(current.Refresh!.Handle, CancellationToken.None));
        Assert.Null(await Tokens.FindAccessTokenAsync(current.Access.Handle, CancellationToken.None));
    }

    [Fact]
    public async Task No_stored_column_holds_a_token_value()
    {
        var code = await NewCodeAsync();
        var pair = NewPair();
        await Tokens.IssueAsync(pair, CancellationToken.None);
        var secrets = new[] { code.Value, pair.Access.Handle.Value, pair.Refresh!.Handle.Value }.Select(v => v[9..]).ToList();

        await foreach (var row in _server.Tables.Tokens.QueryAsync<TableEntity>())
        {
            foreach (var value in ((IDictionary<string, object>)row).Values.OfType<string>().Append(row.RowKey).Append(row.PartitionKey))
            {
                Assert.DoesNotContain(secrets, secret => value.Contains(secret, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task Client_secrets_and_passwords_are_stored_hashed()
    {
        var client = await _server.AddClientAsync();
        var user = await _server.AddUserAsync("hashed-" + Guid.NewGuid().ToString("N")[..8], "correct horse battery");
        var clientRow = (await _server.Tables.Clients.GetEntityAsync<ClientEntity>(client.ClientId, TableKeys.SingletonRow)).Value;
        var userRow = (await _server.Tables.Users.GetEntityAsync<UserEntity>(user.Username, TableKeys.SingletonRow)).Value;
        Assert.Equal(TokenHandle.HashOf(client.Secret!), clientRow.SecretHash);
        Assert.DoesNotContain("correct horse battery", userRow.PasswordHash, StringComparison.Ordinal);

        // ASP.NET Core Identity v3 format: 0x01 marker, PBKDF2.
        Assert.Equal(0x01, Convert.FromBase64String(userRow.PasswordHash)[0]);
    }

    private async Task<TokenHandle> NewCodeAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var code = new NewCode(TokenHandle.Issue(TokenKind.AuthorizationCode, now.AddMinutes(10)), new TokenGrant("c", "u", "user", 2, now, now.AddMinutes(10)), "https://c.example/cb", true, null);
        await Tokens.SaveCodeAsync(code, CancellationToken.None);
        return code.Handle;
    }

    private static NewTokenPair NewPair(TimeSpan? refreshLifetime = null, int? shard = null)
    {
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset? refreshExpires = refreshLifetime is { } lifetime ? now + lifetime : null;
        return new NewTokenPair(
            new NewToken(TokenHandle.Issue(TokenKind.AccessToken, now.AddHours(1)), new TokenGrant("c", "u", "user", 2, now, now.AddHours(1))),
            new NewToken(TokenHandle.Issue(TokenKind.RefreshToken, refreshExpires, shard), new TokenGrant("c", "u", "user", 2, now, refreshExpires)));
    }
}
