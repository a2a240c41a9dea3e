using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Materials;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    public string MenuPostMaterial => "📎 Post a material";
    public string MenuMaterials => "📚 Materials";

    public string MaterialKindName(MaterialKind kind) => kind switch
    {
        MaterialKind.Assignment => "assignment",
        MaterialKind.Source => "information source",
        _ => "material",
    };

    public string MaterialDay(DateOnly day) => $"{day.Day} {EnMonths[day.Month - 1]} {day.Year}";

    public string MaterialCard(MaterialKind kind, string subject, string title, string url, string? description, string? due, string? lesson,
        string groups, string teacher, string posted) =>
        $"{MaterialIcon(kind)} {MaterialKindTitle(kind)} · {subject}\n“{title}”\n🔗 {url}"
        + (description is null ? string.Empty : $"\n📝 {description}")
        + (due is null ? string.Empty : $"\n⏰ Due: {due}")
        + (lesson is null ? string.Empty : $"\n🗓 For the lesson on {lesson}")
        + $"\n👥 Classes: {groups}\n👤 {teacher} · {posted}";

    public string AskMaterialSubject => "Subject? Choose one or type its name.";

    public string AskMaterialGroups(IReadOnlyList<string> chosen) =>
        "For which classes? Press the classes (several are fine), then \"Done\". You can also type names separated by commas."
        + (chosen.Count == 0 ? string.Empty : $"\nChosen: {string.Join(", ", chosen)}");

    public string GroupsDone(int chosen) => $"✅ Done ({chosen})";
    public string NoGroupsForMaterial => "The school has no classes yet: ask an administrator to add them.";
    public string ChooseAtLeastOneGroup => "Choose at least one class.";
    public string GroupsNotFound(IReadOnlyList<string> names) => $"These classes are not on the school's list: {string.Join(", ", names)}. Choose with the buttons below.";
    public string ChosenGroupsGone => "The chosen classes are no longer on the school's list. Please choose again.";
    public string AskMaterialKind => "What are you posting?";
    public string AskMaterialTitle(int max) => $"Title (up to {max} characters)?";
    public string MaterialTitleInvalid(int max) => $"The title needs 1 to {max} characters. Please send a shorter one.";
    public string AskMaterialLink => "Link to the material (starting with https:// or http://)?";

    public string MaterialLinkError(LinkError error, int max) => error switch
    {
        LinkError.TooLong => $"The link is too long (over {max} characters). Please send a shorter one.",
        LinkError.NotHttp => "Only web links are accepted. Please send an address starting with https:// or http://.",
        LinkError.NoScheme => "The link lacks https:// at the start. Please send the full address, e.g. https://example.org/lesson",
        _ => "That does not look like a link. Please send a full address starting with https:// or http://.",
    };

    public string AskMaterialDescription(int max) => $"A short description (up to {max} characters)? Or press \"Skip\".";
    public string MaterialDescriptionTooLong(int max) => $"The description is over {max} characters. Please shorten it or press \"Skip\".";
    public string AskDueDate => "Due date? E.g. 28.11, 28.11.2026 or tomorrow. Or press \"Skip\".";
    public string AskLessonDate => "Tie it to a lesson? Type the lesson's date (e.g. 27.11 or tomorrow) and the material goes into that day's reminder. Or press \"Skip\".";

    public string DayInputError(DateInputError error) => error == Consultations.DateInputError.NoSuchDate
        ? "There is no such date. Check the day and month, e.g. 28.11"
        : "I did not understand the date. Type it like 28.11, 28.11.2026 or tomorrow.";

    public string DayInThePast => "That day has passed. Please give today or a later day.";
    public string DayTooFar(int days) => $"Too far ahead: the day can be at most {days} days from now.";
    public string ConfirmMaterial(string card) => $"Check and publish:\n\n{card}";
    public string MaterialPublished(int recipients, string card) => $"Published ✅ Recipients: {recipients}.\n\n{card}";
    public string PostAnotherMaterial => "📎 Another material";
    public string NewMaterialNotice(string card) => $"A new material from your teacher:\n\n{card}";

    public string ChooseMaterialsSubject(bool ownPosts) => ownPosts ? "Your materials. Choose a subject:" : "Materials. Choose a subject:";
    public string NoMaterials => "No materials yet.";
    public string MaterialsTitle(string subject, int page, int pages, int total) => $"📚 {subject}: {total} materials, page {page} of {pages}";
    public string ShowAllMaterials => "All of the school's materials";
    public string ShowOwnMaterials => "Only mine";
    public string MaterialsSubjects => "↩ Subjects";

    private static string MaterialIcon(MaterialKind kind) => kind switch
    {
        MaterialKind.Assignment => "📝",
        MaterialKind.Source => "🔗",
        _ => "📘",
    };

    private string MaterialKindTitle(MaterialKind kind) => char.ToUpperInvariant(MaterialKindName(kind)[0]) + MaterialKindName(kind)[1..];
}
