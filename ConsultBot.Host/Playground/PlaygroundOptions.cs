namespace ConsultBot.Host.Playground;

public sealed class PlaygroundOptions
{
    public const string SectionName = "Playground";

    /// <summary>Who one can chat as when <see cref="People"/> is not configured.</summary>
    public static readonly string[] DefaultPeople = ["student1", "student2", "parent1", "teacher1", "psych1", "admin1"];

    /// <summary>Serves the web playground at /playground (loopback requests only). Off in production.</summary>
    public bool Enabled { get; set; }

    /// <summary>Creates a demo school (classes, a teacher, an administrator) for the playground's pretend people.</summary>
    public bool SeedDemo { get; set; }

    /// <summary>
    /// The pretend people one can chat as (playground user keys). Empty here on purpose: the configuration binder
    /// appends configured array items to an initial value instead of replacing it, so the defaults are applied after
    /// binding, only when nothing is configured. For the same reason the list is not in appsettings.json: a list there
    /// would leave its later items behind a shorter configured one.
    /// </summary>
    public string[] People { get; set; } = [];
}
