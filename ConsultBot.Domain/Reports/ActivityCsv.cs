using System.Globalization;
using System.Text;
using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Reports;

/// <summary>
/// The report as Excel opens it: UTF-8 with a byte order mark, <c>;</c> between fields, RFC 4180 quoting (a field with
/// <c>;</c>, a quote, CR or LF is quoted, quotes doubled), CRLF line ends, the header in the reader's language, whole
/// numbers without thousands separators, hours with a decimal comma in Russian (Excel-ru) and a dot in English.
/// </summary>
public static class ActivityCsv
{
    public const char Separator = ';';
    private static readonly UTF8Encoding Utf8WithBom = new(encoderShouldEmitUTF8Identifier: true);

    public static string FileName(ReportMonth month) => $"activity-{month.Key}.csv";

    public static byte[] Render(IReadOnlyList<ActivityRow> rows, Language language)
    {
        var t = TextCatalog.For(language);
        var number = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        number.NumberDecimalSeparator = language == Language.En ? "." : ",";
        var sb = new StringBuilder();
        AppendLine(sb, t.ReportHeader);
        foreach (var row in rows)
        {
            AppendLine(sb,
            [
                t.ReportRoleName(row.Role),
                row.FullName ?? t.ReportForgottenName,
                row.Unit ?? string.Empty,
                Whole(row.DaysActive),
                Whole(row.Messages),
                Whole(row.QuestionsAsked),
                Whole(row.QuestionsAnswered),
                row.MedianAnswerHours is { } hours ? Math.Round(hours, 1, MidpointRounding.AwayFromZero).ToString("0.0", number) : string.Empty,
                Whole(row.Booked),
                row.Held is { } held ? Whole(held) : string.Empty,
                Whole(row.Attended),
                Whole(row.Missed),
                row.Materials is { } materials ? Whole(materials) : string.Empty,
            ]);
        }
        var preamble = Utf8WithBom.GetPreamble();
        var body = Utf8WithBom.GetBytes(sb.ToString());
        return [.. preamble, .. body];
    }

    /// <summary>
    /// One field: quoted when it holds the separator, a quote, CR or LF. A field that Excel would run as a formula
    /// (starting with = + - @, a tab or CR) gets a leading apostrophe: names are typed by users.
    /// </summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Whole(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void AppendLine(StringBuilder sb, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(Separator);
            }
            sb.Append(Field(fields[i]));
        }
        sb.Append("\r\n");
    }
}
