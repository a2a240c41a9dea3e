using Microsoft.Extensions.Options;

namespace ConsultBot.Host.School;

public static class StartupErrors
{
    /// <summary>The options validation failure behind a start-up exception, however deeply it was wrapped.</summary>
    public static OptionsValidationException? FindInvalidConfiguration(this Exception exception) => exception switch
    {
        OptionsValidationException invalid => invalid,
        AggregateException aggregate => aggregate.InnerExceptions.Select(FindInvalidConfiguration).FirstOrDefault(e => e is not null),
        { InnerException: { } inner } => inner.FindInvalidConfiguration(),
        _ => null,
    };
}
