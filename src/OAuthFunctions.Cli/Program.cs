using OAuthFunctions.Cli;

return await OAuthCtl.RunAsync(args, CliConsole.System, environment: null);
