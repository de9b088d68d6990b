namespace OAuthFunctions.Core.Clients;

/// <summary>Why a registration is refused: the rule it breaks and one line that says so.</summary>
public sealed record RegistrationRefusal(RegistrationRule Rule, string Message);
