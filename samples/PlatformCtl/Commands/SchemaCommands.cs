using System.CommandLine;

namespace PlatformCtl;

/// <summary><c>platformctl schema …</c>: JSON Schema validation and deploy forms.</summary>
internal static class SchemaCommands
{
    public static Command Create()
    {
        var schema = new Command("schema", "Validate values against chart schemas and build deploy forms.");
        schema.Subcommands.Add(SchemaFormCommand.Create());
        return schema;
    }
}
