using ConsultBot.Domain.People;
using ConsultBot.Domain.SchoolDirectory;

namespace ConsultBot.Domain.Texts;

/// <summary>The teacher directory, its maintenance by administrators, and the administration of people, invites and the audit log.</summary>
public partial interface ITexts
{
    // The public directory (/teachers)
    string MenuTeachers { get; }
    string DirectoryTitle(int page, int pages, int total);
    string DirectoryEmpty { get; }
    string ContactsHeader { get; }
    string ContactLine(string duty, string name, string? howToReach);
    string NoAssociation { get; }
    string TeacherEntry(string name, IReadOnlyList<string> subjects, IReadOnlyList<string> officeHours, string? note, bool noSlots);
    string OfficeHoursWindow(DayOfWeek day, TimeOnly from, TimeOnly to);
    string BookTeacher(string name);

    // A deactivated person
    string DeactivatedNotice(IReadOnlyList<SchoolContact> contacts);
    string DeactivatedShort { get; }
    string ConsultationCancelledTeacherLeft(string card, string? forChild);
    /// <summary>To the parent who booked: the child's account was switched off, so the child's booking was given up.</summary>
    string ConsultationCancelledChildDeactivated(string card, string child);

    // Maintaining the directory (/directory)
    string MenuDirectory { get; }
    string DirectoryAdminTitle { get; }
    string DirSubjects { get; }
    string DirAssociations { get; }
    string DirTeachers { get; }
    string DirContacts { get; }
    string SubjectsTitle(int count, int page, int pages);
    string AskSubjectName(int min, int max);
    string SubjectNameInvalid(int min, int max);
    string SubjectExists(string name);
    string SubjectAdded(string name);
    string SubjectRenamed(string oldName, string newName);
    string SubjectCard(string name, bool confidential);
    string MakeConfidential { get; }
    string MakeOpen { get; }
    string ConfidentialChanged(string name, bool confidential);
    string ConfidentialAlready(string name, bool confidential);
    string ConfirmMakeOrdinary(string name);
    string YesMakeOrdinary { get; }
    string SubjectNotFound { get; }
    string AssociationsTitle(int count);
    string AskAssociationName(int min, int max);
    string AssociationNameInvalid(int min, int max);
    string AssociationExists(string name);
    string AssociationAdded(string name);
    string AssociationRenamed(string oldName, string newName);
    string AssociationCard(string name, int teachers);
    string DeleteButton { get; }
    string ConfirmDeleteAssociation(string name, int teachers);
    string YesDelete { get; }
    string AssociationDeleted(string name);
    string AssociationNotFound { get; }
    string StaffTitle(int page, int pages, int total);
    string TeacherProfileCard(string name, string? association, IReadOnlyList<string> subjects, string? note);
    string ChooseAssociationButton { get; }
    string ToggleSubjectsButton { get; }
    string SetNoteButton { get; }
    string ClearNoteButton { get; }
    string WithoutAssociationButton { get; }
    string ChooseAssociationFor(string name);
    string NoAssociationsYet { get; }
    string ToggleSubjectsFor(string name, int page, int pages);
    string NoSubjectsYet { get; }
    string AskOfficeHoursNote(string name, int max);
    string NoteTooLong(int max);
    string NoteSaved { get; }
    string NoteCleared { get; }
    string TeacherNotFound { get; }
    string ContactsTitle(int count);
    string AskContactDuty(int max);
    string AskContactName(int max);
    string AskContactReach(int max);
    string ContactFieldInvalid(int max);
    string ContactAdded(string duty);
    string ContactRemoved { get; }
    string ContactNotFound { get; }
    string MoveUpButton(int n);
    string RemoveButton(int n);

    // People (/people)
    string MenuPeople { get; }
    string PeopleTitle { get; }
    string PeopleFilterName(PeopleFilter filter);
    string InvitesButton { get; }
    string MenuAudit { get; }
    string ChooseClassForPeople { get; }
    string PeopleList(string what, int page, int pages, int total);
    string NoPeople { get; }
    string PersonLine(int n, string name, PersonStatus status, string? group);
    string PersonCardText(PersonCard card);
    string DeactivateButton { get; }
    string ReactivateButton { get; }
    string ConfirmDeactivate(string name, Role role);
    string YesDeactivate { get; }
    string PersonDeactivated(string name, int slotsCancelled, int told, int bookingsCancelled);
    string QuestionReturnedToSubjectTeachers(long number, string subject);
    string PersonReactivated(string name);
    string CannotDeactivateSelf { get; }
    string CannotDeactivateLastAdmin { get; }
    string AlreadyDeactivated { get; }
    string NotDeactivated { get; }
    string PersonNotFound { get; }
    string InvitesTitle(int page, int pages, int total);
    string NoInvites { get; }
    string InviteLine(int n, string created, string? by, string expires, string state);
    string InviteState(TeacherInvite invite, DateTimeOffset now, Func<DateTimeOffset, string> when);
    string ReissueButton(int n);
    string InviteAlreadyUsed { get; }
    string InviteNotFound { get; }
    string InviteReissuedNote { get; }

    // Audit (/audit)
    string AuditTitle(int page, int pages, int total);
    string NoAudit { get; }
    string AuditLine(string when, string action, string subject, string actor);
    string AuditActionName(string action);
}
