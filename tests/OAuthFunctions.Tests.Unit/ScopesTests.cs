using OAuthFunctions.Core.Scopes;

namespace OAuthFunctions.Tests.Unit;

/// <summary>
/// <c>provider.scope</c>'s own documented examples (docs/BEHAVIOUR.md §3), on the static facade over the default scopes and on
/// <see cref="ScopeRegistry"/>, plus the request rules of RFC 6749 §3.3.
/// </summary>
public sealed class ScopesTests
{
    private static readonly ScopeRegistry Registry = ScopeRegistry.Default;

    [Fact]
    public void Default_bits_are_read_2_and_write_4()
    {
        Assert.Equal(2, Scope.Read);
        Assert.Equal(4, Scope.Write);
        Assert.Equal(6, Scope.ReadWrite);
    }

    [Fact]
    public void ToInt_read_is_2() => Assert.Equal(2, Scope.ToInt("read"));

    // The original docstring says to_int('write') == 6; its own test says 4, and 4 is right (docs/BEHAVIOUR.md §3).
    [Fact]
    public void ToInt_write_is_4_not_6_as_the_original_docstring_says() => Assert.Equal(4, Scope.ToInt("write"));

    [Fact]
    public void ToInt_read_write_is_6() => Assert.Equal(6, Scope.ToInt("read", "write"));

    [Fact]
    public void ToInt_invalid_is_0() => Assert.Equal(0, Scope.ToInt("invalid"));

    [Fact]
    public void ToInt_invalid_with_default_1_is_1() => Assert.Equal(1, Scope.ToInt(1, "invalid"));

    [Fact]
    public void ToInt_unknown_names_count_zero_among_known_ones() => Assert.Equal(2, Scope.ToInt("read", "invalid"));

    [Fact]
    public void Check_read_against_read_is_true() => Assert.True(Scope.Check(Scope.Read, Scope.Read));

    [Fact]
    public void Check_write_against_read_is_false() => Assert.False(Scope.Check(Scope.Write, Scope.Read));

    [Fact]
    public void Check_write_against_write_is_true() => Assert.True(Scope.Check(Scope.Write, Scope.Write));

    [Fact]
    public void Check_read_against_write_is_false() => Assert.False(Scope.Check(Scope.Read, Scope.Write));

    [Fact]
    public void Check_read_against_read_write_is_true() => Assert.True(Scope.Check(Scope.Read, Scope.ReadWrite));

    [Fact]
    public void Check_write_against_read_write_is_true() => Assert.True(Scope.Check(Scope.Write, Scope.ReadWrite));

    [Fact]
    public void Check_read_write_against_read_is_false() => Assert.False(Scope.Check(Scope.ReadWrite, Scope.Read));

    [Fact]
    public void Check_nothing_wanted_is_false() => Assert.False(Scope.Check(0, Scope.ReadWrite));

    [Fact]
    public void Names_of_6_are_read_and_write() => Assert.Equal(["read", "write"], Scope.Names(6));

    [Fact]
    public void ToNames_of_read_is_read() => Assert.Equal(["read"], Scope.ToNames(Scope.Read));

    [Fact]
    public void ToNames_of_0_is_empty() => Assert.Empty(Scope.ToNames(0));

    [Fact]
    public void Names_come_in_definition_order_not_alphabetical()
    {
        var registry = new ScopeRegistry(["zeta", "alpha", "mid"]);

        Assert.Equal(["zeta", "alpha", "mid"], registry.ToNames(registry.All));
    }

    [Fact]
    public void The_ith_configured_name_gets_bit_1_shifted_by_i_plus_1()
    {
        var registry = new ScopeRegistry(["a", "b", "c", "d"]);

        Assert.Equal([2, 4, 8, 16], registry.Defined.Select(name => registry.ToInt(name)));
    }

