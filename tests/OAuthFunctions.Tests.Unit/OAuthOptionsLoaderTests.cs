using System.Reflection;
using Microsoft.Extensions.Configuration;
using OAuthFunctions.Core.Configuration;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Settings (docs/BEHAVIOUR.md §2): the original's defaults, parsing, and a start-up failure that names the bad setting.</summary>
public sealed class OAuthOptionsLoaderTests
{
    private static readonly string MissingDirectory = Path.Combine(AppContext.BaseDirectory, "no-such-templates-directory");

    /// <summary>One malformed value per row; every setting in <see cref="OAuthOptions.SettingNames"/> has at least one.</summary>
    public static TheoryData<string, string> MalformedValues => new()
    {
        { "Scopes", "read write" },
        { "Scopes", string.Join(',', Enumerable.Range(0, 28).Select(i => "s" + i)) },
        { "Scopes", "read,openid" },
        { "Scopes", "profile" },
        { "Scopes", "email,write" },
        { "SigningAlgorithm", "HS256" },
        { "SigningAlgorithm", "none" },
        { "SigningKeyLifetime", "00:30:00" },
        { "SigningKeyLifetime", "abc" },
        { "IdTokenLifetime", "2.00:00:00" },
        { "JwtAccessTokenLifetime", "600" },
        { "Scopes", "read,write,read" },
        { "Scopes", "read,\"quoted\"" },
        { "ResponseTypes", "id_token" },
        { "ResponseTypes", "code,id_token" },
        { "AccessTokenLifetime", "abc" },
        { "AccessTokenLifetime", "-01:00:00" },
        { "AccessTokenLifetime", "00:00:00" },
        { "PublicAccessTokenLifetime", "abc" },
        { "AccessTokenLifetime", "3600" },
        { "CodeLifetime", "-00:10:00" },
        { "CodeLifetime", "600" },
        { "CodeLifetime", "02:00:00" },
        { "LoginLifetime", "31.00:00:00" },
        { "ClientCacheLifetime", "60" },
        { "RefreshTokenLifetime", "never" },
        { "RotatedRefreshTokenRetention", "abc" },
        { "EnforceSecure", "yes" },
        { "SessionKey", "a b" },
        { "SessionKey", "oauth;path=/" },
        { "LoginLifetime", "abc" },
        { "PurgeSchedule", "every hour" },
        { "PurgeSchedule", "*/15 * * * *" },
        { "PurgeMaxItems", "0" },
        { "PurgeMaxItems", "many" },
        { "TablePrefix", "1abc" },
        { "TablePrefix", "OAuth-Prod" },
        { "Issuer", "ftp://x" },
        { "Issuer", "https://x/?q=1" },
        { "Issuer", "https://x/#f" },
        { "Issuer", "not a url" },
        { "ForwardedHops", "-1" },
        { "ForwardedHops", "11" },
        { "ForwardedHops", "two" },
        { "ClientCacheLifetime", "2.00:00:00" },
        { "ClientCacheLifetime", "-00:01:00" },
        { "TemplatesPath", MissingDirectory },
        { "TokenShards", "0" },
        { "TokenShards", "63" },
        { "TokenShards", "sixteen" },
    };

    public static TheoryData<string> Lifetimes => new()
    {
        "AccessTokenLifetime", "PublicAccessTokenLifetime", "CodeLifetime", "RefreshTokenLifetime",
        "RotatedRefreshTokenRetention", "LoginLifetime", "ClientCacheLifetime", "SigningKeyLifetime", "IdTokenLifetime",
        "JwtAccessTokenLifetime",
    };

    [Fact]
    public void Defaults_are_the_originals()
    {
        var options = Load();

        Assert.Equal(["read", "write"], options.Scopes);
        Assert.Equal(["code"], options.ResponseTypes);
        Assert.Equal(TimeSpan.FromDays(365), options.AccessTokenLifetime);
        Assert.Equal(TimeSpan.FromDays(30), options.PublicAccessTokenLifetime);
        Assert.Equal(TimeSpan.FromMinutes(10), options.CodeLifetime);
        Assert.Null(options.RefreshTokenLifetime);
        Assert.False(options.EnforceSecure);
        Assert.Equal("oauth", options.SessionKey);
        Assert.Equal("0 */15 * * * *", options.PurgeSchedule);
        Assert.Equal("OAuth", options.TablePrefix);
        Assert.Null(options.Issuer);
        Assert.Null(options.TemplatesPath);
        Assert.Equal(16, options.TokenShards);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("62", 62)]
    public void TokenShards_accepts_one_to_every_shard_a_token_can_name(string value, int shards) =>
        Assert.Equal(shards, Load(("TokenShards", value)).TokenShards);

