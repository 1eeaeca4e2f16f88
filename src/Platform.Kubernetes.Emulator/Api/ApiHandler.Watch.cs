using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Platform.Kubernetes.Emulator.Storage;

namespace Platform.Kubernetes.Emulator.Api;

internal sealed partial class ApiHandler
{
    private static readonly byte[] FrameEnd = "}\n"u8.ToArray();

    /// <summary>
    /// Serves a watch: newline-delimited JSON frames <c>{"type":…,"object":…}</c>, flushed one by one. Without a
    /// resource version (or with <c>0</c>) the current objects come first as ADDED; with one, the history after it
    /// (an ERROR frame with a 410 <c>Expired</c> Status when compacted). Bookmarks, <c>timeoutSeconds</c>,
    /// <c>sendInitialEvents</c> and selectors (objects leaving a selector are reported DELETED) are honoured.
    /// </summary>
    private async Task WatchAsync(HttpContext context, ResourceInfo type, string? ns, int? dropAfter)
    {
        IQueryCollection query = context.Request.Query;
        Func<StoredObject, bool>? labels = Selectors.ParseLabels(query["labelSelector"]);
        Func<StoredObject, bool>? fields = Selectors.ParseFields(query["fieldSelector"], type);
        bool Matches(StoredObject o) => (labels?.Invoke(o) ?? true) && (fields?.Invoke(o) ?? true);
        bool bookmarks = IsTrue(query["allowWatchBookmarks"]);
        string? rvParam = query["resourceVersion"];
        string? sendInitialParam = query["sendInitialEvents"];
        bool? sendInitial = string.IsNullOrEmpty(sendInitialParam) ? null : IsTrue(sendInitialParam);

        TimeSpan timeout = _options.DefaultWatchTimeout;
        if (!string.IsNullOrEmpty(query["timeoutSeconds"]))
        {
            if (!long.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out long seconds))
            {
                throw ApiException.BadRequest($"invalid timeoutSeconds: {query["timeoutSeconds"]}");
            }

            timeout = TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(1).TotalSeconds));
        }

        long? from = null;
        bool initial;
        if (sendInitial == true)
        {
            if (query["resourceVersionMatch"] != "NotOlderThan" || !bookmarks)
            {
                throw new ApiException(422, "Invalid", "sendInitialEvents requires resourceVersionMatch=NotOlderThan and allowWatchBookmarks=true", new JsonObject());
            }

            initial = true;
        }
        else if (string.IsNullOrEmpty(rvParam) || rvParam == "0")
        {
            initial = sendInitial != false;
        }
        else
        {
            if (!long.TryParse(rvParam, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                throw ApiException.BadRequest($"invalid resource version: {rvParam}");
            }

            from = parsed;
            initial = false;
        }

        var (mode, apiVersion) = OutputOf(context.Request);
        string includeObject = query["includeObject"].ToString();
        HttpResponse response = context.Response;
        response.StatusCode = 200;
        response.ContentType = mode == Output.Object ? JsonContentType : OutputContentType(mode, apiVersion);
        response.Headers.CacheControl = "no-cache, private";

        ObjectStore.WatchSubscription subscription;
        try
        {
            subscription = _store.Subscribe(type, ns, from, initial);
        }
        catch (ApiException ex) when (ex.Code == 410)
        {
            // The real server answers an expired watch with 200 and one ERROR frame carrying the 410 Status.
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            await WriteFrameAsync(response, "ERROR", JsonSerializer.SerializeToUtf8Bytes(ex.ToStatus(), StoredObject.Json), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using (subscription)
        {
            await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
            await response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
            using var deadline = new CancellationTokenSource(timeout, _options.TimeProvider);
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token, deadline.Token);
            long lastSent = subscription.StartResourceVersion;
            int sent = 0;
            bool initialEndPending = sendInitial == true;
            if (initial && from is null)
            {
                lastSent = 0;
            }

            try
            {
                while (!ended.IsCancellationRequested)
                {
                    while (subscription.Reader.TryRead(out Change? change))
                    {
                        if (from is long after && change.Object.ResourceVersion <= after)
                        {
                            // A version ahead of the store: nothing up to it is news to this client.
                            continue;
                        }

                        string? eventType = EventType(change, Matches);
                        lastSent = Math.Max(lastSent, change.Object.ResourceVersion);
                        if (eventType is null)
                        {
                            continue;
                        }

                        await WriteFrameAsync(response, eventType, Render(change.Object, mode, apiVersion, includeObject), ended.Token).ConfigureAwait(false);
                        sent++;
                        if (dropAfter is int limit && sent >= limit)
                        {
                            return;
                        }
                    }

                    if (initialEndPending)
                    {
                        initialEndPending = false;
                        lastSent = Math.Max(lastSent, subscription.StartResourceVersion);
                        await WriteFrameAsync(response, "BOOKMARK", Bookmark(type, lastSent, initialEventsEnd: true), ended.Token).ConfigureAwait(false);
                    }

                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(ended.Token);
                    tick.CancelAfter(_options.BookmarkInterval);
                    try
                    {
                        if (!await subscription.Reader.WaitToReadAsync(tick.Token).ConfigureAwait(false))
                        {
                            // The subscription overflowed (a far too slow reader): the server closes the watch.
                            return;
                        }
                    }
                    catch (OperationCanceledException) when (!ended.IsCancellationRequested)
                    {
                        if (bookmarks)
                        {
                            long progress = subscription.Progress;
                            long at = subscription.Reader.Count == 0 ? Math.Max(progress, lastSent) : lastSent;
                            if (at > 0)
                            {
                                await WriteFrameAsync(response, "BOOKMARK", Bookmark(type, at, initialEventsEnd: false), ended.Token).ConfigureAwait(false);
                            }
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !lifetime.IsCancellationRequested)
            {
                // timeoutSeconds elapsed: the watch ends normally.
            }
        }
    }

    /// <summary>Maps a change to the event a filtered watch reports, or null when the watcher does not see it.</summary>
    private static string? EventType(Change change, Func<StoredObject, bool> matches)
    {
        bool now = matches(change.Object);
        bool before = change.Previous is not null && matches(change.Previous);
        return change.Type switch
        {
            ChangeType.Added => now ? "ADDED" : null,
            ChangeType.Deleted => before || now ? "DELETED" : null,
            _ when now && before => "MODIFIED",
            _ when now => "ADDED",
            _ when before => "DELETED",
            _ => null,
        };
    }

    private byte[] Render(StoredObject stored, Output mode, string apiVersion, string includeObject)
    {
        if (mode == Output.Object)
        {
            return stored.Body;
        }

        JsonObject obj = stored.ToJson();
        JsonObject output = mode == Output.Table
            ? Tables.Build(stored.Type, [obj], ListSnapshots.Format(stored.ResourceVersion), null, includeObject, Now, apiVersion)
            : Tables.PartialMetadata(obj);
        return JsonSerializer.SerializeToUtf8Bytes(output, StoredObject.Json);
    }

    private static byte[] Bookmark(ResourceInfo type, long resourceVersion, bool initialEventsEnd)
    {
        var metadata = new JsonObject
        {
            ["resourceVersion"] = ListSnapshots.Format(resourceVersion),
            ["creationTimestamp"] = null,
        };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata }, StoredObject.Json);
    }

    private static async Task WriteFrameAsync(HttpResponse response, string type, byte[] obj, CancellationToken cancellationToken)
    {
        byte[] head = Encoding.UTF8.GetBytes("{\"type\":\"" + type + "\",\"object\":");
        var frame = new byte[head.Length + obj.Length + FrameEnd.Length];
        head.CopyTo(frame, 0);
        obj.CopyTo(frame, head.Length);
        FrameEnd.CopyTo(frame, head.Length + obj.Length);
        await response.Body.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
