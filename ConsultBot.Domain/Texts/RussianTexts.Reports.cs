using System.Globalization;
using ConsultBot.Domain.Reports;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    // "Отчёт за ноябрь": the accusative of a month's name is its nominative.
    private static readonly string[] MonthNames =
        ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"];

    public string MenuReport => "📊 Отчёт";

    public string ReportChooseMonth =>
        "Отчёт об активности учеников и учителей за месяц — файл CSV для Excel. Выберите месяц или напишите, например, /report 11.2026.";

    public string ReportMonthName(ReportMonth month) =>
        char.ToUpper(MonthNames[month.Month - 1][0], CultureInfo.InvariantCulture) + MonthNames[month.Month - 1][1..] + " "
        + month.Year.ToString(CultureInfo.InvariantCulture);

    public string ReportSoFarButton(ReportMonth month) => ReportMonthName(month) + " (пока)";

    public string ReportMonthInvalid(string typed) =>
        $"Не понял месяц «{Shorten(typed)}». Напишите месяц и год, например: /report 11.2026, /report 2026-11 или /report ноябрь 2026. Месяцы — от 1 до 12.";

    public string ReportMonthInFuture(ReportMonth month) =>
        $"{ReportMonthName(month)} ещё не наступил: отчёт бывает за прошедшие месяцы и за текущий (на сегодня). Ничего не отправлено.";

    public string ReportBadMonthKey(string given) =>
        $"Месяц «{Shorten(given)}» не распознан: нужен вид ГГГГ-ММ с месяцем от 01 до 12, например /reports/activity/2026-11.csv.";

    public string ReportMonthNotBegun(ReportMonth month) =>
        $"{ReportMonthName(month)} ещё не наступил: отчёт бывает за прошедшие месяцы и за текущий.";

    public string ReportCaption(ReportMonth month, int students, int teachers, bool soFar) =>
        $"Отчёт об активности за {MonthNames[month.Month - 1]} {month.Year.ToString(CultureInfo.InvariantCulture)}"
        + (soFar ? " (месяц ещё идёт, данные на сегодня)" : string.Empty)
        + $": учеников — {students}, учителей — {teachers}. Откройте файл в Excel.";

    public string MonthlyReportCaption(ReportMonth month, int students, int teachers) =>
        $"Ежемесячный отчёт об активности за {MonthNames[month.Month - 1]} {month.Year.ToString(CultureInfo.InvariantCulture)}: "
        + $"учеников — {students}, учителей — {teachers}. Другой месяц — команда /report.";

    public IReadOnlyList<string> ReportHeader { get; } =
    [
        "Роль", "ФИО", "Класс / объединение", "Дней активности", "Сообщений", "Вопросов задано", "Вопросов отвечено",
        "Медиана ответа, ч", "Консультаций: записей", "Консультаций: проведено", "Консультаций: посещено", "Консультаций: пропущено",
        "Материалов опубликовано",
    ];

    public string ReportRoleName(ReportRole role) => role switch
    {
        ReportRole.Teacher => "учитель",
        ReportRole.Admin => "администратор",
        _ => "ученик",
    };

    public string ReportForgottenName => "(данные удалены)";

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..39] + "…";
}
