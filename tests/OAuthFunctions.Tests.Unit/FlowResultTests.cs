using Microsoft.AspNetCore.WebUtilities;
using OAuthFunctions.Core.Endpoints.Authorization;

namespace OAuthFunctions.Tests.Unit;

/// <summary>Building the redirect back to the client (RFC 6749 §3.1.2, §4.1.2, §4.2.2).</summary>
public sealed class FlowResultTests
{
    [Fact]
    public void Existing_query_in_the_registered_uri_is_kept()
    {
        var result = new FlowResult("https://c.example/cb?x=1", false, new() { ["code"] = "abc" });

        Assert.Equal("https://c.example/cb?x=1&code=abc", result.ToLocation());
    }

    [Fact]
    public void Question_mark_is_added_when_there_is_no_query()
    {
        var result = new FlowResult("https://c.example/cb", false, new() { ["code"] = "abc" });

        Assert.Equal("https://c.example/cb?code=abc", result.ToLocation());
    }

    [Fact]
    public void Registered_uri_ending_in_a_question_mark_gets_no_extra_separator()
    {
        var result = new FlowResult("https://c.example/cb?", false, new() { ["code"] = "abc" });

        Assert.Equal("https://c.example/cb?code=abc", result.ToLocation());
    }

    [Fact]
    public void Several_parameters_are_joined_with_ampersands()
    {
        var result = new FlowResult("https://c.example/cb", false, new() { ["code"] = "abc", ["state"] = "xyz" });

        Assert.Equal("https://c.example/cb?code=abc&state=xyz", result.ToLocation());
    }

    [Fact]
    public void Implicit_parameters_go_in_the_fragment()
    {
        var result = new FlowResult("https://c.example/cb", true, new() { ["access_token"] = "t", ["token_type"] = "Bearer" });

        Assert.Equal("https://c.example/cb#access_token=t&token_type=Bearer", result.ToLocation());
    }

    [Fact]
    public void Implicit_parameters_go_in_the_fragment_after_an_existing_query()
    {
        var result = new FlowResult("https://c.example/cb?x=1", true, new() { ["access_token"] = "t" });

        Assert.Equal("https://c.example/cb?x=1#access_token=t", result.ToLocation());
    }

    [Fact]
    public void Values_are_percent_encoded()
    {
        var result = new FlowResult("https://c.example/cb", false, new() { ["state"] = "a b&c#d=e+f" });

        Assert.Equal("https://c.example/cb?state=a%20b%26c%23d%3De%2Bf", result.ToLocation());
    }

    [Fact]
    public void Names_are_percent_encoded()
    {
        var result = new FlowResult("https://c.example/cb", false, new() { ["odd name&"] = "v" });

        Assert.Equal("https://c.example/cb?odd%20name%26=v", result.ToLocation());
    }

    [Fact]
    public void Non_ascii_values_are_utf8_percent_encoded()
    {
        var result = new FlowResult("https://c.example/cb", false, new() { ["state"] = "é" });

        Assert.Equal("https://c.example/cb?state=%C3%A9", result.ToLocation());
    }

    [Fact]
    public void State_round_trips_through_a_standard_query_parser()
    {
        const string State = "a b&c#d=e+f/?%";
        var result = new FlowResult("https://c.example/cb?x=1", false, new() { ["code"] = "abc", ["state"] = State });

        var query = QueryHelpers.ParseQuery(new Uri(result.ToLocation()).Query);

        Assert.Equal(State, query["state"].ToString());
        Assert.Equal("1", query["x"].ToString());
        Assert.Equal("abc", query["code"].ToString());
    }

    [Fact]
    public void State_round_trips_through_the_fragment()
    {
        const string State = "a b&c#d";
        var result = new FlowResult("https://c.example/cb", true, new() { ["access_token"] = "t", ["state"] = State });

        var fragment = QueryHelpers.ParseQuery(new Uri(result.ToLocation()).Fragment.TrimStart('#'));

        Assert.Equal(State, fragment["state"].ToString());
    }
}
