using ConsultBot.Domain.Consultations;
using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Materials;

/// <summary>How a material reads, in the reader's language and the school's time zone.</summary>
public static class MaterialFormat
{
    /// <summary>Room for a page header and separators under the messengers' 4096-character limit.</summary>
    public const int MaxMessageLength = 4000;

    public static string Card(ITexts t, MaterialView m, TimeZoneInfo zone) =>
        t.MaterialCard(m.Kind, m.SubjectName, m.Title, m.Url, m.Description,
            m.DueOn is { } due ? t.MaterialDay(due) : null,
            m.LessonOn is { } lesson ? t.MaterialDay(lesson) : null,
            string.Join(", ", m.Groups), m.TeacherName, t.MaterialDay(SchoolTime.Today(m.PostedAt, zone)));

    /// <summary>
    /// Packs a header and entries into as few messages as fit the limit, entries whole and in order. One entry is at most
    /// about 3,400 characters (title 200, link 2,048, description 1,000), so each always fits a message of its own.
    /// </summary>
    public static IReadOnlyList<string> Pack(string header, IEnumerable<string> entries)
    {
        var messages = new List<string>();
        var current = header;
        foreach (var entry in entries)
        {
            if (current.Length + 2 + entry.Length > MaxMessageLength)
            {
                messages.Add(current);
                current = entry;
                continue;
            }
            current += "\n\n" + entry;
        }
        messages.Add(current);
        return messages;
    }
}
