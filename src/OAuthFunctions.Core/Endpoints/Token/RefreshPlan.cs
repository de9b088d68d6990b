namespace OAuthFunctions.Core.Endpoints.Token;

/// <summary>What a refresh token to be minted looks like: its scope, and the shard of its rotation family (null = any).</summary>
public sealed record RefreshPlan(int Scope, int? Shard = null);
