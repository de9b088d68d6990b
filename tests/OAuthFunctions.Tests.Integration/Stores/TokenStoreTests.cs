using Azure.Data.Tables;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Tokens;
using OAuthFunctions.Storage;
using OAuthFunctions.Storage.Entities;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Tests.Integration.Stores;

/// <summary>
/// What only the Table store can show (the shared contract runs in <see cref="TableTokenStoreContractTests"/>): commits
/// whose answer was lost, where rows live, and that no column holds a token value.
/// </summary>
public sealed class TokenStoreTests : IAsyncLifetime
{
    private OAuthTestServer _server = null!;

    private ITokenStore Tokens => _server.Tokens;

    public async Task InitializeAsync() => _server = await OAuthTestServer.StartAsync(o => o.StorageRetries = 2);

    public async Task DisposeAsync() => await _server.DisposeAsync();

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
    public async Task A_rotation_whose_answer_was_lost_is_still_a_success()
    {
        var first = NewPair();
        await Tokens.IssueAsync(first, CancellationToken.None);
        var family = (await Tokens.FindFamilyAsync(first.Family!.Value, CancellationToken.None))!;
        var next = NewPair(familyId: first.Refresh!.Handle.FamilyId);

        // The conditional update of the family row lands; its answer does not.
        var updates = 0;
        _server.Faults.LoseAnswer(request => request.Method == Azure.Core.RequestMethod.Patch
            && request.Uri.ToString().Contains("PartitionKey='f", StringComparison.Ordinal)
            && Interlocked.Increment(ref updates) == 1);
        var result = await Tokens.RotateAsync(family, next, CancellationToken.None);
        _server.Faults.Clear();

        Assert.Equal(CommitResult.Committed, result);
        Assert.True((await Tokens.FindFamilyAsync(first.Family.Value, CancellationToken.None))!.IsCurrent(next.Refresh!.Handle));
        Assert.NotNull(await Tokens.FindAccessTokenAsync(next.Access.Handle, CancellationToken.None));
    }

    [Fact]
    public async Task A_family_is_one_row_in_its_own_partition_outside_every_purge_range()
    {
        var pair = NewPair();
        await Tokens.IssueAsync(pair, CancellationToken.None);

        var partition = TableKeys.FamilyPartition(pair.Family!.Value);
        var rows = new List<TableEntity>();
        await foreach (var row in _server.Tables.Tokens.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}")))
        {
            rows.Add(row);
        }

        Assert.Single(rows);
        Assert.All(Enumerable.Range(0, TokenHandle.MaxShards), shard => Assert.True(string.CompareOrdinal(partition, TableKeys.TokenPartition(shard, TokenHandle.NeverBucket)) > 0));
    }

    [Fact]
    public async Task No_stored_column_holds_a_token_value()
    {
        var code = await NewCodeAsync();
        var pair = NewPair();
        await Tokens.IssueAsync(pair, CancellationToken.None);
        // The secret part of each value, and the family id, which is as secret as the refresh token it is part of.
        var secrets = new[] { code.Value[9..], pair.Access.Handle.Value[9..], pair.Refresh!.Handle.Value[30..], pair.Refresh.Handle.FamilyId! };

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

    private static NewTokenPair NewPair(TimeSpan? refreshLifetime = null, string? familyId = null)
    {
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset? refreshExpires = refreshLifetime is { } lifetime ? now + lifetime : null;
        return new NewTokenPair(
            new NewToken(TokenHandle.Issue(TokenKind.AccessToken, now.AddHours(1)), new TokenGrant("c", "u", "user", 2, now, now.AddHours(1))),
            new NewToken(TokenHandle.IssueRefresh(familyId ?? FamilyKey.NewId()), new TokenGrant("c", "u", "user", 2, now, refreshExpires)));
    }
}
