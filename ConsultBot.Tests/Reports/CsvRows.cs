using System.Text;

namespace ConsultBot.Tests.Reports;

/// <summary>
/// Reads the report's CSV back the way Excel does (written here independently of the code under test): a UTF-8 byte
/// order mark, <c>;</c> between fields, RFC 4180 quotes, CRLF line ends.
/// </summary>
internal static class CsvRows
{
    public static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static bool HasBom(byte[] bytes) => bytes.Length >= 3 && bytes.AsSpan(0, 3).SequenceEqual(Bom);

    /// <summary>The rows, header included; throws when the BOM is missing or a line does not end in CRLF.</summary>
    public static List<string[]> Parse(byte[] bytes)
    {
        if (!HasBom(bytes))
        {
            throw new InvalidDataException("no UTF-8 byte order mark");
        }
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ';':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    rows.Add([.. fields]);
                    fields.Clear();
                    i++;
                    break;
                case '\r' or '\n':
                    throw new InvalidDataException($"a bare line break at {i}");
                default:
                    field.Append(c);
                    break;
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            throw new InvalidDataException("the last line does not end in CRLF");
        }
        return rows;
    }
}
