using ConsultBot.Domain.Conversations;

namespace ConsultBot.Domain.People;

/// <summary>
/// A person registered with the bot. Exists only after consent to personal-data processing; one row however
/// many messengers the person uses.
/// </summary>
public sealed class Person
{
    private Person(PersonId id, Role role, PersonStatus status, Language language, DateTimeOffset consentedAt, DialogState dialog)
    {
        Id = id;
        Role = role;
        Status = status;
        Language = language;
        ConsentedAt = consentedAt;
        Dialog = dialog;
    }

    public PersonId Id { get; }
    public Role Role { get; private set; }
    public PersonStatus Status { get; private set; }
    public string? FullName { get; private set; }
    public GroupId? GroupId { get; private set; }
    public Language Language { get; private set; }
    /// <summary>Students younger than 14 need a linked parent's confirmation (152-FZ).</summary>
    public bool Under14 { get; private set; }
    public bool ConfirmedByParent { get; private set; }
    public DateTimeOffset ConsentedAt { get; }
    public DialogState Dialog { get; private set; }

    public bool IsActive => Status == PersonStatus.Active;

    /// <summary>An under-14 student waits for a parent; everyone else is confirmed on registration.</summary>
    public bool NeedsParentConfirmation => Role == Role.Student && Under14 && !ConfirmedByParent;

    public static Person Restore(PersonId id, Role role, PersonStatus status, string? fullName, GroupId? groupId,
        Language language, bool under14, bool confirmedByParent, DateTimeOffset consentedAt, DialogState dialog) =>
        new(id, role, status, language, consentedAt, dialog)
        {
            FullName = fullName,
            GroupId = groupId,
            Under14 = under14,
            ConfirmedByParent = confirmedByParent,
        };

    public void ChooseRole(Role role)
    {
        if (Status == PersonStatus.Active)
        {
            throw new DomainException("role-fixed");
        }
        Role = role;
    }

    public void Rename(PersonName name) => FullName = name.Value;

    public void JoinGroup(GroupId group)
    {
        if (Role != Role.Student)
        {
            throw new DomainException("not-a-student");
        }
        GroupId = group;
    }

    public void DeclareAge(bool under14) => Under14 = under14;

    public void ConfirmByParent() => ConfirmedByParent = true;

    public void Activate()
    {
        if (Role == Role.None || FullName is null || (Role == Role.Student && GroupId is null))
        {
            throw new DomainException("registration-incomplete");
        }
        Status = PersonStatus.Active;
    }

    public void ChangeLanguage(Language language) => Language = language;

    /// <summary>Moves the dialog to a new step; buttons shown in older steps become stale.</summary>
    public void BeginStep(string step, IReadOnlyDictionary<string, string>? data = null) =>
        Dialog = new DialogState(step, data ?? new Dictionary<string, string>(), Dialog.Version + 1);

    public void SetStepData(string key, string value)
    {
        var data = new Dictionary<string, string>(Dialog.Data) { [key] = value };
        Dialog = Dialog with { Data = data };
    }

    public void EndDialog() => Dialog = new DialogState(null, new Dictionary<string, string>(), Dialog.Version + 1);
}

/// <summary>A rule was broken; the conversation turns the code into a friendly message.</summary>
public sealed class DomainException(string code) : Exception(code)
{
    public string Code { get; } = code;
}
