using ConsultBot.Domain.Messaging;

namespace ConsultBot.Domain.Texts;

/// <summary>One person in several messengers: /link, attaching, the preferred messenger, detaching.</summary>
public partial interface ITexts
{
    string ChannelName(Channel channel);

    // /link in the messenger the person already uses
    string LinkCodeIssued(string code, int minutes);
    string LinkAlreadyThere(Channel channel);

    // The consent screen and /link in the new messenger
    string ConsentLinkButton { get; }
    string LinkHowTo { get; }
    string LinkAskCode { get; }
    string LinkConfirm(string name);
    string LinkYes { get; }
    string LinkNo { get; }
    string LinkDeclined { get; }
    string LinkDone(string name, Channel channel);
    string LinkDoneElsewhere(Channel channel);
    string LinkCodeWrong { get; }
    string LinkCodeExpired { get; }
    string LinkCodeUsed { get; }
    string LinkOwnCode { get; }
    string LinkAccountTaken { get; }

    // /settings
    string SettingsMessengers(IReadOnlyList<string> lines);
    string SettingsMessengerLine(Channel channel, bool gets, bool reachable);
    string SettingsOneMessenger { get; }
    string SettingsPreferButton(Channel channel, bool current);
    string SettingsDetachButton(Channel channel);
    string DetachConfirm(Channel channel, bool thisOne);
    string DetachYes { get; }
    string Detached(Channel channel);
    string DetachLast { get; }
}
