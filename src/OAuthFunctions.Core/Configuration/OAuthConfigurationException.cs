namespace OAuthFunctions.Core.Configuration;

/// <summary>A missing or malformed setting; the message names the setting and says what is expected.</summary>
public sealed class OAuthConfigurationException : Exception
{
    public OAuthConfigurationException()
    {
    }

    public OAuthConfigurationException(string message)
        : base(message)
    {
    }

    public OAuthConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A message for a bad value of <c>OAuth__{name}</c>, which never echoes the value itself.</summary>
    internal static OAuthConfigurationException Invalid(string name, string expected) =>
        new($"The setting OAuth__{name} (configuration key {OAuthOptions.SectionName}:{name}) is invalid: expected {expected}.");
}
