namespace ConsultBot.Host.Outbox;

public static class OutboxExtensions
{
    /// <summary>The outbound path: the dispatcher that delivers outbox rows through the channel senders.</summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxNotifier>();
        builder.Services.AddHostedService<OutboxDispatcher>();
        return builder;
    }
}
