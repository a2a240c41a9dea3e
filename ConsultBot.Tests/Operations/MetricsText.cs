using System.Globalization;
using System.Text.RegularExpressions;

namespace ConsultBot.Tests.Operations;

/// <summary>Reads one sample from Prometheus text exposition format.</summary>
internal static partial class MetricsText
{
    /// <summary>
    /// The value of <paramref name="name"/> whose labels include every one given (<c>channel="telegram"</c>); null when
    /// there is no such sample.
    /// </summary>
    public static double? Value(string text, string name, params string[] labels)
    {
        foreach (var line in text.Split('\n'))
        {
            var match = Sample().Match(line);
            if (!match.Success || match.Groups["name"].Value != name)
            {
                continue;
            }
            var labelText = match.Groups["labels"].Value;
            if (labels.All(l => labelText.Contains(l, StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[^ ]+)""")]
    private static partial Regex Sample();
}
