using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Releases;

/// <summary>
/// Reads the HTTP status (and <c>Retry-After</c>) of a failed Kubernetes call, whatever exception type carries it:
/// <see cref="HttpRequestException.StatusCode"/>, or a public <c>StatusCode</c>/<c>Code</c> and <c>RetryAfter</c> property
/// of the client's exception hierarchy.
/// </summary>
internal static class KubernetesStatus
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo? Code, PropertyInfo? RetryAfter)> Properties = new();

    public const int NotFound = 404;
    public const int Conflict = 409;
    public const int Gone = 410;
    public const int TooManyRequests = 429;

    public static int? CodeOf(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: HttpStatusCode status })
            {
                return (int)status;
            }

            var (code, _) = Properties.GetOrAdd(e.GetType(), Inspect);
            object? value = code?.GetValue(e);
            switch (value)
            {
                case int i:
                    return i;
                case HttpStatusCode h:
                    return (int)h;
            }
        }

        return null;
    }

    public static TimeSpan? RetryAfterOf(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            var (_, retryAfter) = Properties.GetOrAdd(e.GetType(), Inspect);
            if (retryAfter?.GetValue(e) is TimeSpan span)
            {
                return span;
            }
        }

        return null;
    }

    /// <summary>Reads the <c>code</c> of a Kubernetes <c>Status</c> object (a watch <c>ERROR</c> event).</summary>
    public static int? CodeOfStatus(JsonObject status) =>
        status["code"] is JsonValue v && v.TryGetValue(out int code) ? code : null;

    private static (PropertyInfo? Code, PropertyInfo? RetryAfter) Inspect(Type type)
    {
        PropertyInfo? code = type.GetProperty("StatusCode", BindingFlags.Public | BindingFlags.Instance) ?? type.GetProperty("Code", BindingFlags.Public | BindingFlags.Instance);
        if (code is not null && code.PropertyType != typeof(int) && code.PropertyType != typeof(int?) && code.PropertyType != typeof(HttpStatusCode) && code.PropertyType != typeof(HttpStatusCode?))
        {
            code = null;
        }

        PropertyInfo? retryAfter = type.GetProperty("RetryAfter", BindingFlags.Public | BindingFlags.Instance);
        if (retryAfter is not null && retryAfter.PropertyType != typeof(TimeSpan) && retryAfter.PropertyType != typeof(TimeSpan?))
        {
            retryAfter = null;
        }

        return (code, retryAfter);
    }
}
