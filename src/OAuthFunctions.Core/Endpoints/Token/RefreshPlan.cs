namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>What a refresh token to be minted looks like: its scope, and the family it continues (null = a new family).</summary>
public sealed record RefreshPlan(int Scope, string? FamilyId = null);
