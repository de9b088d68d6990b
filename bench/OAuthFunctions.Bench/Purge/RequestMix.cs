namespace OAuthFunctions.Bench.Purge;

/// <summary>Storage requests by kind, from the request counter's "METHOD path" lines.</summary>
internal readonly record struct RequestMix(int Queries, int Batches, int Other)
{
    public int Total => Queries + Batches + Other;

    public static RequestMix Of(IEnumerable<string> requests)
    {
        int queries = 0, batches = 0, other = 0;
        foreach (var request in requests)
        {
            // A query names no row: "GET /{table}()"; an entity-group transaction posts to "/$batch".
            if (request.StartsWith("GET ", StringComparison.Ordinal) && request.EndsWith("()", StringComparison.Ordinal))
            {
                queries++;
            }
            else if (request.Contains("$batch", StringComparison.Ordinal))
            {
                batches++;
            }
            else
            {
                other++;
            }
        }

        return new RequestMix(queries, batches, other);
    }

    public override string ToString() => $"{Total} ({Queries} q + {Batches} b{(Other > 0 ? $" + {Other} other" : string.Empty)})";
}
