using System.Reflection;

namespace OAuthFunctions.LocalHost;

/// <summary>A timer-triggered function: its schedule expression (possibly a <c>%setting%</c>) and the method to call.</summary>
public sealed record TimerFunction(string Name, string Schedule, bool RunOnStartup, Type Class, MethodInfo Method);
