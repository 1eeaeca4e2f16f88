namespace Platform.Kubernetes.Tests.Client;

/// <summary>
/// Response bodies as a real kube-apiserver writes them (compact JSON, field order as served). Taken from the
/// Kubernetes API concepts documentation and from captures published with client test suites
/// (e.g. <c>kubectl get --raw '/api/v1/pods?watch=true&amp;resourceVersion=1'</c> against a v1.36 server).
/// </summary>
internal static class Statuses
{
    public const string Token = "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.c2VjcmV0LXRva2VuLXBheWxvYWQ.c2lnbmF0dXJl";

    /// <summary>The in-band watch error a server sends (with HTTP 200) when the requested resource version is compacted.</summary>
    public const string WatchExpired =
        """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (3171407)","reason":"Expired","code":410}}""";

    /// <summary>HTTP 410 body of a paginated list whose continue token expired.</summary>
    public const string ContinueExpired =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.","reason":"Expired","code":410}""";

    public const string Unauthorized =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""";

    public const string ForbiddenSecrets =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\"","reason":"Forbidden","details":{"kind":"secrets"},"code":403}""";

    public const string TooManyRequests =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":1},"code":429}""";

    public const string InternalError =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Internal error occurred: etcdserver: request timed out","reason":"InternalError","details":{"causes":[{"message":"etcdserver: request timed out"}]},"code":500}""";

    public const string InvalidConfigMap =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')","reason":"Invalid","details":{"name":"Bad_Name","kind":"ConfigMap","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')","field":"metadata.name"}]},"code":422}""";

    public static string NotFound(string name, string kind) =>
        $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{kind}} \"{{name}}\" not found","reason":"NotFound","details":{"name":"{{name}}","kind":"{{kind}}"},"code":404}""";

    public static string AlreadyExists(string name, string kind) =>
        $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{kind}} \"{{name}}\" already exists","reason":"AlreadyExists","details":{"name":"{{name}}","kind":"{{kind}}"},"code":409}""";

    public static string Conflict(string name, string kind) =>
        $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on {{kind}} \"{{name}}\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"{{name}}","kind":"{{kind}}"},"code":409}""";

    public static string ConfigMap(string name, string ns, string rv, string data = "v") =>
        $$$"""{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"6f3c1a9e-2b1d-4f7e-9d51-{{{rv.PadLeft(12, '0')}}}","resourceVersion":"{{{rv}}}","creationTimestamp":"2026-11-30T10:00:00Z","labels":{"app":"web"}},"data":{"k":"{{{data}}}"}}""";

    /// <summary>A list page; items carry no kind/apiVersion, as the server writes them.</summary>
    public static string ConfigMapList(string rv, string? continueToken, params (string Name, string Rv)[] items)
    {
        var parts = items.Select(i =>
            $$$"""{"metadata":{"name":"{{{i.Name}}}","namespace":"default","resourceVersion":"{{{i.Rv}}}"},"data":{"k":"v"}}""");
        var cont = continueToken is null ? "" : $$""","continue":"{{continueToken}}" """.TrimEnd();
        return $$"""{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"{{rv}}"{{cont}}},"items":[{{string.Join(",", parts)}}]}""";
    }
}
