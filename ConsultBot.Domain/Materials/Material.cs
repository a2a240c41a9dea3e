using System.Globalization;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Materials;

/// <summary>What a teacher posts: study material, an assignment for self-study, or an information source.</summary>
public enum MaterialKind
{
    Material,
    Assignment,
    Source,
}

public static class MaterialKinds
{
    public static string ToKey(this MaterialKind kind) => kind switch
    {
        MaterialKind.Assignment => "assignment",
        MaterialKind.Source => "source",
        _ => "material",
    };

    public static MaterialKind Parse(string key) => key switch
    {
        "assignment" => MaterialKind.Assignment,
        "source" => MaterialKind.Source,
        _ => MaterialKind.Material,
    };
}

public readonly record struct MaterialId(long Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A material as the teacher's dialog collected it, ready to publish. The database checks the same limits.</summary>
public sealed record MaterialDraft
{
    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 1000;

    public required long SubjectId { get; init; }
    public required IReadOnlyList<GroupId> Groups { get; init; }
    public required MaterialKind Kind { get; init; }
    public required string Title { get; init; }
    /// <summary>An absolute http(s) link (<see cref="Consultations.SafeLink"/>).</summary>
    public required string Url { get; init; }
    public string? Description { get; init; }
    /// <summary>Assignments only: the day it is due.</summary>
    public DateOnly? DueOn { get; init; }
    /// <summary>The lesson day it belongs to; the daily reminder of that day lists it.</summary>
    public DateOnly? LessonOn { get; init; }
}

/// <summary>A posted material as people read it.</summary>
public sealed record MaterialView(
    MaterialId Id,
    string SubjectName,
    string TeacherName,
    MaterialKind Kind,
    string Title,
    string Url,
    string? Description,
    DateOnly? DueOn,
    DateOnly? LessonOn,
    IReadOnlyList<string> Groups,
    DateTimeOffset PostedAt);

/// <summary>Whose materials a person browses: their class, their followed children's classes, their own posts, or all.</summary>
public enum MaterialAudience
{
    Student,
    Parent,
    OwnPosts,
    All,
}

public sealed record MaterialScope(PersonId Viewer, MaterialAudience Audience);

/// <summary>One page of a subject's materials, newest first, and how many there are in all.</summary>
public sealed record MaterialPage(IReadOnlyList<MaterialView> Items, int Total);

/// <summary>The message each recipient of a new material gets, rendered once per language.</summary>
public sealed record MaterialNotice(string Text, Messaging.Keyboard? Keyboard);

/// <summary>What publishing did: the new material and how many people it was queued to.</summary>
public sealed record MaterialPublished(MaterialId Id, int Recipients);
