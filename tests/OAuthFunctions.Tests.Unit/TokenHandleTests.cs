using System.Security.Cryptography;
using System.Text;
using OAuthFunctions.Core.Tokens;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// Opaque credentials: codes and access tokens <c>{kind}{shard}{expiry-hour:D7}{secret}</c> (52 URL-safe characters),
/// refresh tokens <c>f{family id}{secret}</c> (66), and the pre-family refresh format still accepted.
/// </summary>
public sealed class TokenHandleTests
{
    private static readonly DateTimeOffset TenThirty = new(2025, 3, 1, 10, 30, 0, TimeSpan.Zero);

    public static TheoryData<TokenKind> Kinds => [TokenKind.AuthorizationCode, TokenKind.AccessToken];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Issued_value_parses_back_to_the_same_handle(TokenKind kind)
    {
        var issued = TokenHandle.Issue(kind, TenThirty);

        Assert.True(TokenHandle.TryParse(issued.Value, kind, out var parsed));
        Assert.Equal(issued.Value, parsed!.Value);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(issued.Shard, parsed.Shard);
        Assert.Equal(issued.Bucket, parsed.Bucket);
        Assert.Equal(issued.Hash, parsed.Hash);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Issued_value_is_52_characters(TokenKind kind) => Assert.Equal(52, TokenHandle.Issue(kind, TenThirty).Value.Length);

    [Fact]
    public void Issued_value_is_url_safe()
    {
        var value = TokenHandle.Issue(TokenKind.AccessToken, TenThirty).Value;

        Assert.All(value, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
        Assert.Equal(value, Uri.EscapeDataString(value));
    }

    [Fact]
    public void Secret_part_is_43_characters_carrying_256_random_bits()
    {
        var secret = TokenHandle.Issue(TokenKind.AccessToken, TenThirty).Value[9..];

        Assert.Equal(43, secret.Length);
        Assert.Equal(32, Convert.FromBase64String(secret.Replace('-', '+').Replace('_', '/') + "=").Length);
    }

    [Theory]
    [InlineData(TokenKind.AuthorizationCode, TokenKind.AccessToken)]
    [InlineData(TokenKind.AccessToken, TokenKind.RefreshToken)]
    [InlineData(TokenKind.RefreshToken, TokenKind.AccessToken)]
    [InlineData(TokenKind.RefreshToken, TokenKind.AuthorizationCode)]
    public void TryParse_refuses_a_value_of_another_kind(TokenKind issued, TokenKind expected)
    {
        var value = issued == TokenKind.RefreshToken ? TokenHandle.IssueRefresh(FamilyKey.NewId()).Value : TokenHandle.Issue(issued, TenThirty).Value;

        Assert.False(TokenHandle.TryParse(value, expected, out var handle));
        Assert.Null(handle);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("a0048000")]
    // 51 and 53 characters.
    [InlineData("a00484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("a00484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    // Unknown kind, a shard character outside 0-9, a-z, A-Z (docs/ARCHITECTURE.md, "Keys"), non-digit bucket.
    [InlineData("x00484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("a-0484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("a/0484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("a_0484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("a004840-0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("a0 484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    // Secret part not base64url.
    [InlineData("a00484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("a00484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("a00484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.")]
    public void TryParse_refuses_malformed_values(string? value)
    {
        Assert.False(TokenHandle.TryParse(value, out var handle));
        Assert.Null(handle);
    }

    [Fact]
    public void The_well_formed_template_of_the_malformed_cases_parses()
    {
        // Guards the theory above: each malformed case differs from this one in one place only.
        Assert.True(TokenHandle.TryParse("a00484020AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TokenKind.AccessToken, out var handle));
        Assert.Equal(484_020, handle!.Bucket);
        Assert.Equal(0, handle.Shard);
    }

    [Fact]
    public void Two_issues_are_never_equal()
    {
        var values = Enumerable.Range(0, 1000).Select(_ => TokenHandle.Issue(TokenKind.AccessToken, TenThirty).Value).ToList();

        Assert.Equal(values.Count, values.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Bucket_is_the_expiry_hour_since_the_unix_epoch()
    {
        var expectedHour = (int)((TenThirty - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerHour);

        var handle = TokenHandle.Issue(TokenKind.AuthorizationCode, TenThirty);

        Assert.Equal(expectedHour, handle.Bucket);
        Assert.Equal(expectedHour.ToString("D7", System.Globalization.CultureInfo.InvariantCulture), handle.Value[2..9]);
    }

    [Fact]
    public void A_refresh_token_carries_no_expiry_of_its_own()
    {
        var handle = TokenHandle.IssueRefresh(FamilyKey.NewId());

        Assert.Equal(TokenHandle.NeverBucket, handle.Bucket);
        Assert.False(handle.ExpiredBefore(new DateTimeOffset(3000, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void ExpiredBefore_is_false_within_the_expiry_hour_even_after_the_expiry_instant()
    {
        var handle = TokenHandle.Issue(TokenKind.AccessToken, TenThirty);

        Assert.False(handle.ExpiredBefore(TenThirty.AddMinutes(29)));
    }

    [Fact]
    public void ExpiredBefore_is_false_before_expiry() =>
        Assert.False(TokenHandle.Issue(TokenKind.AccessToken, TenThirty).ExpiredBefore(TenThirty.AddHours(-5)));

    [Fact]
    public void ExpiredBefore_is_true_once_the_whole_expiry_hour_is_past()
    {
        var handle = TokenHandle.Issue(TokenKind.AccessToken, TenThirty);

        Assert.True(handle.ExpiredBefore(new DateTimeOffset(2025, 3, 1, 11, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Hash_is_sha256_base64url_of_the_value()
    {
        var handle = TokenHandle.Issue(TokenKind.AccessToken, TenThirty);
        var expected = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(handle.Value)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(expected, handle.Hash);
        Assert.Equal(expected, TokenHandle.HashOf(handle.Value));
    }

    [Fact]
    public void Hash_differs_from_the_value_and_does_not_contain_its_secret()
    {
        var handle = TokenHandle.Issue(TokenKind.AccessToken, TenThirty);

        Assert.NotEqual(handle.Value, handle.Hash);
        Assert.DoesNotContain(handle.Value[9..], handle.Hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Ref_carries_the_hash_not_the_value()
    {
        var handle = TokenHandle.Issue(TokenKind.AccessToken, TenThirty);

        Assert.Equal(new TokenRef(TokenKind.AccessToken, handle.Shard, handle.Bucket, handle.Hash), handle.Ref);
    }

    [Theory]
    [InlineData(0, '0')]
    [InlineData(3, '3')]
    [InlineData(9, '9')]
    [InlineData(10, 'a')]
    [InlineData(35, 'z')]
    [InlineData(36, 'A')]
    [InlineData(61, 'Z')]
    public void Explicit_shard_is_honoured_and_written_as_one_character(int shard, char written)
    {
        var handle = TokenHandle.Issue(TokenKind.AccessToken, TenThirty, shard);

        Assert.Equal(shard, handle.Shard);
        Assert.Equal(written, handle.Value[1]);
        Assert.True(TokenHandle.TryParse(handle.Value, out var parsed));
        Assert.Equal(shard, parsed!.Shard);
        Assert.Equal(handle.Ref, parsed.Ref);
    }

    /// <summary>Tokens issued when the shard count was a constant 4 read exactly as before.</summary>
    [Theory]
    [InlineData('0', 0)]
    [InlineData('1', 1)]
    [InlineData('2', 2)]
    [InlineData('3', 3)]
    public void Tokens_from_before_the_setting_keep_their_shard(char written, int shard)
    {
        var old = $"a{written}0493285{new string('K', 43)}";

        Assert.True(TokenHandle.TryParse(old, TokenKind.AccessToken, out var handle));
        Assert.Equal(shard, handle!.Shard);
        Assert.Equal(493285, handle.Bucket);
    }

    [Theory]
    [InlineData('-')]
    [InlineData('_')]
    [InlineData('~')]
    public void A_shard_character_outside_the_62_is_malformed(char written) =>
        Assert.False(TokenHandle.TryParse($"a{written}0493285{new string('K', 43)}", out _));

    [Theory]
    [InlineData(-1)]
    [InlineData(TokenHandle.MaxShards)]
    public void Out_of_range_shard_throws(int shard) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenHandle.Issue(TokenKind.AccessToken, TenThirty, shard));

    [Theory]
    [InlineData(0)]
    [InlineData(TokenHandle.MaxShards + 1)]
    public void Out_of_range_shard_count_throws(int shards) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenHandle.Issue(TokenKind.AccessToken, TenThirty, shards: shards));

    [Theory]
    [InlineData(1)]
    [InlineData(TokenHandle.DefaultShards)]
    [InlineData(TokenHandle.MaxShards)]
    public void Random_shards_stay_within_the_count(int shards)
    {
        var chosen = Enumerable.Range(0, 500).Select(_ => TokenHandle.Issue(TokenKind.AccessToken, TenThirty, shards: shards).Shard).ToHashSet();

        Assert.All(chosen, s => Assert.InRange(s, 0, shards - 1));
        Assert.True(shards == 1 || chosen.Count > 1, $"500 issues all landed on one of {shards} shards");
    }

    [Fact]
    public void A_stored_link_round_trips_every_shard()
    {
        foreach (var shard in Enumerable.Range(0, TokenHandle.MaxShards))
        {
            var link = new TokenRef(TokenKind.AccessToken, shard, 493285, "hash");

            Assert.True(TokenRef.TryParse(link.ToString(), out var parsed));
            Assert.Equal(link, parsed);
        }
    }

    [Fact]
    public void ToString_does_not_contain_the_secret()
    {
        var handle = TokenHandle.Issue(TokenKind.AccessToken, TenThirty);

        Assert.DoesNotContain(handle.Value[9..], handle.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(handle.Value, handle.ToString());
    }

    [Fact]
    public void A_refresh_token_names_its_family_and_parses_back()
    {
        var familyId = FamilyKey.NewId();
        var issued = TokenHandle.IssueRefresh(familyId);

        Assert.Equal(66, issued.Value.Length);
        Assert.StartsWith("f", issued.Value, StringComparison.Ordinal);
        Assert.True(TokenHandle.TryParse(issued.Value, TokenKind.RefreshToken, out var parsed));
        Assert.Equal(familyId, parsed!.FamilyId);
        Assert.Equal(FamilyKey.Of(familyId), parsed.Family);
        Assert.Equal(TokenHandle.NeverBucket, parsed.Bucket);
        Assert.Equal(issued.Hash, parsed.Hash);
    }

    [Fact]
    public void Refresh_tokens_of_one_family_share_its_key_and_nothing_else()
    {
        var familyId = FamilyKey.NewId();
        var first = TokenHandle.IssueRefresh(familyId);
        var second = TokenHandle.IssueRefresh(familyId);

        Assert.Equal(first.Family, second.Family);
        Assert.NotEqual(first.Value, second.Value);
        Assert.NotEqual(first.Hash, second.Hash);
    }

    [Fact]
    public void The_family_key_is_a_hash_of_the_family_id_not_the_id()
    {
        var familyId = FamilyKey.NewId();

        Assert.Equal(TokenHandle.HashOf(familyId), FamilyKey.Of(familyId).Hash);
        Assert.DoesNotContain(familyId, FamilyKey.Of(familyId).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_refresh_token_has_no_row_of_its_own() =>
        Assert.Throws<InvalidOperationException>(() => TokenHandle.IssueRefresh(FamilyKey.NewId()).Ref);

    [Fact]
    public void Refresh_tokens_are_not_minted_in_the_pre_family_format() =>
        Assert.Throws<ArgumentException>(() => TokenHandle.Issue(TokenKind.RefreshToken, TenThirty));

    [Fact]
    public void A_pre_family_refresh_token_still_parses_with_its_row()
    {
        var legacy = LegacyTokens.NewRefresh(TenThirty, shard: 2);

        Assert.True(TokenHandle.TryParse(legacy.Value, TokenKind.RefreshToken, out var parsed));
        Assert.Null(parsed!.Family);
        Assert.Equal(new TokenRef(TokenKind.RefreshToken, 2, TokenHandle.BucketOf(TenThirty), parsed.Hash), parsed.Ref);
    }

    [Theory]
    // 65 and 67 characters; a family id or secret that is not base64url; another prefix.
    [InlineData("fAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fAAAAAAAAA+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("fAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=A")]
    [InlineData("gAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryParse_refuses_malformed_refresh_tokens(string value) =>
        Assert.False(TokenHandle.TryParse(value, out _));

    [Fact]
    public void The_well_formed_template_of_the_malformed_refresh_tokens_parses() =>
        Assert.True(TokenHandle.TryParse("fAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", TokenKind.RefreshToken, out _));

    [Fact]
    public void A_token_ref_round_trips_through_its_stored_form()
    {
        var handle = TokenHandle.Issue(TokenKind.AccessToken, TenThirty, shard: 3);

        Assert.True(TokenRef.TryParse(handle.Ref.ToString(), out var parsed));
        Assert.Equal(handle.Ref, parsed);
        Assert.False(FamilyKey.TryParse(handle.Ref.ToString(), out _));
    }

    [Fact]
    public void A_family_key_round_trips_through_its_stored_form()
    {
        var key = FamilyKey.Of(FamilyKey.NewId());

        Assert.True(FamilyKey.TryParse(key.ToString(), out var parsed));
        Assert.Equal(key, parsed);
        Assert.False(TokenRef.TryParse(key.ToString(), out _));
    }
}