    [Fact]
    public void Blank_value_takes_the_default() =>
        Assert.Equal(TimeSpan.FromDays(365), Load(("AccessTokenLifetime", "  ")).AccessTokenLifetime);

    [Fact]
    public void AccessTokenLifetime_parses_a_timespan() =>
        Assert.Equal(TimeSpan.FromHours(1), Load(("AccessTokenLifetime", "01:00:00")).AccessTokenLifetime);

    [Fact]
    public void RefreshTokenLifetime_none_never_expires() =>
        Assert.Null(Load(("RefreshTokenLifetime", "none")).RefreshTokenLifetime);

    [Fact]
    public void RefreshTokenLifetime_parses_days() =>
        Assert.Equal(TimeSpan.FromDays(30), Load(("RefreshTokenLifetime", "30.00:00:00")).RefreshTokenLifetime);

    [Fact]
    public void ResponseTypes_code_token_enables_both() =>
        Assert.Equal(["code", "token"], Load(("ResponseTypes", "code,token")).ResponseTypes);

    [Fact]
    public void EnforceSecure_true_parses() => Assert.True(Load(("EnforceSecure", "true"), ("Issuer", "https://login.example.com")).EnforceSecure);

    [Fact]
    public void Scopes_keep_their_configured_order() =>
        Assert.Equal(["photos", "read", "admin"], Load(("Scopes", "photos, read ,admin")).Scopes);

    /// <summary>docs/BEHAVIOUR.md §11: bits 28 to 30 are OpenID Connect's, so 27 configured scopes at most.</summary>
    [Fact]
    public void Scopes_accept_27_names() =>
        Assert.Equal(27, Load(("Scopes", string.Join(',', Enumerable.Range(0, 27).Select(i => "s" + i)))).Scopes.Count);

    [Fact]
    public void Signing_settings_default_to_rs256_30_day_keys_1_hour_id_tokens_and_10_minute_jwt_access_tokens()
    {
        var options = Load();
        Assert.Equal("RS256", options.SigningAlgorithm);
        Assert.Equal(TimeSpan.FromDays(30), options.SigningKeyLifetime);
        Assert.Equal(TimeSpan.FromHours(1), options.IdTokenLifetime);
        Assert.Equal(TimeSpan.FromMinutes(10), options.JwtAccessTokenLifetime);
        Assert.Equal("ES256", Load(("SigningAlgorithm", "ES256")).SigningAlgorithm);
    }

    [Fact]
    public void Issuer_parses_an_https_url() =>
        Assert.Equal(new Uri("https://login.example.com"), Load(("Issuer", "https://login.example.com")).Issuer);

    [Fact]
    public void Issuer_over_plain_http_is_refused_when_EnforceSecure_is_on()
    {
        var error = Assert.Throws<OAuthConfigurationException>(() => Load(("EnforceSecure", "true"), ("Issuer", "http://login.example.com")));

        Assert.Contains("OAuth__Issuer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplatesPath_accepts_an_existing_directory() =>
        Assert.Equal(AppContext.BaseDirectory, Load(("TemplatesPath", AppContext.BaseDirectory)).TemplatesPath);

    [Fact]
    public void ClientCacheLifetime_zero_turns_the_cache_off() =>
        Assert.Equal(TimeSpan.Zero, Load(("ClientCacheLifetime", "00:00:00")).ClientCacheLifetime);

    [Theory]
    [MemberData(nameof(MalformedValues))]
    public void Malformed_value_throws_naming_the_setting(string name, string value)
    {
        var error = Assert.Throws<OAuthConfigurationException>(() => Load((name, value)));

        Assert.Contains($"OAuth__{name} ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_has_a_malformed_value_case()
    {
        var covered = MalformedValues.Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);

        Assert.All(OAuthOptions.SettingNames, name => Assert.Contains(name, covered));
    }

    [Theory]
    [MemberData(nameof(Lifetimes))]
    public void Malformed_lifetime_message_does_not_echo_the_value(string name)
    {
        const string Value = "leaked-value-7f3a";

        var error = Assert.Throws<OAuthConfigurationException>(() => Load((name, Value)));

        Assert.DoesNotContain(Value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingNames_lists_every_public_settable_property()
    {
        var settable = typeof(OAuthOptions)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(settable, OAuthOptions.SettingNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SettingNames_are_distinct() =>
        Assert.Equal(OAuthOptions.SettingNames.Count, OAuthOptions.SettingNames.Distinct(StringComparer.Ordinal).Count());

    private static OAuthOptions Load(params (string Name, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{OAuthOptions.SectionName}:{s.Name}", s.Value)))
            .Build();
        return OAuthOptionsLoader.Load(configuration);
    }
}
