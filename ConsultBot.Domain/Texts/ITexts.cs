using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Texts;

/// <summary>
/// Every user-visible string, one implementation per language. An interface, so a language that misses a
/// string does not compile.
/// </summary>
public partial interface ITexts
{
    Language Language { get; }
    string LanguageName { get; }

    // Consent and registration
    string Consent(string school);
    string ConsentAccept { get; }
    string ConsentDecline { get; }
    string ConsentDeclined { get; }
    string PressStart { get; }
    string AlreadyRegistered { get; }
    string InvalidDeepLink { get; }
    string ChooseRole { get; }
    string RoleStudent { get; }
    string RoleParent { get; }
    string RoleTeacher { get; }
    string RoleName(Role role);
    string AskName { get; }
    string NameError(NameError error);
    string ChooseGroup { get; }
    string NoGroupsYet { get; }
    string PreviousPage { get; }
    string NextPage { get; }
    string AskAge { get; }
    string Age14OrOlder { get; }
    string AgeUnder14 { get; }
    string StudentRegistered(string name, string group);
    string StudentNeedsParent(string code, int hours);
    string AskInviteCode { get; }
    string CodeInvalid { get; }
    string TooManyAttempts { get; }
    string Registered(string name, Role role);
    string AskChildCode { get; }
    string Skip { get; }
    string ChildLinked(string child);
    string ChildAlreadyLinked(string child);
    string ConfirmChild(string child);
    string ConfirmChildButton { get; }
    string ChildConfirmedForParent(string child);
    string ConfirmedByParentForChild { get; }
    string ParentLinkedForChild(string parent);
    string FinishRegistrationFirst { get; }

    // Menu, help, profile
    string Menu(string name);
    string MenuProfile { get; }
    string MenuHelp { get; }
    string MenuGroups { get; }
    string MenuInvite { get; }
    string MenuLinkChild { get; }
    string MenuLanguage { get; }
    string Help(Role role, bool registered);
    string Profile(string name, Role role, string? group, bool awaitingParent, IReadOnlyList<string> children);
    string ProfileCodeButton { get; }
    string ForgetButton { get; }
    string ChildCode(string code, int hours);

    // Language, cancel, forget
    string ChooseLanguage { get; }
    string LanguageChanged { get; }
    string Cancelled { get; }
    string ForgetConfirm { get; }
    string ForgetYes { get; }
    string ForgetNo { get; }
    string Forgotten { get; }
    string ForgetKept { get; }

    // Input the bot cannot use
    string UnknownCommand { get; }
    string CommandForOtherBot { get; }
    string NotUnderstood { get; }
    string EmptyMessage { get; }
    string TooLongMessage(int max);
    string UnsupportedContent { get; }
    string EditedMessage { get; }
    string PrivateOnly { get; }
    string SomethingWentWrong { get; }

    // Button answers (short toasts)
    string ButtonStale { get; }
    string ButtonInvalid { get; }
    string NotAllowed { get; }
    string Done { get; }

    // Administration
    string Groups(int count);
    string AddGroup { get; }
    string AskGroupName { get; }
    string GroupNameInvalid(int max);
    string GroupExists(string name);
    string GroupAdded(string name);
    string GroupCard(string name);
    string Rename { get; }
    string Archive { get; }
    string Back { get; }
    string AskNewGroupName(string name);
    string GroupRenamed(string oldName, string newName);
    string GroupArchived(string name);
    string InviteCreated(string code, int days, string? link);
}

public static class TextCatalog
{
    private static readonly ITexts Ru = new RussianTexts();
    private static readonly ITexts En = new EnglishTexts();

    public static ITexts For(Language language) => language == Language.En ? En : Ru;
}
