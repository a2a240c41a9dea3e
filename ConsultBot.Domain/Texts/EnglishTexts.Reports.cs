using System.Globalization;
using ConsultBot.Domain.Reports;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    public string MenuReport => "📊 Report";

    public string ReportChooseMonth =>
        "The activity report of students and teachers for a month, as a CSV file for Excel. Pick a month or type, for example, /report 11.2026.";

    public string ReportMonthName(ReportMonth month) =>
        CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month.Month) + " " + month.Year.ToString(CultureInfo.InvariantCulture);

    public string ReportSoFarButton(ReportMonth month) => ReportMonthName(month) + " (so far)";

    public string ReportMonthInvalid(string typed) =>
        $"I could not read the month \"{(typed.Length <= 40 ? typed : typed[..39] + "…")}\". Type a month and a year, e.g. /report 11.2026, /report 2026-11 or /report November 2026. Months go from 1 to 12.";

    public string ReportMonthInFuture(ReportMonth month) =>
        $"{ReportMonthName(month)} has not begun yet: reports are for past months and for the current one (so far). Nothing was sent.";

    public string ReportBadMonthKey(string given) =>
        $"The month \"{(given.Length <= 40 ? given : given[..39] + "…")}\" is not of the form yyyy-MM with a month from 01 to 12, e.g. /reports/activity/2026-11.csv.";

    public string ReportMonthNotBegun(ReportMonth month) =>
        $"{ReportMonthName(month)} has not begun yet: reports are for past months and for the current one.";

    public string ReportCaption(ReportMonth month, int students, int teachers, bool soFar) =>
        $"Activity report for {ReportMonthName(month)}" + (soFar ? " (the month is not over: figures as of today)" : string.Empty)
        + $": {students} students, {teachers} teachers. Open the file in Excel.";

    public string MonthlyReportCaption(ReportMonth month, int students, int teachers) =>
        $"Monthly activity report for {ReportMonthName(month)}: {students} students, {teachers} teachers. Another month: /report.";

    public IReadOnlyList<string> ReportHeader { get; } =
    [
        "Role", "Full name", "Class / association", "Days active", "Messages", "Questions asked", "Questions answered",
        "Median answer time, h", "Consultations booked", "Consultations held", "Consultations attended", "Consultations missed",
        "Materials posted",
    ];

    public string ReportRoleName(ReportRole role) => role switch
    {
        ReportRole.Teacher => "teacher",
        ReportRole.Admin => "administrator",
        _ => "student",
    };

    public string ReportForgottenName => "(data erased)";
}
