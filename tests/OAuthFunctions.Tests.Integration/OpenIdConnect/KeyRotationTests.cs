using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Signing;
using OAuthFunctions.Testing;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.OpenIdConnect;

/// <summary>
/// Signing key rotation over HTTP against Azurite, on a fake clock (docs/BEHAVIOUR.md §11): a new key is published
/// before it signs, and tokens signed before a rotation keep validating against the JWKS until they expire.
/// </summary>
public sealed class KeyRotationTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Tokens_signed_before_a_rotation_under_load_still_validate_after_it_until_they_expire()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.FakeTime = true);
        var client = await server.AddClientAsync();
        var user = await server.AddUserAsync("rot-" + Guid.NewGuid().ToString("N")[..8], Password);
        using var http = server.CreateClient();
        var keys = server.Services.GetRequiredService<SigningKeys>();

        // Sixty ID tokens, signed in parallel while a rotation lands in their midst.
        var issued = new ConcurrentBag<string>();
        async Task IssueAsync()
        {
            var code = await server.IssueCodeAsync(client, user, scope: "openid", authTime: server.FakeTime!.GetUtcNow());
            issued.Add((await IdTokens.RedeemAsync(server, client, code)).Str("id_token"));
        }

        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => IssueAsync()));
        var rotation = keys.RotateAsync(immediately: true, CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => IssueAsync()).Append(rotation));
        await IssueAsync();
        var kids = issued.Select(t => IdTokens.Json(t.Split('.')[0]).Str("kid")).ToHashSet();
        Assert.Equal(2, kids.Count);

        // After the rotation every token still validates with the JWKS, old key and new.
        var jwks = await IdTokens.JwksAsync(http);
        Assert.All(issued, token => Assert.NotNull(IdTokens.Verify(jwks, token)));

        // 59 minutes later (ID tokens live an hour) the old key is still there; once they have expired, it is gone.
        server.FakeTime!.Advance(TimeSpan.FromMinutes(59));
        jwks = await IdTokens.JwksAsync(http);
        Assert.All(issued, token => Assert.NotNull(IdTokens.Verify(jwks, token)));
        server.FakeTime.Advance(TimeSpan.FromMinutes(10));
        await keys.LoadAsync(CancellationToken.None);
        jwks = await IdTokens.JwksAsync(http);
        Assert.Single(jwks.GetProperty("keys").EnumerateArray());
    }

    [Fact]
    public async Task A_scheduled_key_is_in_the_jwks_a_day_before_it_signs()
    {
        await using var server = await OAuthTestServer.StartAsync(o => o.FakeTime = true);
        using var http = server.CreateClient();
        var keys = server.Services.GetRequiredService<SigningKeys>();
        var first = Kids(await IdTokens.JwksAsync(http));
        var firstKid = Assert.Single(first);

        // 29 days into a 30-day key the next one is published, while the first still signs.
        server.FakeTime!.Advance(TimeSpan.FromDays(29) + TimeSpan.FromMinutes(1));
        var set = await keys.LoadAsync(CancellationToken.None);
        Assert.Equal(2, Kids(await IdTokens.JwksAsync(http)).Count);
        Assert.Equal(firstKid, set.SigningAt(server.FakeTime.GetUtcNow())!.Kid);

        server.FakeTime.Advance(TimeSpan.FromDays(1));
        Assert.NotEqual(firstKid, set.SigningAt(server.FakeTime.GetUtcNow())!.Kid);
    }

    private static List<string> Kids(JsonElement jwks) => [.. jwks.GetProperty("keys").EnumerateArray().Select(k => k.Str("kid"))];
}
