using System.Text.Json.Nodes;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

/// <summary>A request failure carrying the Kubernetes <c>Status</c> object the real API server sends for it.</summary>
internal sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public JsonObject? Details { get; }

    /// <summary>Gets the seconds a client should wait, for 429 and 5xx answers.</summary>
    public int? RetryAfterSeconds { get; init; }

    public JsonObject ToStatus() => Status(Code, Reason, Message, Details);

    public static JsonObject Status(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    private static JsonObject NameDetails(ResourceInfo info, string name)
    {
        var details = new JsonObject { ["name"] = name };
        if (info.Type.Group.Length > 0)
        {
            details["group"] = info.Type.Group;
        }

        details["kind"] = info.Type.Plural;
        return details;
    }

    public static ApiException NotFound(ResourceInfo info, string name) =>
        new(404, "NotFound", $"{info.GroupResource} \"{name}\" not found", NameDetails(info, name));

    public static ApiException NamespaceNotFound(string name) =>
        new(404, "NotFound", $"namespaces \"{name}\" not found", new JsonObject { ["name"] = name, ["kind"] = "namespaces" });

    public static ApiException AlreadyExists(ResourceInfo info, string name) =>
        new(409, "AlreadyExists", $"{info.GroupResource} \"{name}\" already exists", NameDetails(info, name));

    public static ApiException Conflict(ResourceInfo info, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {info.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", NameDetails(info, name));

    public static ApiException ConflictPrecondition(ResourceInfo info, string name, string what) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {info.GroupResource} \"{name}\": {what}", NameDetails(info, name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Invalid(ResourceInfo info, string name, string field, string causeReason, string detail)
    {
        var details = new JsonObject { ["name"] = name };
        if (info.Type.Group.Length > 0)
        {
            details["group"] = info.Type.Group;
        }

        details["kind"] = info.Kind;
        details["causes"] = new JsonArray(new JsonObject { ["reason"] = causeReason, ["message"] = detail, ["field"] = field });
        return new ApiException(422, "Invalid", $"{info.Kind} \"{name}\" is invalid: {field}: {detail}", details);
    }

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException ResourceNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiException MethodNotAllowed(string method) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource", new JsonObject());

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");
}
