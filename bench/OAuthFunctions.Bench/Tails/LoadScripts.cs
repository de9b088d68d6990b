using System.Globalization;
using System.Text;
using OAuthFunctions.Testing;

namespace OAuthFunctions.Bench.Tails;

/// <summary>The wrk scripts: the two endpoints measured, and the same storage operations sent straight to Azurite.</summary>
internal static class LoadScripts
{
    public static string ClientCredentials(TestClient client) => Form(
        "/oauth2/access_token",
        authorization: null,
        $"grant_type=client_credentials&client_id={Uri.EscapeDataString(client.ClientId)}&client_secret={Uri.EscapeDataString(client.Secret!)}");

    public static string Introspect(TestClient client, string token) => Form(
        "/oauth2/introspect",
        OAuthTestServer.Basic(client.ClientId, client.Secret!).ToString(),
        $"token={Uri.EscapeDataString(token)}");

    /// <summary>Inserts of a token-sized row with a fresh row key each, as client_credentials writes them (SAS-signed).</summary>
    public static string Insert(Uri tableWithSas, int bucket) => $$"""
        local counter = 0
        local path = "{{tableWithSas.PathAndQuery}}"
        local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json;odata=nometadata", ["Prefer"] = "return-no-content", ["x-ms-version"] = "2021-08-06" }
        -- A fresh seed per run (wrk's main Lua state starts unseeded, so every run would repeat the same keys and
        -- meet 409 Conflict from the second run on), then a distinct one per thread.
        math.randomseed(os.time())
        function setup(thread) thread:set("seed", math.random(1, 1000000000)) end
        function init(args) math.randomseed(seed or os.time()) end
        request = function()
          counter = counter + 1
          local body = string.format('{"PartitionKey":"%d-{{bucket.ToString("D7", CultureInfo.InvariantCulture)}}","RowKey":"a%d_%d_%d","ClientId":"bench-client","Scope":2,"IssuedAt":"2026-01-01T00:00:00Z","IssuedAt@odata.type":"Edm.DateTime","ExpiresAt":"2027-01-01T00:00:00Z","ExpiresAt@odata.type":"Edm.DateTime"}', counter % 16, math.random(1, 1000000000), counter, math.random(1, 1000000000))
          return wrk.format("POST", path, headers, body)
        end
        """;

    /// <summary>A point read of one row (SAS-signed), as introspection reads a token.</summary>
    public static string Read() => """
        wrk.method = "GET"
        wrk.headers["Accept"] = "application/json;odata=nometadata"
        wrk.headers["x-ms-version"] = "2021-08-06"
        """;

    private static string Form(string path, string? authorization, string body)
    {
        var script = new StringBuilder()
            .AppendLine("wrk.method = \"POST\"")
            .AppendLine(CultureInfo.InvariantCulture, $"wrk.path = \"{path}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"wrk.body = \"{body}\"")
            .AppendLine("wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"");
        if (authorization is not null)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"wrk.headers[\"Authorization\"] = \"{authorization}\"");
        }

        return script.ToString();
    }
}
