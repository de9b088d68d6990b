namespace OAuthFunctions.Core.Errors;

/// <summary>Either a value or an <see cref="OAuthError"/>; protocol steps return it instead of throwing.</summary>
public readonly struct Result<T>
    where T : class
{
    private Result(T? value, OAuthError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public OAuthError? Error { get; }

    public bool Failed => Error is not null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(OAuthError error) => new(null, error);
}
