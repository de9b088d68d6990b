using OAuthFunctions.Testing;

namespace OAuthFunctions.Bench;

/// <summary>Server settings every benchmark shares: logs go to stderr so that stdout carries the report alone.</summary>
internal static class BenchServer
{
    public static TestServerOptions Quiet(this TestServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options
            .With("Logging:Console:LogToStandardErrorThreshold", "Trace")
            .With("Logging:LogLevel:Default", "Warning")

            // "No XML encryptor configured": expected on development storage, once per server.
            .With("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error")

            // Every revocation of a refresh token logs "Refresh token family revoked" at Warning: thousands of lines here.
            .With("Logging:LogLevel:OAuthFunctions.Storage.Stores.TableTokenStore", "Error");
    }
}
