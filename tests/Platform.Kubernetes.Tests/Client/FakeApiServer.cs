using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Platform.Kubernetes.Tests.Client;

/// <summary>One request as the fake API server saw it.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    string? Authorization,
    string? ContentType,
    string Body,
    string? ClientCertificateSubject);

/// <summary>
/// A Kestrel server on 127.0.0.1:0 that answers with scripted responses (recorded API-server bodies, faults).
/// HTTPS with a certificate from <see cref="TestCertificates"/>; client certificates are accepted and verified against the test CA.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _count;

    private FakeApiServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Gets or sets the handler; the int is the 0-based index of the request.</summary>
    public Func<HttpContext, int, Task> Handler { get; set; } = (ctx, _) => Json(ctx, 404, Statuses.NotFound("x", "secrets"));

    public static async Task<FakeApiServer> StartAsync(bool https = true, bool requireClientCertificate = false, TestCertificates? certs = null)
    {
        certs ??= TestCertificates.Shared;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                if (https)
                {
                    listen.UseHttps(o =>
                    {
                        o.ServerCertificate = certs.ServerPfx;
                        o.ClientCertificateMode = requireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.AllowCertificate;
                        o.ClientCertificateValidation = (cert, _, _) => VerifiedByCa(cert, certs.Ca);
                    });
                }
            });
        });
        var app = builder.Build();
        FakeApiServer? server = null;
        app.Run(async ctx =>
        {
            ctx.Request.EnableBuffering();
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8, leaveOpen: true);
            var body = await reader.ReadToEndAsync();
            var index = Interlocked.Increment(ref server!._count) - 1;
            server.Requests.Enqueue(new RecordedRequest(
                ctx.Request.Method,
                ctx.Request.Path.Value ?? "",
                ctx.Request.QueryString.Value ?? "",
                ctx.Request.Headers.Authorization.FirstOrDefault(),
                ctx.Request.ContentType,
                body,
                ctx.Connection.ClientCertificate?.Subject));
            await server.Handler(ctx, index);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeApiServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return server;
    }

    public static async Task Json(HttpContext ctx, int status, string json, Action<HttpResponse>? headers = null)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        headers?.Invoke(ctx.Response);
        await ctx.Response.WriteAsync(json);
    }

    public RecordedRequest[] Snapshot() => Requests.ToArray();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool VerifiedByCa(X509Certificate2 cert, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }
}
