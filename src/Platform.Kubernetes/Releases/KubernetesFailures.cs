using System.Net;
using System.Text.Json.Nodes;
using Platform.Kubernetes.Client;

namespace Platform.Kubernetes.Releases;

/// <summary>Reads the HTTP status and <c>Retry-After</c> of a failed Kubernetes call for the release stores and the catalog.</summary>
internal static class KubernetesFailures
{
    public const int NotFound = 404;
    public const int Conflict = 409;
    public const int Gone = 410;

    public static int? CodeOf(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case KubernetesException k:
                    return (int)k.StatusCode;
                case HttpRequestException { StatusCode: HttpStatusCode status }:
                    return (int)status;
            }
        }

        return null;
    }

    public static TimeSpan? RetryAfterOf(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is KubernetesException { RetryAfter: TimeSpan retryAfter })
            {
                return retryAfter;
            }
        }

        return null;
    }

    /// <summary>Reads the <c>code</c> of a Kubernetes <c>Status</c> object (a watch <c>ERROR</c> event).</summary>
    public static int? CodeOfStatus(JsonObject status) =>
        status["code"] is JsonValue v && v.TryGetValue(out int code) ? code : null;
}
