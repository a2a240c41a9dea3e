using ConsultBot.Host.Outbox;
using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Vk;

public static class VkExtensions
{
    /// <summary>The VK channel: Bots Long Poll or the Callback API in, messages.send out. Off when no community is configured.</summary>
    public static IHostApplicationBuilder AddVk(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<VkOptions>().BindConfiguration(VkOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<VkOptions>, VkOptionsValidator>();
        // Neither client logs: the token travels in every request body.
        builder.Services.AddHttpClient(VkApiClient.ClientName)
            .ConfigureHttpClient((sp, c) => c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<VkOptions>>().Value.RequestTimeoutSeconds))
            .RemoveAllLoggers();
        builder.Services.AddHttpClient(VkApiClient.PollClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        builder.Services.AddSingleton<VkRateGate>();
        builder.Services.AddSingleton<VkApiClient>();
        builder.Services.AddSingleton<IChannelSender, VkSender>();
        builder.Services.AddSingleton<VkEventAnswerer>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<VkEventAnswerer>());
        builder.Services.AddSingleton<VkChannel>();
        builder.Services.AddHostedService<VkLongPoll>();
        return builder;
    }

    public static WebApplication MapVkCallback(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<VkOptions>>().Value is { Enabled: true, UseCallback: true })
        {
            app.MapPost(VkCallback.Path, VkCallback.HandleAsync);
        }
        return app;
    }
}
