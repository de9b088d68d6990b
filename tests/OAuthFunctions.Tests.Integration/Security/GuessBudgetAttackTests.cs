using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Testing;
using OAuthFunctions.Testing.Contracts;
using OAuthFunctions.Tests.Integration.Support;

namespace OAuthFunctions.Tests.Integration.Security;

/// <summary>
/// The guess budget holds against simultaneous guesses through the real HTTP path and Table Storage: every request
/// reads the user's row at the same moment (the store is paused after its read), and still the password is checked no
/// more often than the account's budget allows, because each guess must win a conditional write before it is checked.
/// </summary>
public sealed class GuessBudgetAttackTests
{
    [Fact]
    public async Task Fifty_simultaneous_password_grant_guesses_check_the_password_at_most_five_times()
    {
        var hasher = new CountingPasswordHasher();
        await using var server = await OAuthTestServer.StartAsync(o => o.ConfigureServices = services =>
        {
            services.AddSingleton<IPasswordHasher<User>>(hasher);
            var table = services.Last(d => d.ServiceType == typeof(IUserStore));
            // All 50 come from one address, whose own budget lets 20 of them reach the user's row: those 20 read it together.
            services.AddSingleton<IUserStore>(provider => new PausingUserStore((IUserStore)ActivatorUtilities.CreateInstance(provider, table.ImplementationType!), readers: LoginThrottle.MaxFailures));
        });
        var client = await server.AddClientAsync();
        var user = await server.AddUserAsync("guessed-" + Guid.NewGuid().ToString("N")[..8], "correct horse battery");
        var before = hasher.Checks;
        using var http = server.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            http.TokenAsync(client, ("grant_type", "password"), ("username", user.Username), ("password", "guess number " + i))));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode));
        Assert.InRange(hasher.Checks - before, 1, ResourceOwnerAuthenticator.MaxFailures);
        var row = (await server.Services.GetRequiredService<IUserStore>().FindAsync(user.Username, CancellationToken.None))!;
        Assert.NotNull(row.LockedUntil);
    }
}
