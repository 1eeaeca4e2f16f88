using System.CommandLine;
using Platform.Abstractions;

namespace PlatformCtl;

/// <summary>The command-line contract of DESIGN.md: exit codes and the one-line <c>Error:</c> format.</summary>
internal static class Cli
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Invalid = 3;

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine("Error: " + OneLine(error.Message));
            }

            Console.Error.WriteLine("Run 'platformctl --help' for usage.");
            return Usage;
        }

        using CancellationTokenSource cts = new();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cts.Token).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine("Error: " + OneLine(ex.Message));
            return Usage;
        }
        catch (PlatformException ex)
        {
            Console.Error.WriteLine("Error: " + OneLine(ex.Message));
            return Failure;
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine("Error: " + OneLine(ex.Message));
            return Failure;
        }
        catch (UnauthorizedAccessException ex)
        {
            Console.Error.WriteLine("Error: " + OneLine(ex.Message));
            return Failure;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return Failure;
        }
    }

    /// <summary>Folds a message onto one line: the contract is one <c>Error:</c> line per failure.</summary>
    public static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();

    public static void Warn(string message)
    {
        string text = OneLine(message);
        if (text.StartsWith("warning: ", StringComparison.OrdinalIgnoreCase))
        {
            text = text["warning: ".Length..];
        }

        Console.Error.WriteLine("Warning: " + text);
    }
}

/// <summary>A usage error found after parsing (for example two options that exclude each other): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
