using System.Reflection;

namespace OAuthFunctions.LocalHost;

/// <summary>An HTTP-triggered function: its name, route and methods as in functions.metadata, and the method to call.</summary>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, Type Class, MethodInfo Method);
