using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts : ITexts
{
    public Language Language => Language.Ru;
    public string LanguageName => "Русский";

    public string Consent(string school) =>
        $"""
        Здравствуйте! Это бот консультаций и учебной помощи «{school}».

        Чтобы записываться на консультации, задавать вопросы учителям и получать напоминания, нужно ваше согласие на обработку персональных данных (152-ФЗ).

        Оператор: {school}.
        Что храним: имя, роль, класс или группу, идентификатор в мессенджере, ваши записи и вопросы.
        Зачем: консультации, ответы на вопросы, напоминания об уроках, учебные материалы, отчёты школы.
        Срок: пока вы пользуетесь ботом; после отзыва согласия данные удаляются.
        Как отозвать: команда /forget в любой момент.

        До вашего согласия мы ничего о вас не сохраняем.
        """;

    public string ConsentAccept => "✅ Согласен(на)";
    public string ConsentDecline => "Не согласен(на)";
    public string ConsentDeclined => "Без согласия я не могу вас зарегистрировать. Мы ничего не сохранили. Если передумаете, нажмите /start.";
    public string PressStart => "Чтобы начать, нажмите /start.";
    public string AlreadyRegistered => "Вы уже зарегистрированы.";
    public string InvalidDeepLink => "Эта ссылка недействительна или устарела. Зарегистрироваться можно и без неё.";
    public string ChooseRole => "Кто вы?";
    public string RoleStudent => "Ученик";
    public string RoleParent => "Родитель";
    public string RoleTeacher => "Учитель (по приглашению)";

    public string RoleName(Role role) => role switch
    {
        Role.Student => "ученик",
        Role.Parent => "родитель (законный представитель)",
        Role.Teacher => "учитель",
        Role.Admin => "администратор",
        _ => "роль не выбрана",
    };

    public string AskName => "Как вас зовут? Напишите имя и фамилию.";

    public string NameError(NameError error) => error switch
    {
        People.NameError.Empty => "Имя не может быть пустым. Напишите имя и фамилию.",
        People.NameError.TooLong => $"Слишком длинно: не больше {PersonName.MaxLength} символов. Напишите имя и фамилию.",
        _ => "В имени могут быть только буквы, пробелы, дефис, точка и апостроф. Напишите имя и фамилию.",
    };

    public string ChooseGroup => "Выберите свой класс или группу:";
    public string NoGroupsYet => "Школа ещё не добавила классы. Попробуйте позже или обратитесь к администратору.";
    public string PreviousPage => "◀ Назад";
    public string NextPage => "Далее ▶";
    public string AskAge => "Вам уже исполнилось 14 лет?";
    public string Age14OrOlder => "Да, 14 или больше";
    public string AgeUnder14 => "Нет, меньше 14";
    public string StudentRegistered(string name, string group) => $"Готово, {name}! Вы зарегистрированы как ученик, класс {group}.";

    public string StudentNeedsParent(string code, int hours) =>
        $"Вам нет 14 лет, поэтому регистрацию должен подтвердить родитель. Пусть он зарегистрируется в боте как родитель и введёт код {code} (действует {hours} ч). Новый код всегда есть в /profile.";

    public string AskInviteCode => "Введите код приглашения, который вам дал администратор:";
    public string CodeInvalid => "Код не подошёл: он неверный, уже использован или истёк. Проверьте и введите ещё раз.";
    public string TooManyAttempts => "Слишком много неверных кодов. Начните заново командой /start чуть позже.";
    public string Registered(string name, Role role) => $"Готово, {name}! Вы зарегистрированы: {RoleName(role)}.";
    public string AskChildCode => "Введите код ребёнка: он виден у ребёнка в /profile. Или нажмите «Пропустить» и сделайте это позже.";
    public string Skip => "Пропустить";
    public string ChildLinked(string child) => $"Ребёнок {child} привязан к вашему аккаунту.";
    public string ChildAlreadyLinked(string child) => $"{child} уже привязан(а) к вашему аккаунту.";
    public string ConfirmChild(string child) => $"{child} младше 14 лет. Подтверждаете согласие на обработку персональных данных ребёнка?";
    public string ConfirmChildButton => "✅ Подтверждаю";
    public string ChildConfirmedForParent(string child) => $"Спасибо! Регистрация {child} подтверждена.";
    public string ConfirmedByParentForChild => "Родитель подтвердил вашу регистрацию. Теперь вам доступно всё.";
    public string ParentLinkedForChild(string parent) => $"{parent} привязан(а) к вашему аккаунту как родитель.";
    public string FinishRegistrationFirst => "Сначала закончим регистрацию.";

    public string Menu(string name) => $"{name}, что будем делать?";
    public string MenuProfile => "👤 Профиль";
    public string MenuHelp => "❓ Помощь";
    public string MenuGroups => "🏫 Классы и группы";
    public string MenuInvite => "✉️ Пригласить учителя";
    public string MenuLinkChild => "👨‍👧 Привязать ребёнка";
    public string MenuLanguage => "🌐 Язык / Language";

    private const string Consulting =
        "/publish — опубликовать консультацию\n/slots — мои консультации, записавшиеся, отмена, посещаемость\n/officehours — приёмные часы\n"
        + "/lessons — отменить или перенести урок\n/material — опубликовать материал или задание\n/materials — материалы\n/announce — объявление классу или всей школе\n"
        + "/questions — вопросы учеников: сначала самые давние без ответа\n";

    public string Help(Role role, bool registered)
    {
        if (!registered)
        {
            return "Я бот консультаций школы. Нажмите /start, чтобы зарегистрироваться.\n/link КОД — подключить этот мессенджер, если вы уже пользуетесь ботом в другом\n/lang — язык\n/help — эта справка";
        }
        var common = "/teachers — учителя, их предметы, приёмные часы и ответственные\n/settings — напоминания и мессенджеры\n/link — подключить другой мессенджер\n/menu — меню\n/profile — профиль\n/lang — язык\n/cancel — прервать текущее действие\n/forget — удалить мои данные\n/help — эта справка";
        return role switch
        {
            Role.Admin => "Вы администратор: классы, приглашения учителей и их нагрузка — в /menu.\n/timetable — загрузить расписание (CSV)\n/holidays — каникулы и праздники\n/report — отчёт об активности за месяц (CSV)\n/directory — справочник: предметы, объединения, карточки учителей, контакты\n/people — люди: отключить и вернуть доступ, приглашения учителей\n/audit — журнал удаления данных и смены ролей\n" + Consulting + common,
            Role.Teacher => "Вы учитель.\n" + Consulting + common,
            Role.Parent => "Вы родитель: привяжите ребёнка по коду из его /profile.\n/book — записать ребёнка на консультацию\n/my — записи\n/materials — материалы\n/ask — задать вопрос учителю или психологу\n/questions — мои вопросы и ответы\n" + common,
            _ => "Вы ученик.\n/book — записаться на консультацию\n/my — мои записи (отмена, перенос)\n/materials — материалы и задания\n/ask — задать вопрос учителю или психологу (можно анонимно)\n/questions — мои вопросы и ответы\n" + common,
        };
    }

    public string Profile(string name, Role role, string? group, bool awaitingParent, IReadOnlyList<string> children)
    {
        var lines = new List<string> { $"Имя: {name}", $"Роль: {RoleName(role)}" };
        if (group is not null)
        {
            lines.Add($"Класс: {group}");
        }
        if (awaitingParent)
        {
            lines.Add("Ждём подтверждения родителя.");
        }
        if (children.Count > 0)
        {
            lines.Add("Дети: " + string.Join(", ", children));
        }
        lines.Add("Язык: русский");
        return string.Join('\n', lines);
    }

    public string ProfileCodeButton => "🔑 Код для родителя";
    public string ForgetButton => "🗑 Удалить мои данные";
    public string ChildCode(string code, int hours) => $"Код для родителя: {code}\nДействует {hours} ч и только один раз.";

    public string ChooseLanguage => "Выберите язык / Choose a language:";
    public string LanguageChanged => "Готово: теперь я говорю по-русски.";
    public string Cancelled => "Хорошо, отменили.";
    public string ForgetConfirm => "Удалить все ваши персональные данные? Вы выйдете из бота, записи и связи с детьми пропадут. Это нельзя отменить.";
    public string ForgetYes => "Да, удалить";
    public string ForgetNo => "Нет, оставить";
    public string Forgotten => "Ваши персональные данные удалены. Спасибо, что были с нами. Чтобы вернуться, нажмите /start.";
    public string ForgetKept => "Хорошо, ничего не удаляем.";

    public string UnknownCommand => "Такой команды нет. Список команд: /help";
    public string CommandForOtherBot => "Эта команда адресована другому боту. Мои команды: /help";
    public string NotUnderstood => "Не понял. Выберите действие в /menu или посмотрите /help.";
    public string EmptyMessage => "Сообщение пустое. Напишите текст или выберите действие в /menu.";
    public string TooLongMessage(int max) => $"Слишком длинное сообщение: не больше {max} символов.";
    public string UnsupportedContent => "Я пока понимаю только текст и кнопки. Напишите, пожалуйста, текстом.";
    public string EditedMessage => "Исправления сообщений я не вижу. Отправьте, пожалуйста, новое сообщение.";
    public string PrivateOnly => "Я работаю только в личных сообщениях. Напишите мне в личный чат.";
    public string SomethingWentWrong => "Что-то пошло не так. Попробуйте ещё раз чуть позже.";

    public string ButtonStale => "Эта кнопка устарела.";
    public string ButtonInvalid => "Кнопка не распознана.";
    public string NotAllowed => "Это действие вам недоступно.";
    public string Done => "Готово";

    public string Groups(int count) => count == 0 ? "Классов пока нет. Добавьте первый." : $"Классы и группы ({count}):";
    public string AddGroup => "➕ Добавить";
    public string AskGroupName => "Как называется класс или группа? Например: 7Б";
    public string GroupNameInvalid(int max) => $"Название: от 1 до {max} символов — буквы, цифры, пробел, «-», «.», «/», скобки. Попробуйте ещё раз.";
    public string GroupExists(string name) => $"Класс «{name}» уже есть. Введите другое название.";
    public string GroupAdded(string name) => $"Класс «{name}» добавлен.";
    public string GroupCard(string name) => $"Класс «{name}»";
    public string Rename => "✏️ Переименовать";
    public string Archive => "🗄 В архив";
    public string Back => "◀ Назад";
    public string AskNewGroupName(string name) => $"Новое название для «{name}»:";
    public string GroupRenamed(string oldName, string newName) => $"«{oldName}» теперь называется «{newName}».";
    public string GroupArchived(string name) => $"Класс «{name}» перенесён в архив.";

    public string InviteCreated(string code, int days, string? link) =>
        $"Код приглашения для учителя: {code}\nДействует {days} дн., один раз." + (link is null ? string.Empty : $"\nИли ссылка: {link}");
}
