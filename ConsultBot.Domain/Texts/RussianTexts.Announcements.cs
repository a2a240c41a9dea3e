using ConsultBot.Domain.Announcements;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    public string MenuAnnounce => "📣 Объявление";
    public string MenuRecentAnnouncements => "📋 Последние объявления";

    public string AskAnnouncementAudience => "Кому отправить объявление?";

    public string AudienceButton(AnnouncementAudience audience) => audience switch
    {
        AnnouncementAudience.Group => "👥 Класс или группа",
        AnnouncementAudience.Students => "🎒 Все ученики",
        AnnouncementAudience.Parents => "👪 Все родители",
        AnnouncementAudience.Teachers => "🧑‍🏫 Все учителя",
        _ => "🏫 Все",
    };

    public string AudienceName(AnnouncementAudience audience, string? group) => audience switch
    {
        AnnouncementAudience.Group => $"{group} (ученики и родители)",
        AnnouncementAudience.Students => "все ученики",
        AnnouncementAudience.Parents => "все родители",
        AnnouncementAudience.Teachers => "все учителя и администраторы",
        _ => "все",
    };

    public string AskAnnouncementGroup => "Какому классу или группе? Объявление получат ученики и родители, которые за ними следят.";

    public string AskTeacherAnnouncementGroup =>
        "Какому классу? Здесь ваши классы: у которых вы ведёте или замещаете уроки и для которых публиковали материалы. "
        + "Объявление получат ученики и родители, которые за ними следят.";

    public string NoGroupsToAnnounce => "В школе пока нет классов. Добавьте их в меню «Классы и группы».";

    public string NoTeacherGroups =>
        "Пока нет классов, которым вы можете написать: класс появляется здесь, когда у вас есть его уроки в расписании "
        + "или вы опубликовали для него материал.";

    public string NotYourGroup => "Этому классу вы не можете отправить объявление: у вас нет его уроков и материалов. Ничего не отправлено.";

    public string AnnouncementGroupGone => "Этого класса больше нет в списке школы. Ничего не отправлено; начните заново: /announce.";

    public string NobodyToReceive(string audience) =>
        $"Это объявление никто не получит: в «{audience}» нет зарегистрированных людей с доступным мессенджером. Ничего не отправлено, выберите других получателей.";

    public string AskAnnouncementText(string audience, int max) =>
        $"Кому: {audience}.\nНапишите текст объявления одним сообщением (до {max} символов). /cancel — отменить.";

    public string AnnouncementTextEmpty => "Текст пустой. Напишите текст объявления.";

    public string AnnouncementTextTooLong(int length, int max) =>
        $"Слишком длинный текст: {length} символов, а можно не больше {max}. Сократите его и пришлите снова.";

    public string AnnouncementBody(string author, string text) => $"📣 Объявление · {author}\n\n{text}";

    public string AnnouncementPreview(string audience, int recipients, int unreachable, string body) =>
        $"Так объявление увидят получатели:\n\n{body}\n\n———\nКому: {audience}. Получателей: {recipients}."
        + (unreachable > 0 ? $"\nБез доступного мессенджера: {unreachable} — им не придёт." : string.Empty);

    public string SendAnnouncement => "✅ Отправить";
    public string EditAnnouncementText => "✏️ Изменить текст";
    public string CancelAnnouncement => "✖ Отмена";

    public string AnnouncementQueued(string audience, int recipients) =>
        $"Объявление отправляется. Кому: {audience}. Получателей: {recipients}. Когда рассылка закончится, я пришлю итог.";

    public string AnnouncementAlreadySent => "Это объявление уже отправлено.";

    public string AnnouncementReport(string audience, string excerpt, int delivered, int unreachable, int failed) =>
        $"📣 Рассылка закончена. Кому: {audience}, «{excerpt}».\nДоставлено: {delivered}.\nНедоступны (заблокировали бота или нет мессенджера): {unreachable}."
        + (failed > 0 ? $"\nНе удалось отправить из-за ошибки: {failed}." : string.Empty);

    public string RecentAnnouncements(IReadOnlyList<string> lines) => "📋 Последние объявления:\n\n" + string.Join("\n\n", lines);

    public string RecentAnnouncementLine(string when, string author, string audience, string excerpt, int recipients, int delivered,
        int unreachable, int failed, int pending) =>
        $"{when} · {author} → {audience}\n«{excerpt}»\nПолучателей: {recipients}, доставлено: {delivered}, недоступны: {unreachable}"
        + (failed > 0 ? $", ошибок: {failed}" : string.Empty)
        + (pending > 0 ? $", ещё отправляется: {pending}" : string.Empty);

    public string NoAnnouncementsYet => "Объявлений пока не было.";

    public string SlowDown => "Пожалуйста, помедленнее: вы отправляете слишком много сообщений. Подождите минуту, и я снова буду отвечать.";
}
