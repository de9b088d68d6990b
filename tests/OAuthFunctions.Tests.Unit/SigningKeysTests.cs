using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Core.Signing;

namespace OAuthFunctions.Tests.Unit;

/// <summary>The signing key schedule (docs/BEHAVIOUR.md §11) and the JWS reader's refusals (RFC 8725 §3.1).</summary>
public sealed class SigningKeysTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemorySigningKeyStore _store = new();
    private readonly EphemeralDataProtectionProvider _protection = new();

    [Fact]
    public async Task The_first_key_signs_at_once_and_the_next_is_published_a_day_before_it_signs()
    {
        using var keys = Keys();
        var first = (await keys.LoadAsync(CancellationToken.None)).SigningAt(_time.GetUtcNow())!;

        _time.Advance(TimeSpan.FromDays(29) - TimeSpan.FromMinutes(1));
        Assert.Single((await keys.LoadAsync(CancellationToken.None)).All);

        _time.Advance(TimeSpan.FromMinutes(2));
        var set = await keys.LoadAsync(CancellationToken.None);
        Assert.Equal(2, set.PublishedAt(_time.GetUtcNow()).Count);
        Assert.Equal(first.Kid, set.SigningAt(_time.GetUtcNow())!.Kid);
        var next = set.All[1];
        Assert.True(next.ActivatesAt - _time.GetUtcNow() >= TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_retired_key_stays_published_until_what_it_signed_has_expired()
    {
        using var keys = Keys();
        var old = (await keys.LoadAsync(CancellationToken.None)).All[0];
        await keys.RotateAsync(immediately: true, CancellationToken.None);

        // ID tokens live an hour; plus five minutes of clock skew.
        _time.Advance(TimeSpan.FromMinutes(64));
        Assert.NotNull((await keys.LoadAsync(CancellationToken.None)).Find(old.Kid, _time.GetUtcNow()));
        _time.Advance(TimeSpan.FromMinutes(2));
        var set = await keys.LoadAsync(CancellationToken.None);
        Assert.Null(set.Find(old.Kid, _time.GetUtcNow()));
        Assert.Single(set.All);
    }

    [Fact]
    public async Task Two_instances_due_for_rotation_at_once_add_one_key()
    {
        using var a = Keys();
        using var b = Keys();
        await a.LoadAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(29) + TimeSpan.FromHours(1));

        var sets = await Task.WhenAll(a.LoadAsync(CancellationToken.None), b.LoadAsync(CancellationToken.None));

        Assert.Equal(2, _store.Writes);
        Assert.Equal(sets[0].All.Select(k => k.Kid), sets[1].All.Select(k => k.Kid));
    }

    [Fact]
    public async Task Changing_the_algorithm_publishes_a_key_of_the_new_one_before_it_signs()
    {
        using var rs = Keys();
        await rs.LoadAsync(CancellationToken.None);
        using var es = Keys(new OAuthOptions { SigningAlgorithm = SigningAlgorithms.ES256 });
        var set = await es.LoadAsync(CancellationToken.None);

        Assert.Equal([SigningAlgorithms.RS256, SigningAlgorithms.ES256], set.All.Select(k => k.Algorithm));
        Assert.Equal(SigningAlgorithms.RS256, set.SigningAt(_time.GetUtcNow())!.Algorithm);
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(SigningAlgorithms.ES256, set.SigningAt(_time.GetUtcNow())!.Algorithm);
    }

    [Fact]
    public async Task The_stored_ring_holds_no_private_key_in_plaintext()
    {
        using var keys = Keys();
        var key = (await keys.LoadAsync(CancellationToken.None)).All[0];
        var stored = Assert.Single((await _store.ReadAsync(CancellationToken.None))!.Keys);
        var bytes = Base64Url.DecodeFromChars(stored.ProtectedPrivateKey);

        Assert.False(bytes.AsSpan().IndexOf(key.ExportPkcs8()) >= 0);
        using var rsa = RSA.Create();
        Assert.ThrowsAny<CryptographicException>(() => rsa.ImportPkcs8PrivateKey(bytes, out _));
    }

    [Theory]
    [InlineData(SigningAlgorithms.RS256)]
    [InlineData(SigningAlgorithms.ES256)]
    public void A_signed_token_verifies_and_a_changed_one_does_not(string algorithm)
    {
        var key = SigningKey.Generate(algorithm, _time.GetUtcNow(), _time.GetUtcNow());
        var token = Jws.Sign(key, "JWT", w => w.WriteString("sub", "alice"));

        Assert.Equal("alice", Jws.Verify(token, _ => key)!.Value.GetProperty("sub").GetString());
        var parts = token.Split('.');
        var changed = parts[0] + "." + Base64Url.EncodeToString("{\"sub\":\"mallory\"}"u8) + "." + parts[2];
        Assert.Null(Jws.Verify(changed, _ => key));
    }

    [Fact]
    public void Alg_none_is_refused()
    {
        var key = SigningKey.Generate(SigningAlgorithms.RS256, _time.GetUtcNow(), _time.GetUtcNow());
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"alg\":\"none\",\"kid\":\"{key.Kid}\"}}"));
        var claims = Base64Url.EncodeToString("{\"sub\":\"mallory\"}"u8);

        Assert.Null(Jws.Verify(header + "." + claims + ".", _ => key));
    }

    [Fact]
    public void Hs256_keyed_with_the_public_key_is_refused()
    {
        // RFC 8725 §2.1: the classic substitution, an HMAC whose secret is the published public key.
        var key = SigningKey.Generate(SigningAlgorithms.RS256, _time.GetUtcNow(), _time.GetUtcNow());
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"alg\":\"HS256\",\"kid\":\"{key.Kid}\"}}"));
        var claims = Base64Url.EncodeToString("{\"sub\":\"mallory\"}"u8);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.PublicJwk.N!), Encoding.ASCII.GetBytes(header + "." + claims));

        Assert.Null(Jws.Verify(header + "." + claims + "." + Base64Url.EncodeToString(mac), _ => key));
    }

    [Fact]
    public void A_token_naming_an_unknown_kid_is_refused()
    {
        var key = SigningKey.Generate(SigningAlgorithms.ES256, _time.GetUtcNow(), _time.GetUtcNow());
        var token = Jws.Sign(key, "JWT", w => w.WriteString("sub", "alice"));

        Assert.Null(Jws.Verify(token, _ => null));
    }

    private SigningKeys Keys(OAuthOptions? options = null) =>
        new(_store, _protection, options ?? new OAuthOptions(), _time, NullLogger<SigningKeys>.Instance);
}
