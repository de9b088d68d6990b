using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using OAuthFunctions.Core.Stores;
using OAuthFunctions.Core.Users;
using OAuthFunctions.Storage.Maintenance;

namespace OAuthFunctions.Cli.Commands;

/// <summary>
/// <c>oauthctl users add|update|list|remove|set-password|disable|enable</c>. Passwords come from stdin, never argv. The
/// profile (<c>--name</c>, <c>--email</c>, <c>--email-verified</c>) is what the <c>profile</c> and <c>email</c> scopes
/// release (OpenID Connect Core §5.4).
/// </summary>
public static class UsersCommand
{
    public static Command Create(OAuthCtl.CommandHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var users = new Command("users", "Manage resource owners (the people who sign in).");
        users.Add(Add(handlers));
        users.Add(Update(handlers));
        users.Add(List(handlers));
        users.Add(Remove(handlers));
        users.Add(SetPassword(handlers));
        users.Add(SetDisabled(handlers, "disable", disabled: true));
        users.Add(SetDisabled(handlers, "enable", disabled: false));
        return users;
    }

    private static Option<bool> PasswordStdin() =>
        new("--password-stdin") { Description = "Read the password from standard input (required: passwords never go on the command line).", Required = true };

    private static Command Add(OAuthCtl.CommandHandlers handlers)
    {
        var username = new Argument<string>("username");
        var passwordStdin = PasswordStdin();
        var disabled = new Option<bool>("--disabled") { Description = "Create the user unable to sign in." };
        var (fullName, email, emailVerified) = ProfileOptions();
        var command = new Command("add", "Add a user.") { username, passwordStdin, disabled, fullName, email, emailVerified };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var name = parse.GetValue(username)!;
            if (!Usernames.IsValid(name))
            {
                throw new CliException("A username is 1 to 150 letters, digits and @ . + - _.");
            }

            var password = await runtime.ReadPasswordAsync(cancellationToken);
            var user = new User
            {
                UserId = Guid.NewGuid().ToString("N"),
                Username = name,
                PasswordHash = string.Empty,
                Disabled = parse.GetValue(disabled),
                SecurityStamp = User.NewSecurityStamp(),
                CreatedAt = TimeProvider.System.GetUtcNow(),
                Name = Optional(parse.GetValue(fullName)),
                Email = Email(parse.GetValue(email)),
                EmailVerified = parse.GetValue(emailVerified) ?? false,
            };
            user = user with { PasswordHash = runtime.Get<IPasswordHasher<User>>().HashPassword(user, password) };
            if (!await runtime.Get<IUserStore>().AddAsync(user, cancellationToken))
            {
                throw new CliException($"The username {name} is taken.");
            }

            runtime.Audit("UserAdded", userId: user.UserId);
            runtime.Write(new JsonObject { ["username"] = user.Username, ["user_id"] = user.UserId }, $"Added user {user.Username}.");
        }));
        return command;
    }

    private static Command Update(OAuthCtl.CommandHandlers handlers)
    {
        var username = new Argument<string>("username");
        var (fullName, email, emailVerified) = ProfileOptions();
        var command = new Command("update", "Change a user's profile (an empty value clears it); sign-ins and tokens are unaffected.") { username, fullName, email, emailVerified };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var user = await Existing(runtime, parse.GetValue(username)!, cancellationToken);
            var newName = parse.GetResult(fullName) is null ? user.Name : Optional(parse.GetValue(fullName));
            var newEmail = parse.GetResult(email) is null ? user.Email : Email(parse.GetValue(email));

            // A changed address is not verified until the operator says so again.
            var verified = parse.GetValue(emailVerified) ?? (newEmail == user.Email && user.EmailVerified);
            var changed = await runtime.Get<UserAccounts>().ChangeAsync(user.Username, u => u with { Name = newName, Email = newEmail, EmailVerified = verified && newEmail is not null }, cancellationToken)
                ?? throw new CliException("No such user.");
            runtime.Audit("UserUpdated", userId: changed.UserId);
            runtime.Write(
                new JsonObject { ["username"] = changed.Username, ["name"] = changed.Name, ["email"] = changed.Email, ["email_verified"] = changed.EmailVerified },
                $"Updated {changed.Username}.");
        }));
        return command;
    }

    private static (Option<string?> Name, Option<string?> Email, Option<bool?> EmailVerified) ProfileOptions() =>
        (new("--name") { Description = "The person's full name (the name claim, released by the profile scope)." },
         new("--email") { Description = "The person's email address (the email claim, released by the email scope)." },
         new("--email-verified") { Description = "Whether you verified the address (email_verified); true or false." });

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Email(string? value)
    {
        var email = Optional(value);
        return email is null || (email.Length <= 254 && email.IndexOf('@', StringComparison.Ordinal) > 0 && !email.Any(char.IsWhiteSpace))
            ? email
            : throw new CliException("--email must be an email address.");
    }

    private static Command List(OAuthCtl.CommandHandlers handlers)
    {
        var command = new Command("list", "List users.");
        command.SetAction(handlers.Run(async (runtime, _, cancellationToken) =>
        {
            var all = (await runtime.Get<IUserStore>().ListAsync(cancellationToken)).OrderBy(u => u.Username, StringComparer.Ordinal).ToList();
            runtime.Write(
                new JsonArray([.. all.Select(u => (JsonNode)new JsonObject
                {
                    ["username"] = u.Username,
                    ["user_id"] = u.UserId,
                    ["disabled"] = u.Disabled,
                    ["name"] = u.Name,
                    ["email"] = u.Email,
                    ["email_verified"] = u.EmailVerified,
                    ["created_at"] = CliRuntime.Timestamp(u.CreatedAt),
                })]),
                [.. all.Select(u => u.Disabled ? $"{u.Username} (disabled)" : u.Username)]);
        }));
        return command;
    }

    private static Command Remove(OAuthCtl.CommandHandlers handlers)
    {
        var username = new Argument<string>("username");
        var settle = CliRuntime.SettleOption();
        var command = new Command("remove", "Remove a user and revoke all codes and tokens issued for them.") { username, settle };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var user = await Existing(runtime, parse.GetValue(username)!, cancellationToken);

            // The row goes first, so no instance grants anything new once its cache ages out; then the tokens.
            await runtime.Get<IUserStore>().RemoveAsync(user.Username, cancellationToken);
            var administration = runtime.Get<TokenAdministration>();
            var revoked = await runtime.RevokeTwiceAsync(ct => administration.RevokeUserAsync(user.UserId, ct), parse.GetValue(settle), cancellationToken);
            runtime.Audit("UserRemoved", userId: user.UserId, revoked: revoked);
            runtime.Write(
                new JsonObject { ["username"] = user.Username, ["removed"] = true, ["tokens_revoked"] = revoked },
                $"Removed user {user.Username}; revoked {revoked} codes and tokens.");
        }));
        return command;
    }

    private static Command SetPassword(OAuthCtl.CommandHandlers handlers)
    {
        var username = new Argument<string>("username");
        var passwordStdin = PasswordStdin();
        var keepTokens = new Option<bool>("--keep-tokens") { Description = "Do not revoke the user's codes and access tokens (their sign-ins and refresh tokens end anyway)." };
        var settle = CliRuntime.SettleOption();
        var command = new Command("set-password", "Set a user's password: ends their sign-ins and refresh tokens, revokes their codes and tokens, clears any lockout.") { username, passwordStdin, keepTokens, settle };
        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var user = await Existing(runtime, parse.GetValue(username)!, cancellationToken);
            var password = await runtime.ReadPasswordAsync(cancellationToken);
            var hash = runtime.Get<IPasswordHasher<User>>().HashPassword(user, password);

            // The new security stamp ends every sign-in and refuses every refresh token issued under the old one, on
            // each instance once its cached copy of the user ages out; revoking (twice) also kills the access tokens.
            var changed = await runtime.Get<UserAccounts>().SetPasswordAsync(user.Username, hash, cancellationToken)
                ?? throw new CliException("No such user.");
            var revoked = parse.GetValue(keepTokens)
                ? 0
                : await runtime.RevokeTwiceAsync(ct => runtime.Get<TokenAdministration>().RevokeUserAsync(changed.UserId, ct), parse.GetValue(settle), cancellationToken);
            runtime.Audit("PasswordSet", userId: changed.UserId, revoked: revoked);
            runtime.Write(
                new JsonObject { ["username"] = user.Username, ["password_set"] = true, ["tokens_revoked"] = revoked },
                parse.GetValue(keepTokens)
                    ? $"Password set for {user.Username}; their sign-ins and refresh tokens ended, their access tokens were kept."
                    : $"Password set for {user.Username}; their sign-ins ended and {revoked} codes and tokens were revoked.");
        }));
        return command;
    }

    private static Command SetDisabled(OAuthCtl.CommandHandlers handlers, string name, bool disabled)
    {
        var username = new Argument<string>("username");
        var settle = CliRuntime.SettleOption();
        var command = new Command(name, disabled ? "Stop a user from signing in and revoke their tokens." : "Let a disabled user sign in again.") { username };
        if (disabled)
        {
            command.Add(settle);
        }

        command.SetAction(handlers.Run(async (runtime, parse, cancellationToken) =>
        {
            var user = await Existing(runtime, parse.GetValue(username)!, cancellationToken);
            _ = await runtime.Get<UserAccounts>().SetDisabledAsync(user.Username, disabled, cancellationToken) ?? throw new CliException("No such user.");
            var administration = runtime.Get<TokenAdministration>();
            var revoked = disabled
                ? await runtime.RevokeTwiceAsync(ct => administration.RevokeUserAsync(user.UserId, ct), parse.GetValue(settle), cancellationToken)
                : 0;
            runtime.Audit(disabled ? "UserDisabled" : "UserEnabled", userId: user.UserId, revoked: revoked);
            runtime.Write(
                new JsonObject { ["username"] = user.Username, ["disabled"] = disabled, ["tokens_revoked"] = revoked },
                disabled ? $"Disabled {user.Username}; revoked {revoked} codes and tokens." : $"Enabled {user.Username}.");
        }));
        return command;
    }

    private static async Task<User> Existing(CliRuntime runtime, string username, CancellationToken cancellationToken) =>
        await runtime.Get<IUserStore>().FindAsync(username, cancellationToken) ?? throw new CliException("No such user.");
}
