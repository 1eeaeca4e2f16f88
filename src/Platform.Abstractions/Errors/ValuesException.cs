namespace Platform.Abstractions;

/// <summary>
/// Reports values input that cannot be used: a values file that does not parse, a <c>--set</c> expression
/// that breaks the grammar, or a values tree whose shape Helm rejects.
/// </summary>
public class ValuesException : PlatformException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message, naming the input and what was expected.</param>
    /// <param name="fileName">The file the input came from, or <see langword="null"/> when it did not come from a file.</param>
    /// <param name="line">The 1-based line in <paramref name="fileName"/>, or <see langword="null"/>.</param>
    /// <param name="column">The 1-based column in <paramref name="fileName"/>, or <see langword="null"/>.</param>
    /// <param name="valuesPath">The dotted values path the error concerns (for example <c>image.tag</c>), or <see langword="null"/>.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public ValuesException(
        string message,
        string? fileName = null,
        int? line = null,
        int? column = null,
        string? valuesPath = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        FileName = fileName;
        Line = line;
        Column = column;
        ValuesPath = valuesPath;
    }

    /// <summary>Gets the file the input came from, or <see langword="null"/>.</summary>
    public string? FileName { get; }

    /// <summary>Gets the 1-based line of the error in <see cref="FileName"/>, or <see langword="null"/>.</summary>
    public int? Line { get; }

    /// <summary>Gets the 1-based column of the error in <see cref="FileName"/>, or <see langword="null"/>.</summary>
    public int? Column { get; }

    /// <summary>Gets the dotted values path the error concerns, or <see langword="null"/>.</summary>
    public string? ValuesPath { get; }
}

/// <summary>
/// Reports a <c>--set</c>, <c>--set-string</c>, <c>--set-json</c>, <c>--set-literal</c> or <c>--set-file</c>
/// expression that cannot be applied.
/// </summary>
public sealed class SetExpressionException : ValuesException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The full message, naming the expression, the position and what was expected.</param>
    /// <param name="expression">The whole expression as given on the command line.</param>
    /// <param name="position">The 0-based character position in <paramref name="expression"/> where parsing stopped.</param>
    /// <param name="valuesPath">The values path being written, when known.</param>
    /// <param name="innerException">The original exception, if any.</param>
    public SetExpressionException(string message, string expression, int position, string? valuesPath = null, Exception? innerException = null)
        : base(message, valuesPath: valuesPath, innerException: innerException)
    {
        Expression = expression;
        Position = position;
    }

    /// <summary>Gets the whole expression as given.</summary>
    public string Expression { get; }

    /// <summary>Gets the 0-based character position where parsing stopped.</summary>
    public int Position { get; }
}
