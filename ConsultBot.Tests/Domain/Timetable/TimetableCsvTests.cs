using System.Text;
using ConsultBot.Domain.Timetable;

namespace ConsultBot.Tests.Domain.Timetable;

public sealed class TimetableCsvTests
{
    private const string Header = "класс;день;начало;конец;предмет;учитель;кабинет;ссылка\n";
    private const int Max = 2 * 1024 * 1024;

    private static readonly TimetableSettings Term = new() { TermStart = new(2026, 9, 1), TermEnd = new(2026, 9, 30) };

    private static TimetableParse Parse(string text) => TimetableCsv.Parse(Encoding.UTF8.GetBytes(text), Max);

    private static TimetableError Single(TimetableParse parse)
    {
        Assert.False(parse.Ok);
        Assert.Empty(parse.Rows);
        return Assert.Single(parse.Errors);
    }

    [Fact]
    public void Parse_ReadsWeeklyAndDatedRows()
    {
        var parse = Parse(Header + "5А;пн;8:30;9:15;Математика;Иванова Анна;12;\n5А;15.09.2026;14:00;14:45;Экскурсия;;;https://example.org/x\n");

        Assert.True(parse.Ok);
        Assert.Equal(2, parse.Rows.Count);
        var weekly = parse.Rows[0];
        Assert.Equal((2, "5А", DayOfWeek.Monday, new TimeOnly(8, 30), new TimeOnly(9, 15), "Математика", "Иванова Анна", "12", (string?)null),
            (weekly.Line, weekly.Class, weekly.Weekday!.Value, weekly.Start, weekly.End, weekly.Subject, weekly.Teacher, weekly.Room, weekly.Link));
        var once = parse.Rows[1];
        Assert.Equal(new DateOnly(2026, 9, 15), once.Date);
        Assert.Null(once.Weekday);
        Assert.Null(once.Teacher);
        Assert.Equal("https://example.org/x", once.Link);
    }

    [Theory]
    [InlineData("пн", DayOfWeek.Monday)]
    [InlineData("Вс", DayOfWeek.Sunday)]
    [InlineData("Wed", DayOfWeek.Wednesday)]
    [InlineData("friday", DayOfWeek.Friday)]
    [InlineData("6", DayOfWeek.Saturday)]
    [InlineData("7", DayOfWeek.Sunday)]
    [InlineData("четверг", DayOfWeek.Thursday)]
    public void Parse_ReadsWeekdays(string day, DayOfWeek expected) =>
        Assert.Equal(expected, Parse(Header + $"5А;{day};8:30;9:15;Математика;;;\n").Rows[0].Weekday);

    [Fact]
    public void Parse_AcceptsEnglishHeaderCommaSeparatorAndQuotes()
    {
        var parse = Parse("class,day,start,end,subject,teacher,room,link\r\n\"5A\",Mon,08:30,09:15,\"Maths, algebra\",\"Anna \"\"Ann\"\" Ivanova\",,\r\n");

        Assert.True(parse.Ok);
        var row = Assert.Single(parse.Rows);
        Assert.Equal("Maths, algebra", row.Subject);
        Assert.Equal("Anna \"Ann\" Ivanova", row.Teacher);
    }

    [Fact]
    public void Parse_CountsLinesOfQuotedLineBreaks()
    {
        var parse = Parse(Header + "5А;пн;8:30;9:15;\"Мате\nматика\";;;\n5А;пн;9:00;8:00;Физика;;;\n");

        Assert.Equal(new TimetableError(4, TimetableErrorKind.EndBeforeStart), Single(parse));
    }

