using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace OAuthFunctions.LocalHost;

/// <summary>
/// Calls a function method as the isolated worker does: a new instance of its class from DI per invocation, and
/// the parameters it binds here (the HTTP request, the timer info, the cancellation token; no FunctionContext).
/// </summary>
internal static class FunctionInvoker
{
    public static async Task InvokeHttpAsync(HttpFunction function, HttpContext context)
    {
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(context.RequestServices, function.Class);
        var arguments = Bind(function.Method, context.Request, timer: null, context.RequestAborted);
        var result = await (Task<IActionResult>)function.Method.Invoke(instance, arguments)!;
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    public static async Task InvokeTimerAsync(TimerFunction function, IServiceProvider services, TimerInfo timer, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Class);
        await (Task)function.Method.Invoke(instance, Bind(function.Method, request: null, timer, cancellationToken))!;
    }

    /// <summary>Fails at start-up, not at the first call, for a signature this host cannot bind.</summary>
    public static void EnsureBindable(MethodInfo method)
    {
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.ParameterType != typeof(HttpRequest) && parameter.ParameterType != typeof(TimerInfo)
                && parameter.ParameterType != typeof(CancellationToken) && parameter.ParameterType != typeof(FunctionContext))
            {
                throw new InvalidOperationException($"The local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}) of {method.DeclaringType?.Name}.{method.Name}.");
            }
        }
    }

    private static object?[] Bind(MethodInfo method, HttpRequest? request, TimerInfo? timer, CancellationToken cancellationToken) =>
        [.. method.GetParameters().Select(parameter => parameter.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => request,
            var t when t == typeof(TimerInfo) => timer,

            // There is no Functions host in front of this one: the request is the client's own, with no invocation context.
            var t when t == typeof(FunctionContext) => null,
            _ => (object)cancellationToken,
        })];
}
