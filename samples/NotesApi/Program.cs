using System.Collections.Concurrent;
using System.Security.Claims;
using OAuthFunctions.ResourceServer;

// A notes API for the people who sign in at the OAuthFunctions server. Reading needs the scope "read", writing
// "write"; each person sees their own notes. Settings (section "OAuthFunctions", e.g. OAuthFunctions__Authority in
// the environment): Authority, ClientId, ClientSecret of the API's own confidential client.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAuthentication()
    .AddOAuthFunctionsIntrospection(options => builder.Configuration.GetSection("OAuthFunctions").Bind(options));
builder.Services.AddAuthorization(options =>
{
    options.AddPolicy("read", policy => policy.RequireScope("read"));
    options.AddPolicy("write", policy => policy.RequireScope("write"));
});

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

var notes = new ConcurrentDictionary<string, ConcurrentQueue<string>>(StringComparer.Ordinal);

app.MapGet("/", () => "Notes API: GET /notes (scope read), POST /notes (scope write).");

app.MapGet("/notes", (ClaimsPrincipal user) => new
{
    owner = user.Identity?.Name ?? user.FindFirstValue(OAuthFunctionsClaimTypes.ClientId),
    notes = notes.TryGetValue(Owner(user), out var mine) ? mine.ToArray() : [],
}).RequireAuthorization("read");

app.MapPost("/notes", (ClaimsPrincipal user, NewNote note) =>
{
    if (string.IsNullOrWhiteSpace(note.Text) || note.Text.Length > 1000)
    {
        return Results.BadRequest(new { error = "A note is 1 to 1000 characters." });
    }

    notes.GetOrAdd(Owner(user), _ => new ConcurrentQueue<string>()).Enqueue(note.Text);
    return Results.Created("/notes", note);
}).RequireAuthorization("write");

app.Run();

// The subject: the person's stable id, or the client's id for a service using client_credentials.
static string Owner(ClaimsPrincipal user) => user.FindFirstValue(OAuthFunctionsClaimTypes.Subject)!;

internal sealed record NewNote(string Text);
