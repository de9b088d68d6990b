namespace OAuthFunctions.Tests.Consuming.Support;

/// <summary>
/// The API's way to the server, watched: counts the introspection calls, and can stand for a server that refuses
/// connections (the same <see cref="HttpRequestException"/> a closed port gives) and then comes back.
/// </summary>
internal sealed class IntrospectionCounter() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _introspections;

    public int Introspections => Volatile.Read(ref _introspections);

    public bool Down { get; set; }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Down)
        {
            throw new HttpRequestException("Connection refused (127.0.0.1)", null, System.Net.HttpStatusCode.ServiceUnavailable);
        }

        if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/oauth2/introspect")
        {
            Interlocked.Increment(ref _introspections);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
