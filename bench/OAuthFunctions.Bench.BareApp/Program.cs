using System.Globalization;
using System.Runtime;

// The bare ASP.NET Core floor of `bench … -- startup`: one POST endpoint that reads a form and answers a small JSON
// body, with the same phase lines on stderr as the local host (OAUTH_STARTUP_TRACE=1; see StartupTrace there).
Mark("main");
var builder = WebApplication.CreateBuilder(args);
Mark("builder");
var app = builder.Build();
Mark("built");
var first = 0;
app.Use(async (context, next) =>
{
    var isFirst = Interlocked.Exchange(ref first, 1) == 0;
    if (isFirst)
    {
        Mark("first-request");
    }

    await next(context);
    if (isFirst)
    {
        Mark("first-response");
    }
});
app.MapPost("/oauth2/access_token", async (HttpRequest request) =>
{
    var form = await request.ReadFormAsync();
    return form.ContainsKey("grant_type")
        ? Results.Text("""{"access_token":"bare","token_type":"Bearer"}""", "application/json")
        : Results.BadRequest();
});
Mark("mapped");
await app.StartAsync();
Mark("listening");
await app.WaitForShutdownAsync();

static void Mark(string phase)
{
    if (Environment.GetEnvironmentVariable("OAUTH_STARTUP_TRACE") == "1")
    {
        var now = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        var jit = (long)JitInfo.GetCompilationTime(currentThread: false).TotalMicroseconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"startup-trace {phase} {now} {jit} {JitInfo.GetCompiledMethodCount(currentThread: false)}"));
    }
}
