namespace OAuthFunctions.ResourceServer;

/// <summary>Default names.</summary>
public static class OAuthFunctionsIntrospectionDefaults
{
    /// <summary>The authentication scheme <c>AddOAuthFunctionsIntrospection</c> registers unless given another name.</summary>
    public const string AuthenticationScheme = "OAuthFunctions";
}
