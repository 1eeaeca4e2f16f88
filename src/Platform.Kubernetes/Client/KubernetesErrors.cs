using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Platform.Kubernetes.Client;

/// <summary>Describes one request for messages, logs and retry decisions.</summary>
internal sealed record RequestInfo(HttpMethod Method, string Verb, string PathAndQuery, ResourceType? Type, string? Namespace, string? Name, bool Safe)
{
    public string Describe()
    {
        var sb = new StringBuilder(Verb);
        if (Type is not null)
        {
            sb.Append(' ').Append(Type.Group.Length == 0 ? Type.Plural : Type.Plural + "." + Type.Group);
        }

        if (Name is not null)
        {
            sb.Append(" \"").Append(Name).Append('"');
        }

        if (Namespace is not null)
        {
            sb.Append(" in namespace \"").Append(Namespace).Append('"');
        }

        return sb.ToString();
    }
}

/// <summary>Turns Kubernetes <c>Status</c> answers into the exception hierarchy.</summary>
internal static class KubernetesErrors
{
    public const int MaxMessageChars = 1024;
    public const int MaxErrorBodyBytes = 64 * 1024;

    public static KubernetesException FromStatus(int code, JsonObject? status, string? fallbackText, RequestInfo request, Uri server, TimeSpan? retryAfter, IEnumerable<string> secrets)
    {
        var reason = Str(status, "reason") ?? "";
        var message = Str(status, "message") ?? fallbackText ?? "";
        var causes = new List<string>();
        if (status?["details"] is JsonObject details)
        {
            if (retryAfter is null && details["retryAfterSeconds"] is JsonValue ra && ra.TryGetValue<int>(out var seconds) && seconds > 0)
            {
                retryAfter = TimeSpan.FromSeconds(seconds);
            }

            if (details["causes"] is JsonArray list)
            {
                foreach (var cause in list.OfType<JsonObject>().Take(50))
                {
                    var field = Str(cause, "field");
                    var text = Redact(Str(cause, "message") ?? Str(cause, "reason") ?? "", secrets);
                    causes.Add(field is null ? text : field + ": " + text);
                }
            }
        }

        if (reason.Length == 0)
        {
            reason = DefaultReason(code);
        }

        message = Redact(message.Trim(), secrets);
        if (message.Length > MaxMessageChars)
        {
            message = message[..MaxMessageChars] + "…";
        }

        var facts = new KubernetesStatus(
            code,
            reason,
            message,
            request.Verb,
            request.Type?.Plural,
            request.Name,
            request.Namespace,
            retryAfter,
            causes);
        var text2 = $"{request.Describe()} on {server.GetLeftPart(UriPartial.Authority)} failed: {code} {reason}{(message.Length == 0 ? "" : ": " + message)}";
        return code switch
        {
            401 => new KubernetesUnauthorizedException(text2, facts),
            403 => new KubernetesForbiddenException(text2, facts),
            404 => new KubernetesNotFoundException(text2, facts),
            409 when reason == "AlreadyExists" => new KubernetesAlreadyExistsException(text2, facts),
            409 => new KubernetesConflictException(text2, facts),
            410 => new KubernetesGoneException(text2, facts),
            400 or 422 => new KubernetesInvalidException(text2, facts),
            429 => new KubernetesTooManyRequestsException(text2, facts),
            >= 500 => new KubernetesServerErrorException(text2, facts),
            _ => new KubernetesException(text2, facts),
        };
    }

    public static async Task<KubernetesException> FromResponseAsync(HttpResponseMessage response, RequestInfo request, Uri server, IEnumerable<string> secrets, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        JsonObject? status = null;
        string? text = null;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[MaxErrorBodyBytes];
                var total = 0;
                int n;
                while (total < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += n;
                }

                try
                {
                    status = JsonNode.Parse(buffer.AsSpan(0, total)) as JsonObject;
                }
                catch (JsonException)
                {
                    text = Encoding.UTF8.GetString(buffer, 0, Math.Min(total, 512));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The status code alone still tells what happened.
        }

        if (status is not null && Str(status, "kind") != "Status")
        {
            status = null;
        }

        if (status is null && string.IsNullOrWhiteSpace(text))
        {
            text = response.ReasonPhrase;
        }

        return FromStatus(code, status, text, request, server, RetryAfter(response.Headers), secrets);
    }

    public static TimeSpan? RetryAfter(HttpResponseHeaders headers)
    {
        var value = headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        // Retry-After with a fraction ("1.5") does not parse as RetryConditionHeaderValue.
        if (headers.TryGetValues("Retry-After", out var raw)
            && double.TryParse(raw.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var secs) && secs >= 0)
        {
            return TimeSpan.FromSeconds(secs);
        }

        return null;
    }

    public static string Redact(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length >= 4 && text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static string DefaultReason(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        413 => "RequestEntityTooLarge",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => ((HttpStatusCode)code).ToString(),
    };

    internal static string? Str(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
