using ConsultBot.Domain.People;
using ConsultBot.Domain.Texts;
using ConsultBot.Domain.Timetable;
using ConsultBot.Host.Persistence;
using ConsultBot.Host.School;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ConsultBot.Host.Timetable;

/// <summary>
/// <c>ConsultBot.Host import-timetable FILE.csv</c>: applies migrations, imports the file in one transaction and exits
/// (0 imported, 1 refused with the bad rows on stderr), without starting the web server or the bot.
/// </summary>
public static class TimetableCommand
{
    public const string Name = "import-timetable";

    public static bool Matches(string[] args) => args is [Name, ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        if (args is not [_, var path])
        {
            await Console.Error.WriteLineAsync($"Usage: {Name} FILE.csv");
            return 2;
        }
        var texts = TextCatalog.For(Language.Ru);
        var settings = services.GetRequiredService<IOptions<TimetableOptions>>().Value.ToSettings();
        var zone = services.GetRequiredService<IOptions<SchoolOptions>>().Value.TimeZoneInfo;
        var now = services.GetRequiredService<SchoolClock>().Now;
        byte[] file;
        try
        {
            var size = new FileInfo(path).Length;
            file = size > settings.MaxImportBytes ? new byte[settings.MaxImportBytes + 1] : await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Cannot read {path}: {e.Message}");
            return 1;
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = stop.Token;
        await services.GetRequiredService<Migrator>().MigrateAsync(ct);
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var result = await TimetableImporter.ImportAsync(file, new PgTimetableRepository(connection, transaction), settings, zone, now, ct);
        if (result.Counts is { } counts)
        {
            await transaction.CommitAsync(ct);
            Console.WriteLine(texts.TimetableImported(counts));
            return 0;
        }
        await Console.Error.WriteLineAsync(TimetableImporter.Rejection(texts, result.Errors));
        return 1;
    }
}
