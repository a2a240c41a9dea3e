using ConsultBot.Domain.Messaging;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    public string ChannelName(Channel channel) => channel switch
    {
        Channel.Telegram => "Telegram",
        Channel.Vk => "VK",
        _ => "Web playground",
    };

    public string LinkCodeIssued(string code, int minutes) =>
        $"🔗 Code for your other messenger: {code}\n\nIn the other messenger, send the bot /link {code} "
        + "(or press /start and “I already use the bot in another messenger”). "
        + $"The code works once, for {minutes} min. Do not forward it to anyone.";
    public string LinkAlreadyThere(Channel channel) => $"{ChannelName(channel)} is already attached to you.";

    public string ConsentLinkButton => "🔗 I already use the bot in another messenger";
    public string LinkHowTo =>
        "To attach this messenger to your profile: in the messenger where you are registered, send the bot /link — "
        + "it shows a code. Then send /link and that code here, for example: /link ABCD-2345.";
    public string LinkAskCode => "Send /link and the code from your other messenger, for example: /link ABCD-2345.";
    public string LinkConfirm(string name) => $"Attach this messenger to “{name}”?";
    public string LinkYes => "✅ Yes, attach";
    public string LinkNo => "No";
    public string LinkDeclined => "OK, nothing was attached.";
    public string LinkDone(string name, Channel channel) =>
        $"✅ Done, {name}: {ChannelName(channel)} is attached to your profile. Reminders go to one messenger — choose it in /settings.";
    public string LinkDoneElsewhere(Channel channel) =>
        $"🔗 {ChannelName(channel)} was attached to your profile. If it was not you, detach it in /settings.";
    public string LinkCodeWrong => "That code did not work. Check it, or get a new one with /link in your other messenger.";
    public string LinkCodeExpired => "That code has expired. Get a new one with /link in your other messenger.";
    public string LinkCodeUsed => "That code was already used. Get a new one with /link in your other messenger.";
    public string LinkOwnCode => "That is your own code: enter it in your other messenger, not here.";
    public string LinkAccountTaken =>
        "This account is already registered with the bot as another person, so it cannot be attached. One account, one person.";

    public string SettingsMessengers(IReadOnlyList<string> lines) => "\n\n📱 Messengers:\n" + string.Join("\n", lines);
    public string SettingsMessengerLine(Channel channel, bool gets, bool reachable) =>
        (gets ? "🔔 " : "▫️ ") + ChannelName(channel)
        + (gets ? " — reminders and notifications come here" : string.Empty)
        + (reachable ? string.Empty : " (the bot is blocked)");
    public string SettingsOneMessenger => "\n\n📱 Use another messenger too? /link attaches it to this same profile.";
    public string SettingsPreferButton(Channel channel, bool current) => (current ? "🔔 " : string.Empty) + "Notify in " + ChannelName(channel);
    public string SettingsDetachButton(Channel channel) => "✂️ Detach " + ChannelName(channel);
    public string DetachConfirm(Channel channel, bool thisOne) =>
        $"Detach {ChannelName(channel)} from your profile?" + (thisOne ? " The bot will no longer know you in this messenger: you would need /start." : string.Empty);
    public string DetachYes => "✂️ Yes, detach";
    public string Detached(Channel channel) => $"{ChannelName(channel)} is detached from your profile.";
    public string DetachLast => "This is your only messenger, so it cannot be detached. /forget deletes your data.";
}
