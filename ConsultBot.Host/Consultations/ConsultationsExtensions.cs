using Microsoft.Extensions.Options;

namespace ConsultBot.Host.Consultations;

public static class ConsultationsExtensions
{
    /// <summary>The school's consultation rules and the jobs that remind, send the evening digest and fill office hours.</summary>
    public static IHostApplicationBuilder AddConsultations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsultationsOptions>().BindConfiguration(ConsultationsOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ConsultationsOptions>, ConsultationsOptionsValidator>();
        builder.Services.AddSingleton<ConsultationRemindersJob>();
        builder.Services.AddSingleton<TeacherDigestJob>();
        builder.Services.AddSingleton<OfficeHoursJob>();
        return builder;
    }
}
