namespace OAuthFunctions.Storage.Migration;

/// <summary>What an import did (or, in a dry run, would do), per kind, and every record it refused or warned about.</summary>
public sealed class ImportReport
{
    public bool DryRun { get; init; }

    public ImportTally Users { get; } = new();

    public ImportTally Clients { get; } = new();

    public ImportTally AccessTokens { get; } = new();

    public ImportTally RefreshTokens { get; } = new();

    /// <summary>Authorization codes are never imported: they live for minutes.</summary>
    public int GrantsSkipped { get; set; }

    public long Records { get; set; }

    /// <summary>Records not imported, by model and primary key, with the reason (nothing of them was written).</summary>
    public List<ImportNote> Refused { get; } = [];

    /// <summary>Records imported with a caveat the operator should know (an insecure redirect URI, a user imported disabled).</summary>
    public List<ImportNote> Warnings { get; } = [];

    public bool Changed => Users.Written + Clients.Written + AccessTokens.Written + RefreshTokens.Written > 0;
}

/// <summary>Counts of one kind of record.</summary>
public sealed class ImportTally
{
    public int Added { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    /// <summary>Not imported on purpose: expired access tokens, used refresh tokens.</summary>
    public int Skipped { get; set; }

    public int Refused { get; set; }

    public int Written => Added + Updated;
}

/// <summary>A record the import refused or warns about.</summary>
public sealed record ImportNote(string Model, string Pk, string Reason);
