namespace ConsultBot.Domain.People;

public enum Role
{
    /// <summary>Consent given, role not chosen yet.</summary>
    None,
    Student,
    Parent,
    Teacher,
    Admin,
}

public enum PersonStatus
{
    /// <summary>Consented and filling in the registration dialog.</summary>
    Registering,
    Active,
    /// <summary>An administrator switched the person off: data and accounts stay, the bot only says whom to contact.</summary>
    Deactivated,
}

public enum Language
{
    Ru,
    En,
}

public static class LanguageCodes
{
    public static string ToKey(this Language language) => language == Language.En ? "en" : "ru";

    public static Language Parse(string? key) => key == "en" ? Language.En : Language.Ru;

    /// <summary>Messenger language codes: English for "en*", Russian for everything else (the school's default).</summary>
    public static Language FromMessenger(string? code) =>
        code is not null && code.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Language.En : Language.Ru;
}
