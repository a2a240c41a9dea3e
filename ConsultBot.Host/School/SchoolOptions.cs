using Microsoft.Extensions.Options;

namespace ConsultBot.Host.School;

public sealed class SchoolOptions
{
    public const string SectionName = "School";

    /// <summary>Shown to users and named as the personal-data operator in the consent text.</summary>
    public string Name { get; set; } = "Школа";

    /// <summary>IANA time zone id; recurring jobs run and times are shown in it.</summary>
    public string TimeZone { get; set; } = "Europe/Moscow";

    public TimeZoneInfo TimeZoneInfo => System.TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

public sealed class SchoolOptionsValidator : IValidateOptions<SchoolOptions>
{
    public ValidateOptionsResult Validate(string? name, SchoolOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Name) || o.Name.Length > 200)
        {
            errors.Add("School:Name (School__Name) must be 1-200 characters");
        }
        if (string.IsNullOrWhiteSpace(o.TimeZone) || !System.TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _))
        {
            errors.Add($"School:TimeZone (School__TimeZone) '{o.TimeZone}' is not a known IANA time zone id (e.g. Europe/Moscow)");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

public static class SchoolExtensions
{
    public static IHostApplicationBuilder AddSchool(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SchoolOptions>().BindConfiguration(SchoolOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SchoolOptions>, SchoolOptionsValidator>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new SchoolClock(TimeProvider.System));
        return builder;
    }
}
