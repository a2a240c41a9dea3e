using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConsultBot.Tests.Infrastructure;

namespace ConsultBot.Tests.Timetable;

/// <summary><c>ConsultBot.Host import-timetable FILE</c> run as its own process, the way scripts/import-timetable.sh runs it.</summary>
public sealed class ImportTimetableCommandTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"timetable-{Guid.NewGuid():N}.csv");

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        await db.ExecuteAsync("INSERT INTO school_groups (name) VALUES ('5А')");
    }

    public Task DisposeAsync()
    {
        File.Delete(_file);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ImportTimetable_ImportsAndExitsZero_ThenRefusesABadFileWithLinesAndExitsOne()
    {
        await File.WriteAllTextAsync(_file, "класс;день;начало;конец;предмет\n5А;пн;8:30;9:15;Математика\n", new UTF8Encoding(true));

        var (exitCode, stdout, _) = await RunAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("Добавлено уроков: 4", stdout, StringComparison.Ordinal);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM lessons"));

        await File.WriteAllTextAsync(_file, "класс;день;начало;конец;предмет\n5А;пн;8:30;9:15;Математика\n6Б;вт;25:00;9:15;Физика\n");

        var (badExit, _, stderr) = await RunAsync();

        Assert.Equal(1, badExit);
        Assert.Contains("Строка 3: непонятное время «25:00»", stderr, StringComparison.Ordinal);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM lessons"));
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ConsultBot.Host.dll"), "import-timetable", _file])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var termStart = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7);
        start.Environment["ConnectionStrings__Postgres"] = db.ConnectionString;
        start.Environment["Timetable__TermStart"] = termStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        start.Environment["Timetable__TermEnd"] = termStart.AddDays(27).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "None";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
