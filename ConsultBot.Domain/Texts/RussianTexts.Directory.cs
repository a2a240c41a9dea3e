using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    public string MenuTeachers => "👩‍🏫 Учителя";
    public string DirectoryTitle(int page, int pages, int total) =>
        pages > 1 ? $"Учителя школы ({total}), страница {page} из {pages}:" : $"Учителя школы ({total}):";
    public string DirectoryEmpty => "Учителей в справочнике пока нет.";
    public string ContactsHeader => "Ответственные:";
    public string ContactLine(string duty, string name, string? howToReach) =>
        $"• {duty} — {name}" + (howToReach is null ? string.Empty : $" ({howToReach})");
    public string NoAssociation => "Без объединения";

    public string TeacherEntry(string name, IReadOnlyList<string> subjects, IReadOnlyList<string> officeHours, string? note, bool noSlots)
    {
        var lines = new List<string> { $"👤 {name}" };
        if (subjects.Count > 0)
        {
            lines.Add("   Предметы: " + string.Join(", ", subjects));
        }
        if (officeHours.Count > 0)
        {
            lines.Add("   Приёмные часы: " + string.Join("; ", officeHours));
        }
        if (note is not null)
        {
            lines.Add("   " + note);
        }
        if (noSlots)
        {
            lines.Add("   Свободных консультаций сейчас нет.");
        }
        return string.Join('\n', lines);
    }

    public string OfficeHoursWindow(DayOfWeek day, TimeOnly from, TimeOnly to) =>
        $"{RuDaysShort[(int)day]} {from.ToString("HH:mm", CultureInfo.InvariantCulture)}–{to.ToString("HH:mm", CultureInfo.InvariantCulture)}";

    public string BookTeacher(string name) => $"📅 Записаться: {name}";

    public string DeactivatedNotice(IReadOnlyList<SchoolContact> contacts) =>
        "Школа отключила ваш доступ к боту. Если это ошибка, обратитесь в школу"
        + (contacts.Count == 0 ? "." : ":\n" + string.Join('\n', contacts.Select(c => ContactLine(c.Duty, c.Name, c.HowToReach))))
        + "\nУдалить свои данные можно командой /forget.";
    public string DeactivatedShort => "Школа отключила ваш доступ к боту.";
    public string ConsultationCancelledChildDeactivated(string card, string child) =>
        $"Запись на консультацию отменена ({child}): школа отключила ученику доступ к боту.\n\n" + card;
    public string ConsultationCancelledTeacherLeft(string card, string? forChild) =>
        "Консультация отменена: учитель больше не ведёт консультации" + (forChild is null ? string.Empty : $" (запись: {forChild})")
        + ". Выберите другое время или учителя в /book.\n\n" + card;

    public string MenuDirectory => "📇 Справочник";
    public string DirectoryAdminTitle => "Справочник школы: предметы, методические объединения, карточки учителей и контакты ответственных.";
    public string DirSubjects => "📘 Предметы";
    public string DirAssociations => "🏛 Объединения";
    public string DirTeachers => "👩‍🏫 Карточки учителей";
    public string DirContacts => "☎️ Контакты";
    public string SubjectsTitle(int count, int page, int pages) =>
        count == 0 ? "Предметов пока нет. Добавьте первый." : $"Предметы ({count})" + (pages > 1 ? $", страница {page} из {pages}" : string.Empty)
            + ". 🔒 — конфиденциальный: вопросы по нему читают только его учителя.";
    public string AskSubjectName(int min, int max) => $"Как называется предмет? От {min} до {max} символов, например: Физика";
    public string SubjectNameInvalid(int min, int max) => $"Название предмета: от {min} до {max} символов, в одну строку. Попробуйте ещё раз.";
    public string SubjectExists(string name) => $"Предмет «{name}» уже есть. Введите другое название.";
    public string SubjectAdded(string name) => $"Предмет «{name}» добавлен.";
    public string SubjectRenamed(string oldName, string newName) => $"«{oldName}» теперь называется «{newName}».";
    public string SubjectCard(string name, bool confidential) =>
        $"Предмет «{name}».\n" + (confidential
            ? "🔒 Конфиденциальный: вопросы по нему читают только его учителя (так работает школьный психолог), администраторы видят только их число."
            : "Обычный: вопросы по нему видят учителя этого предмета.");
    public string MakeConfidential => "🔒 Вопросы — только его учителям";
    public string MakeOpen => "🔓 Снять конфиденциальность";
    public string ConfidentialChanged(string name, bool confidential) =>
        confidential ? $"«{name}» теперь конфиденциальный: вопросы читают только его учителя." : $"«{name}» больше не конфиденциальный.";
    public string ConfidentialAlready(string name, bool confidential) =>
        confidential ? $"«{name}» уже конфиденциальный." : $"«{name}» уже обычный.";
    public string ConfirmMakeOrdinary(string name) =>
        $"Снять конфиденциальность с «{name}»? Вопросы по нему перестанут быть закрытыми: их смогут видеть не только его учителя.";
    public string YesMakeOrdinary => "Да, сделать обычным";
    public string QuestionReturnedToSubjectTeachers(long number, string subject) =>
        $"Учитель, которому был адресован ваш вопрос №{number} ({subject}), больше не работает с ботом. Вопрос передан учителям предмета — ответит один из них.";
    public string SubjectNotFound => "Такого предмета нет. Откройте список заново.";
    public string AssociationsTitle(int count) => count == 0 ? "Методических объединений пока нет. Добавьте первое." : $"Методические объединения ({count}):";
    public string AskAssociationName(int min, int max) => $"Как называется объединение? От {min} до {max} символов, например: МО учителей математики";
    public string AssociationNameInvalid(int min, int max) => $"Название объединения: от {min} до {max} символов, в одну строку. Попробуйте ещё раз.";
    public string AssociationExists(string name) => $"Объединение «{name}» уже есть. Введите другое название.";
    public string AssociationAdded(string name) => $"Объединение «{name}» добавлено.";
    public string AssociationRenamed(string oldName, string newName) => $"«{oldName}» теперь называется «{newName}».";
    public string AssociationCard(string name, int teachers) => $"Объединение «{name}», учителей: {teachers}.";
    public string DeleteButton => "🗑 Удалить";
    public string ConfirmDeleteAssociation(string name, int teachers) =>
        $"Удалить объединение «{name}»?" + (teachers > 0 ? $" Его учителя ({teachers}) останутся без объединения." : string.Empty);
    public string YesDelete => "Да, удалить";
    public string AssociationDeleted(string name) => $"Объединение «{name}» удалено.";
    public string AssociationNotFound => "Такого объединения уже нет. Откройте список заново.";
    public string StaffTitle(int page, int pages, int total) =>
        $"Учителя и администраторы ({total})" + (pages > 1 ? $", страница {page} из {pages}" : string.Empty) + ". Выберите карточку:";
    public string TeacherProfileCard(string name, string? association, IReadOnlyList<string> subjects, string? note) =>
        $"{name}\nОбъединение: {association ?? NoAssociation}\nПредметы: {(subjects.Count == 0 ? "не назначены" : string.Join(", ", subjects))}\n"
        + $"Заметка о приёме: {note ?? "нет"}";
    public string ChooseAssociationButton => "🏛 Объединение";
    public string ToggleSubjectsButton => "📘 Предметы";
    public string SetNoteButton => "🕒 Заметка о приёме";
    public string ClearNoteButton => "✖ Убрать заметку";
    public string WithoutAssociationButton => "— без объединения";
    public string ChooseAssociationFor(string name) => $"Объединение для {name}:";
    public string NoAssociationsYet => "Объединений пока нет: добавьте их в «Объединения».";
    public string ToggleSubjectsFor(string name, int page, int pages) =>
        $"Предметы {name} (✓ — назначен, нажмите, чтобы изменить)" + (pages > 1 ? $", страница {page} из {pages}" : string.Empty) + ":";
    public string NoSubjectsYet => "Предметов пока нет: добавьте их в «Предметы».";
    public string AskOfficeHoursNote(string name, int max) =>
        $"Заметка о приёме для {name}, до {max} символов. Например: «Кабинет 214, по предварительной записи». /cancel — отмена.";
    public string NoteTooLong(int max) => $"Слишком длинно: заметка не больше {max} символов. Сократите и отправьте ещё раз.";
    public string NoteSaved => "Заметка сохранена.";
    public string NoteCleared => "Заметка убрана.";
    public string TeacherNotFound => "Этого учителя нет среди активных. Откройте список заново.";
    public string ContactsTitle(int count) =>
        count == 0 ? "Контактов пока нет. Добавьте, например, ответственного за консультации." : $"Контакты ответственных ({count}), в порядке показа:";
    public string AskContactDuty(int max) => $"За что отвечает? До {max} символов, например: Ответственный за консультации";
    public string AskContactName(int max) => $"Кто это? До {max} символов, например: Заместитель директора Ольга Николаевна Кузнецова";
    public string AskContactReach(int max) => $"Как связаться? До {max} символов: телефон, кабинет, часы. Или нажмите «Пропустить».";
    public string ContactFieldInvalid(int max) => $"Нужно от 1 до {max} символов. Попробуйте ещё раз.";
    public string ContactAdded(string duty) => $"Контакт «{duty}» добавлен.";
    public string ContactRemoved => "Контакт удалён.";
    public string ContactNotFound => "Такого контакта уже нет. Откройте список заново.";
    public string MoveUpButton(int n) => $"⬆ {n}";
    public string RemoveButton(int n) => $"✖ {n}";

    public string MenuPeople => "👥 Люди";
    public string PeopleTitle => "Люди школы: кого показать?";
    public string PeopleFilterName(PeopleFilter filter) => filter switch
    {
        PeopleFilter.Parents => "Родители",
        PeopleFilter.Teachers => "Учителя",
        PeopleFilter.Admins => "Администраторы",
        _ => "Ученики",
    };
    public string InvitesButton => "✉️ Приглашения учителей";
    public string MenuAudit => "📜 Журнал";
    public string ChooseClassForPeople => "Ученики какого класса?";
    public string PeopleList(string what, int page, int pages, int total) =>
        $"{what}: {total}" + (pages > 1 ? $", страница {page} из {pages}" : string.Empty);
    public string NoPeople => "Здесь пока никого нет.";
    public string PersonLine(int n, string name, PersonStatus status, string? group) =>
        $"{n}. {name}" + (group is null ? string.Empty : $", {group}") + (status == PersonStatus.Deactivated ? " — ⛔ отключён" : string.Empty);

    public string PersonCardText(PersonCard card)
    {
        var lines = new List<string> { card.Name, $"Роль: {RoleName(card.Role)}" };
        if (card.Group is not null)
        {
            lines.Add($"Класс: {card.Group}");
        }
        lines.Add("Статус: " + (card.Status == PersonStatus.Deactivated ? "⛔ доступ отключён" : "активен"));
        if (card.Children.Count > 0)
        {
            lines.Add("Дети: " + string.Join(", ", card.Children));
        }
        if (card.Parents.Count > 0)
        {
            lines.Add("Родители: " + string.Join(", ", card.Parents));
        }
        lines.Add("Мессенджеры: " + (card.Messengers.Count == 0 ? "нет" : string.Join(", ", card.Messengers.Select(MessengerName))));
        return string.Join('\n', lines);
    }

    private static string MessengerName(Channel channel) => channel switch
    {
        Channel.Telegram => "Telegram",
        Channel.Vk => "ВКонтакте",
        _ => "веб-песочница",
    };

    public string DeactivateButton => "⛔ Отключить доступ";
    public string ReactivateButton => "✅ Вернуть доступ";
    public string ConfirmDeactivate(string name, Role role) =>
        $"Отключить доступ для {name}? Данные сохранятся, бот будет отвечать только, к кому обратиться; уведомления прекратятся."
        + role switch
        {
            Role.Teacher or Role.Admin => " Будущие консультации отменятся, записавшимся придёт сообщение, приёмные часы остановятся.",
            Role.Student => " Записи на будущие консультации снимутся, учителя об этом узнают.",
            _ => string.Empty,
        };
    public string YesDeactivate => "Да, отключить";
    public string PersonDeactivated(string name, int slotsCancelled, int told, int bookingsCancelled) =>
        $"Доступ для {name} отключён." + (slotsCancelled > 0 ? $" Отменено консультаций: {slotsCancelled}, уведомлено: {told}." : string.Empty)
        + (bookingsCancelled > 0 ? $" Снято записей на консультации: {bookingsCancelled}." : string.Empty);
    public string PersonReactivated(string name) => $"Доступ для {name} снова включён.";
    public string CannotDeactivateSelf => "Себя отключить нельзя.";
    public string CannotDeactivateLastAdmin => "Это последний активный администратор: сначала назначьте другого.";
    public string AlreadyDeactivated => "Доступ уже отключён.";
    public string NotDeactivated => "Доступ и так включён.";
    public string PersonNotFound => "Такого человека нет (или его данные удалены). Откройте список заново.";
    public string InvitesTitle(int page, int pages, int total) =>
        $"Приглашения учителей ({total})" + (pages > 1 ? $", страница {page} из {pages}" : string.Empty) + ". Коды хранятся зашифрованными и не показываются:";
    public string NoInvites => "Приглашений ещё не было. Создать: «✉️ Пригласить учителя» в /menu.";
    public string InviteLine(int n, string created, string? by, string expires, string state) =>
        $"{n}. создано {created}" + (by is null ? string.Empty : $" ({by})") + $", действует до {expires} — {state}";
    public string InviteState(TeacherInvite invite, DateTimeOffset now, Func<DateTimeOffset, string> when) =>
        invite.UsedAt is { } used ? $"использовано {when(used)}" + (invite.UsedBy is null ? string.Empty : $" ({invite.UsedBy})")
        : invite.RevokedAt is { } revoked ? $"отозвано {when(revoked)}"
        : invite.ExpiresAt <= now ? "истекло"
        : "ждёт";
    public string ReissueButton(int n) => $"🔁 Выпустить заново {n}";
    public string InviteAlreadyUsed => "Это приглашение уже использовано или выпущено заново: отзывать нечего.";
    public string InviteNotFound => "Такого приглашения нет.";
    public string InviteReissuedNote => "Старый код отозван и больше не подойдёт.";

    public string AuditTitle(int page, int pages, int total) =>
        $"Журнал: удаление данных и смена ролей ({total})" + (pages > 1 ? $", страница {page} из {pages}" : string.Empty) + ", новые сверху:";
    public string NoAudit => "В журнале пока ничего нет.";
    public string AuditLine(string when, string action, string subject, string actor) => $"{when} — {action}: {subject}, кто: {actor}";
    public string AuditActionName(string action) => action switch
    {
        "personal-data-erased" => "удалены персональные данные (/forget)",
        "unconfirmed-child-erased" => "удалены данные неподтверждённого ребёнка",
        "teacher-invite-used" => "стал(а) учителем по приглашению",
        "admin-bootstrapped" => "стал(а) администратором по коду",
        "admin-configured" => "стал(а) администратором по настройке",
        "person-deactivated" => "доступ отключён",
        "person-reactivated" => "доступ включён",
        "teacher-invite-reissued" => "приглашение выпущено заново",
        _ => action,
    };
}
