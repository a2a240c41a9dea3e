using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ConsultBot.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ConsultBot.Tests.Reports;

/// <summary>GET /reports/activity/{yyyy-MM}.csv on the real host: the administrator's credentials, bad months, the file.</summary>
public sealed class ReportEndpointTests(PostgresFixture db) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string User = "director";
    private const string Password = "correct-horse-battery";
    private readonly ReportSeed _seed = new(db);
    private BotHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await db.ResetAsync();
        await _seed.SeedAsync();
        _host = new BotHost(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Admin:DashboardUser"] = User,
            ["Admin:DashboardPassword"] = Password,
            ["School:TimeZone"] = "Europe/Moscow",
        })
        {
            SchoolTime = new FakeTimeProvider(ReportSeed.Msk(11, 5, 12)),
        };
        _http = _host.Start();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> GetAsync(string path, string? user = User, string? password = Password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
        return _http.SendAsync(request);
    }

    [Fact]
    public async Task Get_ReturnsTheMonthsCsv_WithTheAdministratorsCredentials()
    {
        using var response = await GetAsync("/reports/activity/2026-10.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("activity-2026-10.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.True(response.Headers.CacheControl?.NoStore);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(CsvRows.HasBom(bytes));
        var rows = CsvRows.Parse(bytes);
        Assert.Equal("Роль", rows[0][0]);
        Assert.Equal(7, rows.Count);
        Assert.Equal(["ученик", "Белова Анна", "7Б", "3", "6", "3", "2", "4,0", "2", "", "1", "0", ""], rows[2]);
        Assert.Equal(["учитель", "Петрова Анна Сергеевна", "МО естественных наук", "2", "11", "5", "4", "8,3", "4", "3", "2", "1", "2"], rows[4]);
    }

    [Fact]
    public async Task Get_WritesTheEnglishHeaderAndDecimalDots_WithLangEn()
    {
        using var response = await GetAsync("/reports/activity/2026-10.csv?lang=en");

        var rows = CsvRows.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("Role", rows[0][0]);
        Assert.Equal("8.3", rows[4][7]);
    }

    [Fact]
    public async Task Get_AllowsTheCurrentMonth()
    {
        using var response = await GetAsync("/reports/activity/2026-11.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(User, "wrong-password-here")]
    [InlineData("someone", Password)]
    public async Task Get_IsUnauthorised_WithMissingOrWrongCredentials(string? user, string? password)
    {
        using var response = await GetAsync("/reports/activity/2026-10.csv", user, password);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.False(CsvRows.HasBom(await response.Content.ReadAsByteArrayAsync()));
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("13-2026")]
    [InlineData("abc")]
    [InlineData("2026-1")]
    public async Task Get_IsABadRequest_ForAMalformedMonth(string month)
    {
        using var response = await GetAsync($"/reports/activity/{month}.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ГГГГ-ММ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_IsABadRequest_ForAFutureMonth()
    {
        using var response = await GetAsync("/reports/activity/2026-12.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ещё не наступил", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_IsNotServed_WhenNoCredentialsAreConfigured()
    {
        await using var open = new BotHost(db.ConnectionString);
        var http = open.Start();

        using var response = await http.GetAsync("/reports/activity/2026-10.csv");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
