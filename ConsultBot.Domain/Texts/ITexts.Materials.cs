using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Materials;

namespace ConsultBot.Domain.Texts;

/// <summary>Materials, assignments and information sources: posting, delivery and /materials.</summary>
public partial interface ITexts
{
    // Menu and how a material reads
    string MenuPostMaterial { get; }
    string MenuMaterials { get; }
    string MaterialKindName(MaterialKind kind);
    string MaterialDay(DateOnly day);
    string MaterialCard(MaterialKind kind, string subject, string title, string url, string? description, string? due, string? lesson,
        string groups, string teacher, string posted);

    // Posting
    string AskMaterialSubject { get; }
    string AskMaterialGroups(IReadOnlyList<string> chosen);
    string GroupsDone(int chosen);
    string NoGroupsForMaterial { get; }
    string ChooseAtLeastOneGroup { get; }
    string GroupsNotFound(IReadOnlyList<string> names);
    string ChosenGroupsGone { get; }
    string AskMaterialKind { get; }
    string AskMaterialTitle(int max);
    string MaterialTitleInvalid(int max);
    string AskMaterialLink { get; }
    string MaterialLinkError(LinkError error, int max);
    string AskMaterialDescription(int max);
    string MaterialDescriptionTooLong(int max);
    string AskDueDate { get; }
    string AskLessonDate { get; }
    string DayInputError(DateInputError error);
    string DayInThePast { get; }
    string DayTooFar(int days);
    string ConfirmMaterial(string card);
    string MaterialPublished(int recipients, string card);
    string PostAnotherMaterial { get; }

    // What students and parents get
    string NewMaterialNotice(string card);

    // /materials
    string ChooseMaterialsSubject(bool ownPosts);
    string NoMaterials { get; }
    string MaterialsTitle(string subject, int page, int pages, int total);
    string ShowAllMaterials { get; }
    string ShowOwnMaterials { get; }
    string MaterialsSubjects { get; }
}
