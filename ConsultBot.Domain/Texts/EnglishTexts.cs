using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts : ITexts
{
    public Language Language => Language.En;
    public string LanguageName => "English";

    public string Consent(string school) =>
        $"""
        Hello! This is the consultations and study-help bot of {school}.

        To book consultations, ask teachers questions and get reminders, we need your consent to the processing of personal data (Russian Federal Law 152-FZ).

        Operator: {school}.
        What we keep: your name, role, class or group, messenger id, your bookings and questions.
        Why: consultations, answers to questions, lesson reminders, study materials, school reports.
        How long: while you use the bot; withdrawing consent deletes the data.
        How to withdraw: the /forget command, at any time.

        Nothing about you is stored until you agree.
        """;

    public string ConsentAccept => "✅ I agree";
    public string ConsentDecline => "I do not agree";
    public string ConsentDeclined => "Without consent I cannot register you. Nothing was stored. If you change your mind, press /start.";
    public string PressStart => "To begin, press /start.";
    public string AlreadyRegistered => "You are already registered.";
    public string InvalidDeepLink => "This link is invalid or outdated. You can register without it.";
    public string ChooseRole => "Who are you?";
    public string RoleStudent => "Student";
    public string RoleParent => "Parent";
    public string RoleTeacher => "Teacher (by invitation)";

    public string RoleName(Role role) => role switch
    {
        Role.Student => "student",
        Role.Parent => "parent (legal guardian)",
        Role.Teacher => "teacher",
        Role.Admin => "administrator",
        _ => "no role yet",
    };

    public string AskName => "What is your name? Please write your first and last name.";

    public string NameError(NameError error) => error switch
    {
        People.NameError.Empty => "The name cannot be empty. Please write your first and last name.",
        People.NameError.TooLong => $"Too long: at most {PersonName.MaxLength} characters. Please write your first and last name.",
        _ => "A name may contain only letters, spaces, hyphens, dots and apostrophes. Please write your first and last name.",
    };

    public string ChooseGroup => "Choose your class or group:";
    public string NoGroupsYet => "The school has not added any classes yet. Please try later or contact the administrator.";
    public string PreviousPage => "◀ Back";
    public string NextPage => "Next ▶";
    public string AskAge => "Are you 14 or older?";
    public string Age14OrOlder => "Yes, 14 or older";
    public string AgeUnder14 => "No, under 14";
    public string StudentRegistered(string name, string group) => $"Done, {name}! You are registered as a student of {group}.";

    public string StudentNeedsParent(string code, int hours) =>
        $"You are under 14, so a parent must confirm your registration. Ask them to register in this bot as a parent and enter the code {code} (valid {hours} h). A fresh code is always in /profile.";

    public string AskInviteCode => "Enter the invite code the administrator gave you:";
    public string CodeInvalid => "That code did not work: it is wrong, used or expired. Please check it and try again.";
    public string TooManyAttempts => "Too many wrong codes. Please start again with /start a little later.";
    public string Registered(string name, Role role) => $"Done, {name}! You are registered as {RoleName(role)}.";
    public string AskChildCode => "Enter your child's code: the child sees it in /profile. Or press Skip and do it later.";
    public string Skip => "Skip";
    public string ChildLinked(string child) => $"{child} is now linked to your account.";
    public string ChildAlreadyLinked(string child) => $"{child} is already linked to your account.";
    public string ConfirmChild(string child) => $"{child} is under 14. Do you consent to the processing of your child's personal data?";
    public string ConfirmChildButton => "✅ I consent";
    public string ChildConfirmedForParent(string child) => $"Thank you! {child}'s registration is confirmed.";
    public string ConfirmedByParentForChild => "Your parent confirmed your registration. Everything is available to you now.";
    public string ParentLinkedForChild(string parent) => $"{parent} is now linked to your account as a parent.";
    public string FinishRegistrationFirst => "Let's finish the registration first.";

    public string Menu(string name) => $"{name}, what would you like to do?";
    public string MenuProfile => "👤 Profile";
    public string MenuHelp => "❓ Help";
    public string MenuGroups => "🏫 Classes and groups";
    public string MenuInvite => "✉️ Invite a teacher";
    public string MenuLinkChild => "👨‍👧 Link a child";
    public string MenuLanguage => "🌐 Язык / Language";

    private const string Consulting =
        "/publish — publish a consultation\n/slots — my consultations, who booked, cancel, attendance\n/officehours — office hours\n"
        + "/lessons — cancel or move a lesson\n/material — post a material or assignment\n/materials — materials\n/announce — an announcement to a class or the whole school\n"
        + "/questions — students' questions, the longest waiting first\n";

    public string Help(Role role, bool registered)
    {
        if (!registered)
        {
            return "I am the school's consultations bot. Press /start to register.\n/link CODE — attach this messenger if you already use the bot in another one\n/lang — language\n/help — this help";
        }
        var common = "/teachers — teachers, their subjects, office hours and who is responsible\n/settings — reminders and messengers\n/link — attach another messenger\n/menu — menu\n/profile — profile\n/lang — language\n/cancel — stop the current action\n/forget — delete my data\n/help — this help";
        return role switch
        {
            Role.Admin => "You are an administrator: classes, teacher invitations and workload are in /menu.\n/timetable — load the timetable (CSV)\n/holidays — holidays\n/report — the monthly activity report (CSV)\n/directory — directory: subjects, associations, teachers' cards, contacts\n/people — people: switch access off and on, teacher invites\n/audit — log of erased data and role changes\n" + Consulting + common,
            Role.Teacher => "You are a teacher.\n" + Consulting + common,
            Role.Parent => "You are a parent: link your child with the code from the child's /profile.\n/book — book a consultation for your child\n/my — bookings\n/materials — materials\n/ask — ask a teacher or the psychologist a question\n/questions — my questions and answers\n" + common,
            _ => "You are a student.\n/book — book a consultation\n/my — my bookings (cancel, move)\n/materials — materials and assignments\n/ask — ask a teacher or the psychologist a question (anonymously if you like)\n/questions — my questions and answers\n" + common,
        };
    }

    public string Profile(string name, Role role, string? group, bool awaitingParent, IReadOnlyList<string> children)
    {
        var lines = new List<string> { $"Name: {name}", $"Role: {RoleName(role)}" };
        if (group is not null)
        {
            lines.Add($"Class: {group}");
        }
        if (awaitingParent)
        {
            lines.Add("Waiting for a parent's confirmation.");
        }
        if (children.Count > 0)
        {
            lines.Add("Children: " + string.Join(", ", children));
        }
        lines.Add("Language: English");
        return string.Join('\n', lines);
    }

    public string ProfileCodeButton => "🔑 Code for a parent";
    public string ForgetButton => "🗑 Delete my data";
    public string ChildCode(string code, int hours) => $"Code for a parent: {code}\nValid {hours} h, once.";

    public string ChooseLanguage => "Выберите язык / Choose a language:";
    public string LanguageChanged => "Done: I speak English now.";
    public string Cancelled => "OK, cancelled.";
    public string ForgetConfirm => "Delete all your personal data? You will leave the bot; bookings and links to children will be gone. This cannot be undone.";
    public string ForgetYes => "Yes, delete";
    public string ForgetNo => "No, keep";
    public string Forgotten => "Your personal data has been deleted. Thank you for being with us. To come back, press /start.";
    public string ForgetKept => "OK, nothing is deleted.";

    public string UnknownCommand => "There is no such command. Commands: /help";
    public string CommandForOtherBot => "That command is for another bot. My commands: /help";
    public string NotUnderstood => "I did not understand. Choose an action in /menu or see /help.";
    public string EmptyMessage => "The message is empty. Write some text or choose an action in /menu.";
    public string TooLongMessage(int max) => $"The message is too long: at most {max} characters.";
    public string UnsupportedContent => "For now I understand only text and buttons. Please write it as text.";
    public string EditedMessage => "I do not see edits. Please send a new message.";
    public string PrivateOnly => "I work in private messages only. Please write to me in a private chat.";
    public string SomethingWentWrong => "Something went wrong. Please try again a little later.";

    public string ButtonStale => "This button is out of date.";
    public string ButtonInvalid => "Unknown button.";
    public string NotAllowed => "This action is not available to you.";
    public string Done => "Done";

    public string Groups(int count) => count == 0 ? "There are no classes yet. Add the first one." : $"Classes and groups ({count}):";
    public string AddGroup => "➕ Add";
    public string AskGroupName => "What is the class or group called? For example: 7B";
    public string GroupNameInvalid(int max) => $"A name is 1 to {max} characters: letters, digits, spaces, '-', '.', '/', brackets. Please try again.";
    public string GroupExists(string name) => $"The class \"{name}\" already exists. Please enter another name.";
    public string GroupAdded(string name) => $"The class \"{name}\" was added.";
    public string GroupCard(string name) => $"Class \"{name}\"";
    public string Rename => "✏️ Rename";
    public string Archive => "🗄 Archive";
    public string Back => "◀ Back";
    public string AskNewGroupName(string name) => $"New name for \"{name}\":";
    public string GroupRenamed(string oldName, string newName) => $"\"{oldName}\" is now called \"{newName}\".";
    public string GroupArchived(string name) => $"The class \"{name}\" was archived.";

    public string InviteCreated(string code, int days, string? link) =>
        $"Teacher invite code: {code}\nValid {days} days, once." + (link is null ? string.Empty : $"\nOr the link: {link}");
}
