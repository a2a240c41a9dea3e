using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Materials;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    public string MenuPostMaterial => "📎 Опубликовать материал";
    public string MenuMaterials => "📚 Материалы";

    public string MaterialKindName(MaterialKind kind) => kind switch
    {
        MaterialKind.Assignment => "задание",
        MaterialKind.Source => "источник информации",
        _ => "материал",
    };

    public string MaterialDay(DateOnly day) => day.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public string MaterialCard(MaterialKind kind, string subject, string title, string url, string? description, string? due, string? lesson,
        string groups, string teacher, string posted) =>
        $"{MaterialIcon(kind)} {MaterialKindTitle(kind)} · {subject}\n«{title}»\n🔗 {url}"
        + (description is null ? string.Empty : $"\n📝 {description}")
        + (due is null ? string.Empty : $"\n⏰ Срок: {due}")
        + (lesson is null ? string.Empty : $"\n🗓 К уроку {lesson}")
        + $"\n👥 Классы: {groups}\n👤 {teacher} · {posted}";

    public string AskMaterialSubject => "Предмет? Выберите из списка или напишите название.";

    public string AskMaterialGroups(IReadOnlyList<string> chosen) =>
        "Для каких классов? Нажимайте на классы (можно несколько), затем «Готово». Можно написать названия через запятую."
        + (chosen.Count == 0 ? string.Empty : $"\nВыбрано: {string.Join(", ", chosen)}");

    public string GroupsDone(int chosen) => $"✅ Готово ({chosen})";
    public string NoGroupsForMaterial => "В школе ещё нет классов: попросите администратора добавить их.";
    public string ChooseAtLeastOneGroup => "Выберите хотя бы один класс.";
    public string GroupsNotFound(IReadOnlyList<string> names) => $"Таких классов нет в списке школы: {string.Join(", ", names)}. Выберите кнопками ниже.";
    public string ChosenGroupsGone => "Выбранных классов больше нет в списке школы. Выберите классы заново.";
    public string AskMaterialKind => "Что публикуем?";
    public string AskMaterialTitle(int max) => $"Название (до {max} символов)?";
    public string MaterialTitleInvalid(int max) => $"Название должно быть от 1 до {max} символов. Пришлите название покороче.";
    public string AskMaterialLink => "Ссылка на материал (начинается с https:// или http://)?";

    public string MaterialLinkError(LinkError error, int max) => error switch
    {
        LinkError.TooLong => $"Ссылка слишком длинная (больше {max} символов). Пришлите ссылку покороче.",
        LinkError.NotHttp => "Принимаются только веб-ссылки. Пришлите адрес, начинающийся с https:// или http://.",
        LinkError.NoScheme => "В ссылке нет https:// в начале. Пришлите полный адрес, например: https://example.org/lesson",
        _ => "Это не похоже на ссылку. Пришлите полный адрес, начинающийся с https:// или http://.",
    };

    public string AskMaterialDescription(int max) => $"Короткое описание (до {max} символов)? Или нажмите «Пропустить».";
    public string MaterialDescriptionTooLong(int max) => $"Описание длиннее {max} символов. Сократите его или нажмите «Пропустить».";
    public string AskDueDate => "Срок сдачи? Например: 28.11, 28.11.2026 или завтра. Или нажмите «Пропустить».";
    public string AskLessonDate => "Привязать к уроку? Напишите дату урока (например, 27.11 или завтра) — материал попадёт в напоминание этого дня. Или нажмите «Пропустить».";

    public string DayInputError(DateInputError error) => error == Consultations.DateInputError.NoSuchDate
        ? "Такой даты нет в календаре. Проверьте число и месяц, например: 28.11"
        : "Не понял дату. Напишите так: 28.11, 28.11.2026 или завтра.";

    public string DayInThePast => "Этот день уже прошёл. Укажите сегодняшний или будущий день.";
    public string DayTooFar(int days) => $"Слишком далеко: можно указать день не позже чем через {days} дней.";
    public string ConfirmMaterial(string card) => $"Проверьте и опубликуйте:\n\n{card}";
    public string MaterialPublished(int recipients, string card) => $"Опубликовано ✅ Получателей: {recipients}.\n\n{card}";
    public string PostAnotherMaterial => "📎 Ещё материал";
    public string NewMaterialNotice(string card) => $"Новый материал от учителя:\n\n{card}";

    public string ChooseMaterialsSubject(bool ownPosts) => ownPosts ? "Ваши материалы. Выберите предмет:" : "Материалы. Выберите предмет:";
    public string NoMaterials => "Материалов пока нет.";
    public string MaterialsTitle(string subject, int page, int pages, int total) => $"📚 {subject}: материалов {total}, страница {page} из {pages}";
    public string ShowAllMaterials => "Все материалы школы";
    public string ShowOwnMaterials => "Только мои";
    public string MaterialsSubjects => "↩ К предметам";

    private static string MaterialIcon(MaterialKind kind) => kind switch
    {
        MaterialKind.Assignment => "📝",
        MaterialKind.Source => "🔗",
        _ => "📘",
    };

    private string MaterialKindTitle(MaterialKind kind) => char.ToUpperInvariant(MaterialKindName(kind)[0]) + MaterialKindName(kind)[1..];
}
