namespace ConsultBot.Host.Playground;

public sealed class PlaygroundOptions
{
    public const string SectionName = "Playground";

    /// <summary>Serves the web playground at /playground (loopback requests only). Off in production.</summary>
    public bool Enabled { get; set; }

    /// <summary>Creates a demo school (classes, a teacher, an administrator) for the playground's pretend people.</summary>
    public bool SeedDemo { get; set; }

    /// <summary>The pretend people one can chat as (playground user keys).</summary>
    public string[] People { get; set; } = ["student1", "student2", "parent1", "teacher1", "admin1"];
}
