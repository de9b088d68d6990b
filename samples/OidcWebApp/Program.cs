using OidcWebApp;

// dotnet run --project samples/OidcWebApp -- --Oidc:Authority=http://127.0.0.1:7071 --Oidc:ClientId=… --Oidc:ClientSecret=…
await SampleApp.Build(args).RunAsync();
