using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using OAuthFunctions.Core.Configuration;
using OAuthFunctions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
try
{
    builder.Services.AddOAuthServer(builder.Configuration);
}
catch (OAuthConfigurationException ex)
{
    // A malformed setting is not a crash: one line that names it (the host logs the worker's stderr), then exit 1.
    return StartupFailure.Report(ex, StartupFailure.Verbose(args, builder.Configuration), Console.Error);
}

builder.Build().Run();
return 0;
