using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;

namespace ConsultBot.Domain.Texts;

internal sealed partial class EnglishTexts
{
    public string MenuTeachers => "👩‍🏫 Teachers";
    public string DirectoryTitle(int page, int pages, int total) =>
        pages > 1 ? $"The school's teachers ({total}), page {page} of {pages}:" : $"The school's teachers ({total}):";
    public string DirectoryEmpty => "There are no teachers in the directory yet.";
    public string ContactsHeader => "Who is responsible:";
    public string ContactLine(string duty, string name, string? howToReach) =>
        $"• {duty} — {name}" + (howToReach is null ? string.Empty : $" ({howToReach})");
    public string NoAssociation => "No association";

    public string TeacherEntry(string name, IReadOnlyList<string> subjects, IReadOnlyList<string> officeHours, string? note, bool noSlots)
    {
        var lines = new List<string> { $"👤 {name}" };
        if (subjects.Count > 0)
        {
            lines.Add("   Subjects: " + string.Join(", ", subjects));
        }
        if (officeHours.Count > 0)
        {
            lines.Add("   Office hours: " + string.Join("; ", officeHours));
        }
        if (note is not null)
        {
            lines.Add("   " + note);
        }
        if (noSlots)
        {
            lines.Add("   No free consultations right now.");
        }
        return string.Join('\n', lines);
    }

    public string OfficeHoursWindow(DayOfWeek day, TimeOnly from, TimeOnly to) =>
        $"{day.ToString()[..3]} {from.ToString("HH:mm", CultureInfo.InvariantCulture)}–{to.ToString("HH:mm", CultureInfo.InvariantCulture)}";

    public string BookTeacher(string name) => $"📅 Book: {name}";

    public string DeactivatedNotice(IReadOnlyList<SchoolContact> contacts) =>
        "The school switched off your access to the bot. If this is a mistake, contact the school"
        + (contacts.Count == 0 ? "." : ":\n" + string.Join('\n', contacts.Select(c => ContactLine(c.Duty, c.Name, c.HowToReach))))
        + "\nYou can delete your data with /forget.";
    public string DeactivatedShort => "The school switched off your access to the bot.";
    public string ConsultationCancelledChildDeactivated(string card, string child) =>
        $"The consultation booking for {child} was cancelled: the school switched off the student's access to the bot.\n\n" + card;
    public string ConsultationCancelledTeacherLeft(string card, string? forChild) =>
        "Consultation cancelled: the teacher no longer holds consultations" + (forChild is null ? string.Empty : $" (booking for {forChild})")
        + ". Pick another time or teacher in /book.\n\n" + card;

