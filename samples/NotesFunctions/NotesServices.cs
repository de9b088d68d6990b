using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OAuthFunctions.ResourceServer;

namespace NotesFunctions;

/// <summary>What the app registers (its tests register the same).</summary>
internal static class NotesServices
{
    /// <summary>
    /// The token validator, set from the section "OAuthFunctions" (app settings <c>OAuthFunctions__Authority</c>,
    /// <c>OAuthFunctions__ClientId</c>, <c>OAuthFunctions__ClientSecret</c>: the API's own confidential client).
    /// </summary>
    public static IServiceCollection AddNotes(this IServiceCollection services, IConfiguration configuration) =>
        services.AddOAuthFunctionsTokenValidator(options => configuration.GetSection("OAuthFunctions").Bind(options));
}
