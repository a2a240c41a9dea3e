using ConsultBot.Domain.Consultations;
using ConsultBot.Host.Consultations;
using ConsultBot.Host.Outbox;
using Microsoft.Extensions.Options;

namespace ConsultBot.Tests.Scheduling;

/// <summary>The consultation settings: defaults, the policy they make, the digest's cron, and what is refused.</summary>
public sealed class ConsultationsOptionsTests
{
    [Fact]
    public void ToPolicy_CarriesEverySetting()
    {
        var policy = new ConsultationsOptions
        {
            MinimumNoticeMinutes = 30,
            CancellationCutoffMinutes = 45,
            MaxActiveBookings = 5,
            WeeklyWorkloadHours = 7.5,
            IndividualAttestationPrepAllowed = true,
            MinDurationMinutes = 15,
            MaxDurationMinutes = 90,
            MaxGroupCapacity = 30,
        }.ToPolicy();

        Assert.Equal(TimeSpan.FromMinutes(30), policy.MinimumNotice);
        Assert.Equal(TimeSpan.FromMinutes(45), policy.CancellationCutoff);
        Assert.Equal(5, policy.MaxActiveBookingsPerStudent);
        Assert.Equal(7.5, policy.WeeklyWorkloadHours);
        Assert.True(policy.IndividualAttestationPrepAllowed);
        Assert.Equal((15, 90, 30), (policy.MinDurationMinutes, policy.MaxDurationMinutes, policy.MaxGroupCapacity));
    }

    [Fact]
    public void Defaults_AreValid_AndMatchTheDomainPolicy()
    {
        var options = new ConsultationsOptions();

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(new ConsultationPolicy(), options.ToPolicy());
        Assert.Equal([1440, 60], options.ReminderOffsets());
        Assert.Equal("0 18 * * *", options.DigestCron());
    }

    [Theory]
    [InlineData("60, 1440,60", new[] { 1440, 60 })]
    [InlineData("", new int[0])]
    [InlineData("15", new[] { 15 })]
    public void ReminderOffsets_AreDistinctLargestFirst(string text, int[] expected) =>
        Assert.Equal(expected, new ConsultationsOptions { ReminderMinutesBefore = text }.ReminderOffsets());

    [Fact]
    public void DigestCron_IsMinuteAndHourOfLocalTime() =>
        Assert.Equal("5 7 * * *", new ConsultationsOptions { DigestTime = "7:05" }.DigestCron());

    [Theory]
    [InlineData(nameof(ConsultationsOptions.ReminderMinutesBefore), "60,-5")]
    [InlineData(nameof(ConsultationsOptions.ReminderMinutesBefore), "60;1440")]
    [InlineData(nameof(ConsultationsOptions.ReminderMinutesBefore), "20160")]
    [InlineData(nameof(ConsultationsOptions.DigestTime), "24:00")]
    [InlineData(nameof(ConsultationsOptions.DigestTime), "evening")]
    [InlineData(nameof(ConsultationsOptions.ReminderCron), "* * * *")]
    [InlineData(nameof(ConsultationsOptions.OfficeHoursCron), "")]
    public void Validate_NamesTheKey_WhenValueIsMalformed(string key, string value)
    {
        var options = new ConsultationsOptions();
        typeof(ConsultationsOptions).GetProperty(key)!.SetValue(options, value);

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains($"Consultations:{key}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Refuses_WhenMinimumDurationExceedsMaximum()
    {
        var result = Validate(new ConsultationsOptions { MinDurationMinutes = 60, MaxDurationMinutes = 30 });

        Assert.Contains("Consultations:MinDurationMinutes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Refuses_WhenReminderOutlivesOutboxRetention()
    {
        var result = new ConsultationsOptionsValidator(Options.Create(new OutboxOptions { RetentionDays = 1 }))
            .Validate(null, new ConsultationsOptions { ReminderMinutesBefore = "1440,60" });

        Assert.Contains("Outbox:RetentionDays", result.FailureMessage, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(ConsultationsOptions options) =>
        new ConsultationsOptionsValidator(Options.Create(new OutboxOptions())).Validate(null, options);
}
