namespace ConsultBot.Host.Persistence;

public sealed class DatabaseOptions
{
    public string? ConnectionString { get; set; }
}
