using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace ConsultBot.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, headless, driven through its chromedriver (Selenium WebDriver) with a fresh profile each time.
/// The browser's own log is kept at every level, so a test sees each console.error, uncaught exception and failed
/// load of the page. A machine without Chromium fails the test and says what to install (scripts/test.sh installs
/// it when run as root); it never skips.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    /// <summary>How long a wait on page content polls before it fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private readonly string _profile;
    private readonly List<LogEntry> _log = [];

    public HeadlessChromium(int width = 1100, int height = 900)
    {
        var (browser, driver) = Locate();
        _profile = Directory.CreateTempSubdirectory("consultbot-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = browser };
        // As root Chromium needs --no-sandbox; the network flags keep it from calling home (this machine's network
        // is closed and refused connections would show up as errors). A fresh profile: nothing remembered.
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--lang=ru-RU", $"--window-size={width},{height}", $"--user-data-dir={_profile}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        try
        {
            Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            service.Dispose();
            DeleteProfile();
            throw;
        }
    }

    public ChromeDriver Driver { get; }

    /// <summary>Chromium and chromedriver: ConsultBot__Chromium / ConsultBot__ChromeDriver, else Debian's paths.</summary>
    public static (string Browser, string Driver) Locate()
    {
        var browser = Environment.GetEnvironmentVariable("ConsultBot__Chromium") is { Length: > 0 } b ? b
            : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        var driver = Environment.GetEnvironmentVariable("ConsultBot__ChromeDriver") is { Length: > 0 } d ? d
            : new[] { "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver" }.FirstOrDefault(File.Exists);
        if (browser is null || !File.Exists(browser) || driver is null || !File.Exists(driver))
        {
            Assert.Fail("Headless Chromium is needed for the browser tests but was not found "
                + $"(browser: {browser ?? "no /usr/bin/chromium"}, driver: {driver ?? "no /usr/bin/chromedriver"}). "
                + "Install Debian's packages: apt-get install chromium chromium-driver (scripts/test.sh does it when run as root), "
                + "or set ConsultBot__Chromium and ConsultBot__ChromeDriver to their paths.");
        }
        return (browser, driver);
    }

    /// <summary>Everything the browser logged so far (the driver hands each entry out once, so they are kept here).</summary>
    public IReadOnlyList<LogEntry> Log
    {
        get
        {
            _log.AddRange(Driver.Manage().Logs.GetLog(LogType.Browser));
            return _log;
        }
    }

    /// <summary>console.error calls, uncaught exceptions and failed loads: the browser logs each of them as SEVERE.</summary>
    public IReadOnlyList<string> Errors => [.. Log.Where(e => e.Level == LogLevel.Severe).Select(e => e.Message)];

    /// <summary>Polls <paramref name="probe"/> until it returns something, at most <see cref="Deadline"/>.</summary>
    public static async Task<T> WaitForAsync<T>(Func<T?> probe, Func<string> failure) where T : class
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            try
            {
                if (probe() is { } found)
                {
                    return found;
                }
            }
            catch (StaleElementReferenceException)
            {
                // The page re-rendered the element between finding and reading it: look again.
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"within {Deadline.TotalSeconds} s: {failure()}");
            }
            await Task.Delay(PollInterval);
        }
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        DeleteProfile();
    }

    private void DeleteProfile()
    {
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A helper process still writing its last file: the folder is in the temp folder and harmless.
        }
    }
}
