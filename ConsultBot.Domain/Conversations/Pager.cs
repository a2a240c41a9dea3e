using System.Globalization;
using ConsultBot.Domain.Messaging;
using ConsultBot.Domain.Texts;

namespace ConsultBot.Domain.Conversations;

/// <summary>The ◀ ▶ row of a paged list: only the buttons that lead somewhere, none on a single page.</summary>
internal static class Pager
{
    /// <summary>The buttons for page <paramref name="page"/> (0-based) of <paramref name="pages"/>; <paramref name="button"/> makes one from its label and the page it opens.</summary>
    public static List<Button> Buttons(ITexts t, int page, int pages, Func<string, string, Button> button)
    {
        var nav = new List<Button>();
        if (page > 0)
        {
            nav.Add(button(t.PreviousPage, (page - 1).ToString(CultureInfo.InvariantCulture)));
        }
        if (page < pages - 1)
        {
            nav.Add(button(t.NextPage, (page + 1).ToString(CultureInfo.InvariantCulture)));
        }
        return nav;
    }

    /// <summary>Adds the ◀ ▶ row to <paramref name="rows"/> when there is more than one page.</summary>
    public static void AddRow(ICollection<IReadOnlyList<Button>> rows, ITexts t, int page, int pages, Func<string, string, Button> button)
    {
        var nav = Buttons(t, page, pages, button);
        if (nav.Count > 0)
        {
            rows.Add(nav);
        }
    }
}
