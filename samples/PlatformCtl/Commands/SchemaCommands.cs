using System.CommandLine;

namespace PlatformCtl;

/// <summary><c>platformctl schema …</c>: JSON Schema validation and deploy forms.</summary>
internal static class SchemaCommands
{
    public static Command Create()
    {
        var schema = new Command("schema", "Validate values against JSON Schemas and build deploy forms from chart schemas.");
        schema.Subcommands.Add(SchemaValidateCommand.Create());
        schema.Subcommands.Add(SchemaFormCommand.Create());
        return schema;
    }
}
