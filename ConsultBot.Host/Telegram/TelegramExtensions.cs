using ConsultBot.Host.Outbox;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Telegram;

public static class TelegramExtensions
{
    /// <summary>The Telegram channel: polling or webhook in, sendMessage out. Off when no token is configured.</summary>
    public static IHostApplicationBuilder AddTelegram(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();
        builder.Services.AddHttpClient(TelegramClients.SendClientName)
            .ConfigureHttpClient((sp, c) => c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<TelegramOptions>>().Value.RequestTimeoutSeconds))
            .RemoveAllLoggers();
        builder.Services.AddHttpClient(TelegramClients.PollClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        // Registered always and switched on by the token at run time, so configuration is read in one place.
        builder.Services.AddSingleton<TelegramClients>();
        builder.Services.AddSingleton<IChannelSender, TelegramSender>();
        builder.Services.AddSingleton<Conversations.IChannelAttachmentReader, TelegramAttachmentReader>();
        builder.Services.AddSingleton<TelegramCallbackAnswerer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelegramCallbackAnswerer>());
        builder.Services.AddSingleton<TelegramBot>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TelegramBot>());
        return builder;
    }

    public static WebApplication MapTelegramWebhook(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<TelegramOptions>>().Value is { Enabled: true, UseWebhook: true })
        {
            app.MapPost(TelegramWebhook.Path, TelegramWebhook.HandleAsync);
        }
        return app;
    }
}
