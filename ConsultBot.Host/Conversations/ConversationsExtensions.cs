namespace ConsultBot.Host.Conversations;

public static class ConversationsExtensions
{
    /// <summary>The conversation engine and the inbound pipeline every channel feeds, with its per-person rate limit.</summary>
    public static IHostApplicationBuilder AddConversations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AbuseOptions>().BindConfiguration(AbuseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SenderThrottle>();
        builder.Services.AddSingleton<EngineProvider>();
        builder.Services.AddSingleton<UpdatePipeline>();
        // Registered before the channels so that, stopping in reverse order, it flushes after their last update.
        builder.Services.AddSingleton<Reports.ActivityCounter>();
        builder.Services.AddHostedService<Reports.ActivityFlusher>();
        builder.Services.AddSingleton<Domain.Messaging.IAttachmentReader, AttachmentReader>();
        return builder;
    }
}
