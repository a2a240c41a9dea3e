using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Consultations;

/// <summary>How slots and bookings read in a message, in the school's time zone and the reader's language.</summary>
public static class ConsultationFormat
{
    public static string When(ITexts t, SlotView slot, TimeZoneInfo zone) =>
        t.SlotWhen(SchoolTime.Local(slot.Start, zone), SchoolTime.Local(slot.End, zone));

    /// <summary>Room or link.</summary>
    public static string Place(ITexts t, SlotView slot) => slot.Link is { } link ? t.PlaceOnline(link) : t.PlaceRoom(slot.Room ?? string.Empty);

    /// <summary>"Math · review" / "Math · topic «Fractions» · attestation preparation".</summary>
    public static string What(ITexts t, SlotView slot)
    {
        var parts = new List<string> { slot.SubjectName ?? t.NoSubject, t.KindName(slot.Kind) };
        parts.Add(slot.Purpose == ConsultationPurpose.Topic && slot.TopicTitle is { } topic ? t.TopicNamed(topic) : t.Review);
        if (slot.AttestationPrep)
        {
            parts.Add(t.AttestationPrep);
        }
        return string.Join(" · ", parts);
    }

    /// <summary>A full card: when, what, who, where, seats and the teacher's note.</summary>
    public static string Card(ITexts t, SlotView slot, TimeZoneInfo zone) =>
        t.SlotCard(When(t, slot, zone), What(t, slot), slot.TeacherName, Place(t, slot),
            slot.Kind == ConsultationKind.Group ? t.Seats(slot.Booked, slot.Capacity, slot.Waiting) : null, slot.Note);

    /// <summary>A short button label: "ср 26.11 15:00 · 3/10".</summary>
    public static string Short(ITexts t, SlotView slot, TimeZoneInfo zone, bool withTeacher = false)
    {
        var label = t.SlotShort(SchoolTime.Local(slot.Start, zone));
        if (slot.Kind == ConsultationKind.Group)
        {
            label += $" · {slot.Booked}/{slot.Capacity}";
        }
        else if (slot.Full)
        {
            label += " · " + t.FullMark;
        }
        if (withTeacher)
        {
            label += " · " + (slot.SubjectName ?? string.Empty) + " · " + ShortName(slot.TeacherName);
        }
        return label.Length <= 60 ? label : label[..59] + "…";
    }

    /// <summary>"Иванов Иван, 7Б — «дроби»": the teacher sees who and what about, in any language.</summary>
    public static string StudentLine(string name, string? group, string? topic) =>
        name + (group is null ? string.Empty : ", " + group) + (string.IsNullOrWhiteSpace(topic) ? string.Empty : " — «" + topic + "»");

    /// <summary>"Ivanova Maria Petrovna" → "Ivanova M. P."</summary>
    public static string ShortName(string fullName)
    {
        var parts = fullName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length <= 1 ? fullName : parts[0] + " " + string.Join(" ", parts.Skip(1).Select(p => p[0] + "."));
    }
}
