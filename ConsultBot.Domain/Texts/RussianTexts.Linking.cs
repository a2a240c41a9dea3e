using ConsultBot.Domain.Messaging;

namespace ConsultBot.Domain.Texts;

internal sealed partial class RussianTexts
{
    public string ChannelName(Channel channel) => channel switch
    {
        Channel.Telegram => "Telegram",
        Channel.Vk => "ВКонтакте",
        _ => "Веб-площадка",
    };

    public string LinkCodeIssued(string code, int minutes) =>
        $"🔗 Код для второго мессенджера: {code}\n\nВ другом мессенджере напишите боту /link {code} "
        + "(или нажмите /start и «Я уже пользуюсь ботом в другом мессенджере»). "
        + $"Код действует {minutes} мин. и подходит один раз. Никому его не пересылайте.";
    public string LinkAlreadyThere(Channel channel) => $"К вашему профилю уже подключено: {ChannelName(channel)}.";

    public string ConsentLinkButton => "🔗 Я уже пользуюсь ботом в другом мессенджере";
    public string LinkHowTo =>
        "Чтобы подключить этот мессенджер к вашему профилю: в мессенджере, где вы уже зарегистрированы, отправьте боту /link — "
        + "он покажет код. Затем отправьте здесь /link и этот код, например: /link ABCD-2345.";
    public string LinkAskCode => "Отправьте /link и код из другого мессенджера, например: /link ABCD-2345.";
    public string LinkConfirm(string name) => $"Подключить этот мессенджер к профилю «{name}»?";
    public string LinkYes => "✅ Да, подключить";
    public string LinkNo => "Нет";
    public string LinkDeclined => "Хорошо, ничего не подключено.";
    public string LinkDone(string name, Channel channel) =>
        $"✅ Готово, {name}! К вашему профилю подключено: {ChannelName(channel)}. Напоминания приходят в один мессенджер — выбрать его можно в /settings.";
    public string LinkDoneElsewhere(Channel channel) =>
        $"🔗 К вашему профилю подключено: {ChannelName(channel)}. Если это были не вы, отключите его в /settings.";
    public string LinkCodeWrong => "Код не подошёл. Проверьте его или получите новый командой /link в другом мессенджере.";
    public string LinkCodeExpired => "Срок действия кода истёк. Получите новый командой /link в другом мессенджере.";
    public string LinkCodeUsed => "Этот код уже использован. Получите новый командой /link в другом мессенджере.";
    public string LinkOwnCode => "Это ваш собственный код: введите его в другом мессенджере, не здесь.";
    public string LinkAccountTaken =>
        "Этот аккаунт уже зарегистрирован в боте как другой человек, поэтому подключить его нельзя. Один аккаунт — один человек.";

    public string SettingsMessengers(IReadOnlyList<string> lines) => "\n\n📱 Мессенджеры:\n" + string.Join("\n", lines);
    public string SettingsMessengerLine(Channel channel, bool gets, bool reachable) =>
        (gets ? "🔔 " : "▫️ ") + ChannelName(channel)
        + (gets ? " — сюда приходят напоминания и уведомления" : string.Empty)
        + (reachable ? string.Empty : " (бот заблокирован)");
    public string SettingsOneMessenger => "\n\n📱 Пользуетесь и другим мессенджером? Команда /link подключит его к этому же профилю.";
    public string SettingsPreferButton(Channel channel, bool current) => (current ? "🔔 " : string.Empty) + "Уведомления: " + ChannelName(channel);
    public string SettingsDetachButton(Channel channel) => "✂️ Отключить " + ChannelName(channel);
    public string DetachConfirm(Channel channel, bool thisOne) =>
        $"Отключить от профиля: {ChannelName(channel)}?" + (thisOne ? " В этом мессенджере бот вас больше не узнает: понадобится /start." : string.Empty);
    public string DetachYes => "✂️ Да, отключить";
    public string Detached(Channel channel) => $"Отключено от профиля: {ChannelName(channel)}.";
    public string DetachLast => "Это ваш единственный мессенджер: его нельзя отключить. Удалить данные можно командой /forget.";
}
