using System.CommandLine;
using PlatformCtl;

// Each module's issue adds its command group here; the groups live in Commands/<Area>Commands.cs.
RootCommand root = new("platformctl: the Platform SDK command line (charts, schemas, releases, logs, environments).");
root.Subcommands.Add(ValuesCommands.Create());
root.Subcommands.Add(ReleasesCommands.Create());
root.Subcommands.Add(EmulatorCommands.Create());
root.Subcommands.Add(LogsCommands.Create());
root.Subcommands.Add(SchemaCommands.Create());
root.Subcommands.Add(DemoCommands.Create());

return await Cli.RunAsync(root, args).ConfigureAwait(false);