    public string MenuDirectory => "📇 Directory";
    public string DirectoryAdminTitle => "The school's directory: subjects, methodological associations, teachers' cards and responsible contacts.";
    public string DirSubjects => "📘 Subjects";
    public string DirAssociations => "🏛 Associations";
    public string DirTeachers => "👩‍🏫 Teachers' cards";
    public string DirContacts => "☎️ Contacts";
    public string SubjectsTitle(int count, int page, int pages) =>
        count == 0 ? "No subjects yet. Add the first one." : $"Subjects ({count})" + (pages > 1 ? $", page {page} of {pages}" : string.Empty)
            + ". 🔒 — confidential: questions on it are read only by its teachers.";
    public string AskSubjectName(int min, int max) => $"What is the subject called? {min} to {max} characters, e.g. Physics";
    public string SubjectNameInvalid(int min, int max) => $"A subject's name: {min} to {max} characters on one line. Please try again.";
    public string SubjectExists(string name) => $"The subject \"{name}\" already exists. Type another name.";
    public string SubjectAdded(string name) => $"Subject \"{name}\" added.";
    public string SubjectRenamed(string oldName, string newName) => $"\"{oldName}\" is now called \"{newName}\".";
    public string SubjectCard(string name, bool confidential) =>
        $"Subject \"{name}\".\n" + (confidential
            ? "🔒 Confidential: questions on it are read only by its teachers (the school psychologist works like this); administrators see only counts."
            : "Ordinary: questions on it are seen by the teachers of the subject.");
    public string MakeConfidential => "🔒 Questions for its teachers only";
    public string MakeOpen => "🔓 Make it ordinary";
    public string ConfidentialChanged(string name, bool confidential) =>
        confidential ? $"\"{name}\" is confidential now: only its teachers read questions on it." : $"\"{name}\" is no longer confidential.";
    public string ConfidentialAlready(string name, bool confidential) =>
        confidential ? $"\"{name}\" is already confidential." : $"\"{name}\" is already ordinary.";
    public string ConfirmMakeOrdinary(string name) =>
        $"Make \"{name}\" ordinary? Questions on it will no longer be private: not only its teachers will see them.";
    public string YesMakeOrdinary => "Yes, make it ordinary";
    public string QuestionReturnedToSubjectTeachers(long number, string subject) =>
        $"The teacher your question No. {number} ({subject}) was addressed to no longer uses the bot. The question went to the subject's teachers; one of them will answer.";
    public string SubjectNotFound => "There is no such subject. Open the list again.";
    public string AssociationsTitle(int count) => count == 0 ? "No methodological associations yet. Add the first one." : $"Methodological associations ({count}):";
    public string AskAssociationName(int min, int max) => $"What is the association called? {min} to {max} characters, e.g. Mathematics teachers";
    public string AssociationNameInvalid(int min, int max) => $"An association's name: {min} to {max} characters on one line. Please try again.";
    public string AssociationExists(string name) => $"The association \"{name}\" already exists. Type another name.";
    public string AssociationAdded(string name) => $"Association \"{name}\" added.";
    public string AssociationRenamed(string oldName, string newName) => $"\"{oldName}\" is now called \"{newName}\".";
    public string AssociationCard(string name, int teachers) => $"Association \"{name}\", teachers: {teachers}.";
    public string DeleteButton => "🗑 Delete";
    public string ConfirmDeleteAssociation(string name, int teachers) =>
        $"Delete the association \"{name}\"?" + (teachers > 0 ? $" Its teachers ({teachers}) will have no association." : string.Empty);
    public string YesDelete => "Yes, delete";
    public string AssociationDeleted(string name) => $"Association \"{name}\" deleted.";
    public string AssociationNotFound => "That association is gone. Open the list again.";
    public string StaffTitle(int page, int pages, int total) =>
        $"Teachers and administrators ({total})" + (pages > 1 ? $", page {page} of {pages}" : string.Empty) + ". Pick a card:";
    public string TeacherProfileCard(string name, string? association, IReadOnlyList<string> subjects, string? note) =>
        $"{name}\nAssociation: {association ?? NoAssociation}\nSubjects: {(subjects.Count == 0 ? "none assigned" : string.Join(", ", subjects))}\n"
        + $"Office-hours note: {note ?? "none"}";
    public string ChooseAssociationButton => "🏛 Association";
    public string ToggleSubjectsButton => "📘 Subjects";
    public string SetNoteButton => "🕒 Office-hours note";
    public string ClearNoteButton => "✖ Remove the note";
    public string WithoutAssociationButton => "— no association";
    public string ChooseAssociationFor(string name) => $"Association for {name}:";
    public string NoAssociationsYet => "No associations yet: add them under \"Associations\".";
    public string ToggleSubjectsFor(string name, int page, int pages) =>
        $"Subjects of {name} (✓ — assigned, press to change)" + (pages > 1 ? $", page {page} of {pages}" : string.Empty) + ":";
    public string NoSubjectsYet => "No subjects yet: add them under \"Subjects\".";
    public string AskOfficeHoursNote(string name, int max) =>
        $"Office-hours note for {name}, up to {max} characters, e.g. \"Room 214, by appointment\". /cancel to stop.";
    public string NoteTooLong(int max) => $"Too long: a note is at most {max} characters. Shorten it and send again.";
    public string NoteSaved => "Note saved.";
    public string NoteCleared => "Note removed.";
    public string TeacherNotFound => "This teacher is not among the active ones. Open the list again.";
    public string ContactsTitle(int count) =>
        count == 0 ? "No contacts yet. Add, for example, who is responsible for consultations." : $"Responsible contacts ({count}), in display order:";
    public string AskContactDuty(int max) => $"What are they responsible for? Up to {max} characters, e.g. Consultations";
    public string AskContactName(int max) => $"Who is it? Up to {max} characters, e.g. Deputy head Olga Kuznetsova";
    public string AskContactReach(int max) => $"How to reach them? Up to {max} characters: phone, room, hours. Or press \"Skip\".";
    public string ContactFieldInvalid(int max) => $"1 to {max} characters, please. Try again.";
    public string ContactAdded(string duty) => $"Contact \"{duty}\" added.";
    public string ContactRemoved => "Contact removed.";
    public string ContactNotFound => "That contact is gone. Open the list again.";
    public string MoveUpButton(int n) => $"⬆ {n}";
    public string RemoveButton(int n) => $"✖ {n}";

    public string MenuPeople => "👥 People";
    public string PeopleTitle => "The school's people: whom to show?";
    public string PeopleFilterName(PeopleFilter filter) => filter switch
    {
        PeopleFilter.Parents => "Parents",
        PeopleFilter.Teachers => "Teachers",
        PeopleFilter.Admins => "Administrators",
        _ => "Students",
    };
    public string InvitesButton => "✉️ Teacher invites";
    public string MenuAudit => "📜 Audit log";
    public string ChooseClassForPeople => "Students of which class?";
    public string PeopleList(string what, int page, int pages, int total) =>
        $"{what}: {total}" + (pages > 1 ? $", page {page} of {pages}" : string.Empty);
    public string NoPeople => "Nobody here yet.";
    public string PersonLine(int n, string name, PersonStatus status, string? group) =>
        $"{n}. {name}" + (group is null ? string.Empty : $", {group}") + (status == PersonStatus.Deactivated ? " — ⛔ switched off" : string.Empty);

