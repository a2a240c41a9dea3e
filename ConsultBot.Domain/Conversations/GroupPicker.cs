using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.People;

namespace ConsultBot.Domain.Conversations;

/// <summary>
/// The paged picker of classes the staff's dialogs share: one page of group buttons, two a row
/// (<c>verb:v:g:id</c>), and ◀ ▶ (<c>verb:v:gp:page</c>) when there is more than one page.
/// </summary>
internal static class GroupPicker
{
    public const string PickArg = "g";
    public const string PageArg = "gp";

    /// <summary>The rows of the requested page (<paramref name="page"/> as stored in the dialog, clamped to the pages there are).</summary>
    public static List<IReadOnlyList<Button>> Rows(Turn turn, IReadOnlyList<Group> groups, string? page, string verb, Func<Group, string> label)
    {
        var t = turn.Texts;
        var size = Math.Max(1, turn.Settings.GroupsPerPage);
        var pages = Math.Max(1, (groups.Count + size - 1) / size);
        var current = Math.Clamp(int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0, 0, pages - 1);
        var rows = groups.Skip(current * size).Take(size)
            .Select(g => turn.StepButton(label(g), verb, PickArg, g.Id.ToString()))
            .Chunk(2).Select(r => (IReadOnlyList<Button>)r).ToList();
        Pager.AddRow(rows, t, current, pages, (label, to) => turn.StepButton(label, verb, PageArg, to));
        return rows;
    }

    /// <summary>A page number from a ◀ ▶ press; null for anything else.</summary>
    public static string? Page(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page < 10_000
            ? page.ToString(CultureInfo.InvariantCulture)
            : null;
}
