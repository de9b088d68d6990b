using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using NotesFunctions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Two ways shown side by side: NotesFunction calls the validator itself; ProfileFunction is guarded by the middleware.
builder.UseMiddleware<BearerTokenMiddleware>();
builder.Services.AddNotes(builder.Configuration);
builder.Build().Run();