    public string PersonCardText(PersonCard card)
    {
        var lines = new List<string> { card.Name, $"Role: {RoleName(card.Role)}" };
        if (card.Group is not null)
        {
            lines.Add($"Class: {card.Group}");
        }
        lines.Add("Status: " + (card.Status == PersonStatus.Deactivated ? "⛔ access switched off" : "active"));
        if (card.Children.Count > 0)
        {
            lines.Add("Children: " + string.Join(", ", card.Children));
        }
        if (card.Parents.Count > 0)
        {
            lines.Add("Parents: " + string.Join(", ", card.Parents));
        }
        lines.Add("Messengers: " + (card.Messengers.Count == 0 ? "none" : string.Join(", ", card.Messengers.Select(MessengerName))));
        return string.Join('\n', lines);
    }

    private static string MessengerName(Channel channel) => channel switch
    {
        Channel.Telegram => "Telegram",
        Channel.Vk => "VK",
        _ => "web playground",
    };

    public string DeactivateButton => "⛔ Switch access off";
    public string ReactivateButton => "✅ Switch access on";
    public string ConfirmDeactivate(string name, Role role) =>
        $"Switch off access for {name}? The data stay; the bot will only say whom to contact, and notifications stop."
        + role switch
        {
            Role.Teacher or Role.Admin => " Future consultations are cancelled, everyone booked is told, office hours stop.",
            Role.Student => " Their bookings of future consultations are given up and the teachers told.",
            _ => string.Empty,
        };
    public string YesDeactivate => "Yes, switch off";
    public string PersonDeactivated(string name, int slotsCancelled, int told, int bookingsCancelled) =>
        $"Access for {name} switched off." + (slotsCancelled > 0 ? $" Consultations cancelled: {slotsCancelled}, people told: {told}." : string.Empty)
        + (bookingsCancelled > 0 ? $" Consultation bookings given up: {bookingsCancelled}." : string.Empty);
    public string PersonReactivated(string name) => $"Access for {name} switched on again.";
    public string CannotDeactivateSelf => "You cannot switch yourself off.";
    public string CannotDeactivateLastAdmin => "This is the last active administrator: make someone else an administrator first.";
    public string AlreadyDeactivated => "Access is already switched off.";
    public string NotDeactivated => "Access is already on.";
    public string PersonNotFound => "There is no such person (or their data were erased). Open the list again.";
    public string InvitesTitle(int page, int pages, int total) =>
        $"Teacher invites ({total})" + (pages > 1 ? $", page {page} of {pages}" : string.Empty) + ". Codes are stored hashed and never shown:";
    public string NoInvites => "No invites yet. Create one with \"✉️ Invite a teacher\" in /menu.";
    public string InviteLine(int n, string created, string? by, string expires, string state) =>
        $"{n}. created {created}" + (by is null ? string.Empty : $" ({by})") + $", valid until {expires} — {state}";
    public string InviteState(TeacherInvite invite, DateTimeOffset now, Func<DateTimeOffset, string> when) =>
        invite.UsedAt is { } used ? $"used {when(used)}" + (invite.UsedBy is null ? string.Empty : $" ({invite.UsedBy})")
        : invite.RevokedAt is { } revoked ? $"revoked {when(revoked)}"
        : invite.ExpiresAt <= now ? "expired"
        : "waiting";
    public string ReissueButton(int n) => $"🔁 Re-issue {n}";
    public string InviteAlreadyUsed => "This invite was already used or re-issued: there is nothing to revoke.";
    public string InviteNotFound => "There is no such invite.";
    public string InviteReissuedNote => "The old code is revoked and will no longer work.";

    public string AuditTitle(int page, int pages, int total) =>
        $"Audit log: erased data and role changes ({total})" + (pages > 1 ? $", page {page} of {pages}" : string.Empty) + ", newest first:";
    public string NoAudit => "The audit log is empty.";
    public string AuditLine(string when, string action, string subject, string actor) => $"{when} — {action}: {subject}, by {actor}";
    public string AuditActionName(string action) => action switch
    {
        "personal-data-erased" => "personal data erased (/forget)",
        "unconfirmed-child-erased" => "unconfirmed child's data erased",
        "teacher-invite-used" => "became a teacher by invite",
        "admin-bootstrapped" => "became an administrator by code",
        "admin-configured" => "became an administrator by configuration",
        "person-deactivated" => "access switched off",
        "person-reactivated" => "access switched on",
        "teacher-invite-reissued" => "invite re-issued",
        _ => action,
    };
}