    [Fact]
    public void Parse_DropsUtf8Bom()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Header + "5А;пн;8:30;9:15;Математика;;;\n")).ToArray();

        var parse = TimetableCsv.Parse(bytes, Max);

        Assert.True(parse.Ok);
        Assert.Equal("5А", parse.Rows[0].Class);
    }

    [Fact]
    public void Parse_ReadsWindows1251()
    {
        var cp1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;
        var bytes = cp1251.GetBytes(Header + "5А;пн;8:30;9:15;Русский язык;Петров Пётр;;\n");

        var parse = TimetableCsv.Parse(bytes, Max);

        Assert.True(parse.Ok);
        Assert.Equal(("5А", "Русский язык", "Петров Пётр"), (parse.Rows[0].Class, parse.Rows[0].Subject, parse.Rows[0].Teacher));
    }

    [Fact]
    public void Parse_AcceptsFromAndToColumns()
    {
        var parse = Parse("класс;день;начало;конец;предмет;с;по\n5А;пн;8:30;9:15;Математика;07.09.2026;21.09.2026\n");

        Assert.True(parse.Ok);
        Assert.Equal([new DateOnly(2026, 9, 7), new DateOnly(2026, 9, 14), new DateOnly(2026, 9, 21)], TimetableCsv.Days(parse.Rows[0], Term));
    }

    [Fact]
    public void Days_FillsTheTermWithTheWeekday() =>
        Assert.Equal([7, 14, 21, 28], TimetableCsv.Days(Parse(Header + "5А;пн;8:30;9:15;Математика;;;\n").Rows[0], Term).Select(d => d.Day));

    [Fact]
    public void Parse_RefusesEmptyFile()
    {
        Assert.Equal(TimetableErrorKind.Empty, Single(TimetableCsv.Parse([], Max)).Kind);
        Assert.Equal(TimetableErrorKind.Empty, Single(Parse("  \n\n")).Kind);
    }

    [Fact]
    public void Parse_RefusesHeaderOnly() =>
        Assert.Equal(new TimetableError(1, TimetableErrorKind.HeaderOnly), Single(Parse(Header + "\n;;;;;;;\n")));

    [Fact]
    public void Parse_RefusesFileOverTheLimit_NamingIt()
    {
        var bytes = new byte[10 * 1024 * 1024];

        var error = Single(TimetableCsv.Parse(bytes, Max));

        Assert.Equal(new TimetableError(0, TimetableErrorKind.TooLarge, "2048"), error);
    }

    [Fact]
    public void Parse_RefusesBinaryFile() =>
        Assert.Equal(TimetableErrorKind.NotCsv, Single(TimetableCsv.Parse([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00], Max)).Kind);

    [Fact]
    public void Parse_RefusesTextWithoutSeparator() =>
        Assert.Equal(TimetableErrorKind.NotCsv, Single(Parse("Это просто письмо\nбез таблицы\n")).Kind);

    [Fact]
    public void Parse_RefusesWrongHeader()
    {
        var parse = Parse("name;age\nАня;12\n");

        Assert.False(parse.Ok);
        Assert.Contains(new TimetableError(1, TimetableErrorKind.UnknownColumn, "name"), parse.Errors);
        Assert.Contains(new TimetableError(1, TimetableErrorKind.MissingColumn, "class"), parse.Errors);
    }

    [Fact]
    public void Parse_RefusesEndBeforeStart() =>
        Assert.Equal(new TimetableError(2, TimetableErrorKind.EndBeforeStart), Single(Parse(Header + "5А;пн;9:15;8:30;Математика;;;\n")));

    [Theory]
    [InlineData("8.30")]
    [InlineData("25:00")]
    [InlineData("8:5")]
    [InlineData("8:60")]
    [InlineData("")]
    public void Parse_RefusesBadTimes(string start) =>
        Assert.Equal(new TimetableError(2, TimetableErrorKind.TimeInvalid, start), Single(Parse(Header + $"5А;пн;{start};9:15;Математика;;;\n")));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("example.org/lesson")]
    public void Parse_RefusesBadLinks(string link) =>
        Assert.Equal(TimetableErrorKind.LinkInvalid, Single(Parse(Header + $"5А;пн;8:30;9:15;Математика;;;{link}\n")).Kind);

    [Fact]
    public void Parse_RefusesTooLongLink() =>
        Assert.Equal(TimetableErrorKind.LinkInvalid, Single(Parse(Header + $"5А;пн;8:30;9:15;Математика;;;https://e.org/{new string('a', 5000)}\n")).Kind);

    [Fact]
    public void Parse_RefusesUnknownDay() =>
        Assert.Equal(new TimetableError(2, TimetableErrorKind.DayInvalid, "понедельничек"), Single(Parse(Header + "5А;понедельничек;8:30;9:15;Математика;;;\n")));

    [Fact]
    public void Parse_RefusesDuplicateRows_NamingTheFirst()
    {
        var row = "5А;пн;8:30;9:15;Математика;;;\n";

        Assert.Equal(new TimetableError(4, TimetableErrorKind.DuplicateRow, "2"), Single(Parse(Header + row + "5Б;пн;8:30;9:15;Математика;;;\n" + row)));
    }

    [Fact]
    public void Parse_RefusesRowWithWrongFieldCount() =>
        Assert.Equal(new TimetableError(2, TimetableErrorKind.FieldCount, "8/3"), Single(Parse(Header + "5А;пн;8:30\n")));

    [Fact]
    public void Parse_ListsEveryBadRow_WithLineNumbers()
    {
        var parse = Parse(Header + "5А;пн;8:30;9:15;Математика;;;\n;пн;8:30;9:15;Математика;;;\n5А;пн;25:00;9:15;;;;\n");

        Assert.False(parse.Ok);
        Assert.Equal([3, 4, 4], parse.Errors.Select(e => e.Line));
        Assert.Empty(parse.Rows);
    }

    [Fact]
    public void Parse_RefusesFromToOnDatedRow() =>
        Assert.Equal(TimetableErrorKind.DateRangeOnDatedRow,
            Single(Parse("класс;день;начало;конец;предмет;с;по\n5А;15.09.2026;8:30;9:15;Математика;01.09.2026;\n")).Kind);

    [Fact]
    public void Overlaps_FindsLessonsOfOneClassOverlappingOnTheSameDay()
    {
        var parse = Parse(Header + "5А;пн;8:30;9:15;Математика;;;\n5А;пн;9:00;9:45;Физика;;;\n5Б;пн;9:00;9:45;Физика;;;\n5А;пн;9:15;10:00;Химия;;;\n");

        var errors = TimetableCsv.Overlaps(parse.Rows, Term);

        var error = Assert.Single(errors, e => e.Line == 3);
        Assert.Equal(TimetableErrorKind.Overlap, error.Kind);
        Assert.StartsWith("2 ", error.Detail, StringComparison.Ordinal);
        Assert.Contains(errors, e => e.Line == 5 && e.Detail!.StartsWith("3 ", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Line == 4);
    }

    [Fact]
    public void Overlaps_FindsADatedLessonInsideAWeeklyOne()
    {
        var parse = Parse(Header + "5а;вт;8:30;9:15;Математика;;;\n5А;08.09.2026;9:00;9:30;Экскурсия;;;\n");

        var error = Assert.Single(TimetableCsv.Overlaps(parse.Rows, Term));

        Assert.Equal(new TimetableError(3, TimetableErrorKind.Overlap, "2 08.09.2026"), error);
    }

    [Fact]
    public void Parse_StoresALinkExcelCapitalised_WithALowerCaseScheme()
    {
        var parse = Parse("class;day;start;end;subject;teacher;room;link\n5А;пн;8:30;9:15;Математика;;;Https://meet.example.org/5A\n");

        Assert.Equal("https://meet.example.org/5A", Assert.Single(parse.Rows).Link);
    }
}