    [Fact]
    public void DefaultScope_is_the_first_defined()
    {
        var registry = new ScopeRegistry(["photos", "albums"]);

        Assert.Equal(registry.ToInt("photos"), registry.DefaultScope);
    }

    [Fact]
    public void Default_registry_default_scope_is_read() => Assert.Equal(Scope.Read, Registry.DefaultScope);

    [Fact]
    public void Parse_splits_on_spaces() => Assert.Equal(Scope.ReadWrite, Registry.Parse("read write", Scope.Read));

    [Fact]
    public void Parse_absent_scope_is_the_given_default() => Assert.Equal(Scope.Write, Registry.Parse(null, Scope.Write));

    [Fact]
    public void Parse_empty_scope_is_the_given_default() => Assert.Equal(Scope.Write, Registry.Parse(string.Empty, Scope.Write));

    [Fact]
    public void Parse_unknown_name_is_invalid() => Assert.Null(Registry.Parse("read admin", Scope.Read));

    [Fact]
    public void Parse_is_case_sensitive() => Assert.Null(Registry.Parse("READ", Scope.Read));

    [Fact]
    public void Parse_does_not_split_on_commas() => Assert.Null(Registry.Parse("read,write", Scope.Read));

    [Fact]
    public void Parse_uses_the_requested_scope_exactly_without_or_ing_the_first_in() =>
        Assert.Equal(Scope.Write, Registry.Parse("write", Scope.Read));

    [Fact]
    public void Format_joins_names_with_single_spaces() => Assert.Equal("read write", Registry.Format(Scope.ReadWrite));

    [Fact]
    public void Format_then_Parse_round_trips()
    {
        var registry = new ScopeRegistry(["a", "b", "c"]);
        var scope = registry.ToInt("a", "c");

        Assert.Equal(scope, registry.Parse(registry.Format(scope), registry.DefaultScope));
    }

    [Fact]
    public void A_registry_of_27_names_works_and_its_last_bit_is_1_shifted_by_27()
    {
        var names = Enumerable.Range(0, 27).Select(i => "s" + i).ToArray();

        var registry = new ScopeRegistry(names);

        Assert.Equal(1 << 27, registry.ToInt("s26"));
        Assert.True(registry.All > 0);
        Assert.Equal(names, registry.ToNames(registry.All));
    }

    /// <summary>docs/BEHAVIOUR.md §11: OpenID Connect's scopes sit on bits 28 to 30, beside any configured scope.</summary>
    [Fact]
    public void Openid_profile_and_email_are_recognised_on_reserved_bits()
    {
        var registry = new ScopeRegistry(["read", "write"]);

        Assert.Equal(ScopeRegistry.OpenIdBit | Scope.Read, registry.Parse("openid read", registry.DefaultScope));
        Assert.Equal(1 << 28 | 1 << 29 | 1 << 30, registry.ToInt("openid", "profile", "email"));
        Assert.Equal("read openid email", registry.Format(Scope.Read | ScopeRegistry.OpenIdBit | ScopeRegistry.EmailBit));
        Assert.Equal(Scope.ReadWrite, registry.All);
        Assert.True(ScopeRegistry.Allows(Scope.Read, Scope.Read | ScopeRegistry.OpenIdBit));
        Assert.False(ScopeRegistry.Allows(Scope.Read, Scope.Write | ScopeRegistry.OpenIdBit));
    }

    [Fact]
    public void A_configured_scope_may_not_take_an_openid_connect_name() =>
        Assert.Throws<ArgumentException>(() => new ScopeRegistry(["read", "email"]));

    [Fact]
    public void A_registry_of_31_names_is_refused()
    {
        var names = Enumerable.Range(0, 31).Select(i => "s" + i).ToArray();

        Assert.Throws<ArgumentException>(() => new ScopeRegistry(names));
    }

    [Fact]
    public void An_empty_registry_is_refused() => Assert.Throws<ArgumentException>(() => new ScopeRegistry([]));
}
