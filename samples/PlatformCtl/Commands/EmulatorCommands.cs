using System.CommandLine;
using System.Runtime.InteropServices;
using Platform.Kubernetes.Emulator;

namespace PlatformCtl;

/// <summary><c>platformctl emulator</c>: runs the in-memory Kubernetes API server until stopped.</summary>
internal static class EmulatorCommands
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "HTTPS port on 127.0.0.1 (0 picks a free port).", DefaultValueFactory = _ => 0 };
        var httpPort = new Option<int>("--http-port") { Description = "Plain HTTP port on 127.0.0.1 (0 picks a free port).", DefaultValueFactory = _ => 0 };
        var kubeconfig = new Option<string?>("--kubeconfig-out") { Description = "Where to write the kubeconfig (default: a file in the temp directory)." };
        var seed = new Option<string?>("--seed") { Description = "A directory (or file) of YAML/JSON manifests to load at start." };
        var token = new Option<string?>("--token") { Description = "The bearer token clients must send (default: random)." };
        var clientCert = new Option<bool>("--client-cert") { Description = "Write a kubeconfig that authenticates with a client certificate instead of the token." };
        foreach (var option in new[] { port, httpPort })
        {
            option.Validators.Add(result =>
            {
                int value = result.GetValueOrDefault<int>();
                if (value is < 0 or > 65535)
                {
                    result.AddError($"{result.Option.Name} must be between 0 and 65535 (got {value}).");
                }
            });
        }

        var command = new Command("emulator", "Run an in-memory Kubernetes API server on 127.0.0.1 (HTTPS and HTTP) that kubectl accepts; Ctrl+C stops it.")
        {
            port, httpPort, kubeconfig, seed, token, clientCert,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            string? tokenValue = parse.GetValue(token);
            if (tokenValue is { Length: 0 })
            {
                throw new UsageException("--token must not be empty.");
            }

            var options = new EmulatorOptions
            {
                HttpsPort = parse.GetValue(port),
                HttpPort = parse.GetValue(httpPort),
                Token = tokenValue,
            };

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using PosixSignalRegistration? sigterm = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

            await using KubernetesEmulator emulator = await KubernetesEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(seed) is string seedPath)
            {
                int count = await emulator.SeedDirectoryAsync(seedPath, cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine($"Seeded {count} objects from {seedPath}.");
            }

            string path = parse.GetValue(kubeconfig) ?? Path.Combine(Path.GetTempPath(), $"platform-emulator-{Environment.ProcessId}.kubeconfig");
            path = Path.GetFullPath(path);
            await emulator.WriteKubeconfigAsync(path, parse.GetValue(clientCert) ? KubeconfigCredentials.ClientCertificate : KubeconfigCredentials.Token, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine("kubeconfig " + path);
            if (emulator.HttpEndpoint is Uri http)
            {
                Console.Out.WriteLine("http " + http.GetLeftPart(UriPartial.Authority));
            }

            Console.Out.WriteLine("ready " + emulator.HttpsEndpoint.GetLeftPart(UriPartial.Authority));
            Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stop serving and exit 0.
            }

            return Cli.Success;
        });
        return command;
    }
}
