using ConsultBot.Domain.Reports;

namespace ConsultBot.Domain.Texts;

public partial interface ITexts
{
    string MenuReport { get; }
    string ReportChooseMonth { get; }
    string ReportMonthName(ReportMonth month);
    string ReportSoFarButton(ReportMonth month);
    string ReportMonthInvalid(string typed);
    string ReportMonthInFuture(ReportMonth month);

    /// <summary>The report endpoint's answer to a month not in the form yyyy-MM.</summary>
    string ReportBadMonthKey(string given);

    /// <summary>The report endpoint's answer to a month that has not begun.</summary>
    string ReportMonthNotBegun(ReportMonth month);
    string ReportCaption(ReportMonth month, int students, int teachers, bool soFar);
    string MonthlyReportCaption(ReportMonth month, int students, int teachers);

    /// <summary>The CSV's header row, one entry per column.</summary>
    IReadOnlyList<string> ReportHeader { get; }
    string ReportRoleName(ReportRole role);

    /// <summary>The name cell of a person whose data was erased.</summary>
    string ReportForgottenName { get; }
}
