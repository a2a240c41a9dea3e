using System.Globalization;
using System.Net;
using System.Text;

/// <summary>Everything one benchmark run measured, for the report.</summary>
internal sealed record LoadFigures(
    DateTime At,
    string LoadBefore,
    string LoadAfter,
    BenchOptions Options,
    int ScriptLength,
    int Updates,
    TimeSpan UpdatesElapsed,
    double P50,
    double P95,
    double P99,
    double RepliesPerSecond,
    CpuUse InboundCpu,
    double TelegramDelivered,
    long TooManyRequests,
    PgBenchRun Ceiling,
    BookingFigures Bookings,
    LastSeatRun LastSeat,
    RemindersRun? Reminders,
    VkFigures? Vk,
    int VkRate,
    double RssAfterRegistration,
    double RssPeak,
    int Mismatches)
{
    public double UpdatesPerSecond => Updates / UpdatesElapsed.TotalSeconds;
}

internal sealed record BookingFigures(long Booked, TimeSpan Elapsed, int Slots, int Capacity, double P50, double P95, double P99)
{
    public double PerSecond => Booked / Elapsed.TotalSeconds;
}

/// <summary>
/// The one table of the figures the issues asked for (each with its target and whether it was met), as Markdown for the
/// console and <c>bench-results/latest.md</c>, and as a self-contained HTML page with inline SVG charts
/// (<c>bench-results/latest.html</c>). Every number comes from <see cref="LoadFigures"/>: nothing here is a measurement.
/// </summary>
internal static class LoadReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Targets of the earlier issues on this 2-core machine (issue 3: inbound and dispatcher, 4: bookings, 5: daily
    // reminders, 6: VK).
    private const double UpdatesTarget = 2000;
    private const double P99Target = 50;
    private const double RssTarget = 300;
    private const double ShareTarget = 95;
    private const double BookingsTarget = 500;
    private const double PlanningTarget = 10;

    private sealed record Row(string Figure, string Value, string Target, bool? Met);

    private static string F(FormattableString s) => s.ToString(Inv);

    private static List<Row> Rows(LoadFigures f)
    {
        var o = f.Options;
        var c = f.Ceiling;
        var ratio = f.UpdatesPerSecond / c.Tps;
        var rows = new List<Row>
        {
            new(F($"Inbound updates/s (webhook → committed reply; {f.Updates} updates in {f.UpdatesElapsed.TotalSeconds:F1} s, {o.Concurrency} in flight)"),
                F($"{f.UpdatesPerSecond:F0}"), F($"≥ {UpdatesTarget:F0}"), f.UpdatesPerSecond >= UpdatesTarget),
            new("Inbound latency p50 / p95 / p99", F($"{f.P50:F1} / {f.P95:F1} / {f.P99:F1} ms"), F($"p99 ≤ {P99Target:F0} ms"), f.P99 <= P99Target),
            c.Problem is null
                ? new(F($"PostgreSQL ceiling: pgbench, the same transaction, {c.Clients} clients, {c.Seconds} s"),
                    F($"{c.Tps:F0} tps ({c.Transactions} transactions, {c.FailedTransactions} failed)"), "reference", null)
                : new("PostgreSQL ceiling: pgbench", "**NOT MEASURED: " + c.Problem + "**", "reference", false),
            c.Problem is null
                ? new("pgbench latency average; p50 / p95 / p99", F($"{c.LatencyAverage:F2} ms; {c.P50:F2} / {c.P95:F2} / {c.P99:F2} ms"), "", null)
                : new("pgbench latency", "**NOT MEASURED**", "", false),
            new("Ratio inbound updates/s ÷ pgbench tps", c.Problem is null ? F($"{ratio:F2} ({100 * ratio:F0} %)") : "**NOT MEASURED**", "", null),
            new("Replies committed to the outbox/s", F($"{f.RepliesPerSecond:F0}"), "", null),
            new("CPU per inbound update: host / PostgreSQL (all of its processes) / the two cores' budget at the target",
                F($"{1e6 * f.InboundCpu.HostSeconds / f.Updates:F0} / {1e6 * f.InboundCpu.PostgresSeconds / f.Updates:F0} / {1e6 * Environment.ProcessorCount / UpdatesTarget:F0} µs"),
                "", null),
            new(F($"Telegram: delivered/s while the backlog is above the ceiling ({o.DispatchSeconds} s window)"),
                F($"{f.TelegramDelivered:F1} ({Share(f.TelegramDelivered, o.Rate):F1} % of {o.Rate}/s)"), F($"≥ {ShareTarget:F0} %"),
                Share(f.TelegramDelivered, o.Rate) >= ShareTarget),
            new("Telegram: 429s from the fake Bot API, whole run", F($"{f.TooManyRequests}"), "0", f.TooManyRequests == 0),
            new(F($"Bookings/s, uncontended ({f.Bookings.Booked} on {f.Bookings.Slots} slots over {o.BookingTeachers} teachers, {o.Concurrency} in flight)"),
                F($"{f.Bookings.PerSecond:F0}"), F($"≥ {BookingsTarget:F0}"), f.Bookings.PerSecond >= BookingsTarget),
            new("Booking latency p50 / p95 / p99", F($"{f.Bookings.P50:F1} / {f.Bookings.P95:F1} / {f.Bookings.P99:F1} ms"), "", null),
            new(F($"Last seat: {o.LastSeat} presses at once → winners, refusals, settle"),
                F($"{f.LastSeat.Winners}, {f.LastSeat.Refusals}, {f.LastSeat.Settle.TotalMilliseconds:F0} ms"), F($"1, {o.LastSeat - 1}"),
                f.LastSeat.Winners == 1 && f.LastSeat.Refusals == o.LastSeat - 1),
        };
        if (f.Reminders is { } r)
        {
            rows.Add(new(F($"Daily reminders: planning for {o.ReminderStudents} students, {Math.Min(o.ReminderParents, o.ReminderStudents)} parents, {r.Teachers} teachers ({r.Lessons} lessons, seeded in {r.Seed.TotalSeconds:F1} s)"),
                F($"{r.Planned} planned in {r.Planning.TotalSeconds:F2} s ({r.Planned / r.Planning.TotalSeconds:F0}/s)"), F($"< {PlanningTarget:F0} s"),
                r.Planning.TotalSeconds < PlanningTarget));
            rows.Add(new("Daily reminders: the same run again", F($"{r.Replanned} in {r.Replanning.TotalSeconds:F2} s"), "0", r.Replanned == 0));
            rows.Add(new(F($"Daily reminders: delivered/s ({o.DispatchSeconds} s window), 429s"),
                F($"{r.Rate:F1} ({Share(r.Rate, o.Rate):F1} % of {o.Rate}/s), {r.TooManyRequests} × 429"), F($"≥ {ShareTarget:F0} %, 0"),
                Share(r.Rate, o.Rate) >= ShareTarget && r.TooManyRequests == 0));
        }
        else
        {
            rows.Add(new("Daily reminders", "skipped (REMINDER_STUDENTS=0)", "", null));
        }
        if (f.Vk is { } v)
        {
            rows.Add(new(F($"VK: events/s through /vk/callback ({v.Events} events)"), F($"{v.Events / v.Elapsed.TotalSeconds:F0}"), "", null));
            rows.Add(new(F($"VK: requests/s with the community token ({o.DispatchSeconds} s window), messages.send alone"),
                F($"{v.RequestRate:F1} ({Share(v.RequestRate, f.VkRate):F1} % of {f.VkRate}/s), {v.SendRate:F1}/s"), F($"≥ {ShareTarget:F0} %"),
                Share(v.RequestRate, f.VkRate) >= ShareTarget));
            rows.Add(new("VK: error 6 (too many requests) from the fake", F($"{v.TooManyRequests}"), "0", v.TooManyRequests == 0));
        }
        else
        {
            rows.Add(new("VK", "skipped (VK_USERS=0)", "", null));
        }
        rows.Add(new("Host peak RSS: after registration; whole run", F($"{f.RssAfterRegistration:F0} MB; {f.RssPeak:F0} MB"), F($"≤ {RssTarget:F0} MB"),
            f.RssPeak <= RssTarget));
        rows.Add(new("Mismatches (lost, doubled or wrong results)", F($"{f.Mismatches}"), "0", f.Mismatches == 0));
        return rows;
    }

    private static double Share(double rate, double ceiling) => 100 * rate / ceiling;

    private static string Header(LoadFigures f) =>
        F($"ConsultBot benchmark — {f.At:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {f.LoadBefore} at the start, {f.LoadAfter} at the end") + "\n"
        + F($"users {f.Options.Users} x {f.ScriptLength} updates after {f.Options.WarmupUsers} warm-up users; bookings {f.Options.Bookings} after {f.Options.BookingWarmup}; concurrency {f.Options.Concurrency}; Telegram {f.Options.Rate}/s, VK {f.VkRate}/s");

    public static string Markdown(LoadFigures f)
    {
        var text = new StringBuilder().AppendLine(Header(f)).AppendLine().AppendLine("| figure | measured | target | met |").AppendLine("|---|---|---|---|");
        foreach (var row in Rows(f))
        {
            text.AppendLine(F($"| {row.Figure} | {row.Value} | {row.Target} | {row.Met switch { true => "yes", false => "**NO**", null => "" }} |"));
        }
        return text.ToString();
    }

    public static string Html(LoadFigures f)
    {
        var o = f.Options;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ConsultBot benchmark</title><style>")
            .Append("body{font:14px/1.4 system-ui,sans-serif;margin:20px;color:#222;max-width:960px}h1{font-size:20px;margin:0 0 4px}")
            .Append("p.sub{color:#555;margin:0 0 12px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:12px}")
            .Append(".card{border:1px solid #ddd;border-radius:6px;padding:8px}.card h2{font-size:14px;margin:0 0 4px}")
            .Append("table{border-collapse:collapse;width:100%;margin-top:12px;font-size:12px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left}")
            .Append("td.no{color:#b3261e;font-weight:bold}td.yes{color:#1e7b34}svg text{font:11px system-ui,sans-serif}</style></head><body>\n")
            .Append("<h1>ConsultBot benchmark</h1><p class=\"sub\">").Append(Esc(Header(f)).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>\n<div class=\"grid\">\n");

        var throughput = new List<Bar>
        {
            new("inbound updates/s", f.UpdatesPerSecond, F($"{f.UpdatesPerSecond:F0}"), UpdatesTarget),
            new("replies committed/s", f.RepliesPerSecond, F($"{f.RepliesPerSecond:F0}"), null),
            new("bookings/s", f.Bookings.PerSecond, F($"{f.Bookings.PerSecond:F0}"), BookingsTarget),
        };
        if (f.Vk is { } vk)
        {
            throughput.Add(new("VK events/s", vk.Events / vk.Elapsed.TotalSeconds, F($"{vk.Events / vk.Elapsed.TotalSeconds:F0}"), null));
        }
        if (f.Ceiling.Problem is null)
        {
            throughput.Insert(1, new("pgbench tps (ceiling)", f.Ceiling.Tps, F($"{f.Ceiling.Tps:F0}"), null, Reference: true));
        }
        Card(html, "Throughput per phase (per second; dashed: target)", Bars(throughput, throughput.Max(b => Math.Max(b.Value, b.Target ?? 0))));

        var latency = new List<Bar>
        {
            new("inbound p50", f.P50, F($"{f.P50:F1} ms"), null), new("inbound p95", f.P95, F($"{f.P95:F1} ms"), null),
            new("inbound p99 (≤ 50 ms)", f.P99, F($"{f.P99:F1} ms"), P99Target, LowerIsBetter: true),
            new("booking p50", f.Bookings.P50, F($"{f.Bookings.P50:F1} ms"), null), new("booking p95", f.Bookings.P95, F($"{f.Bookings.P95:F1} ms"), null),
            new("booking p99", f.Bookings.P99, F($"{f.Bookings.P99:F1} ms"), null),
        };
        if (f.Ceiling.Problem is null)
        {
            latency.Add(new("pgbench p50", f.Ceiling.P50, F($"{f.Ceiling.P50:F2} ms"), null, Reference: true));
            latency.Add(new("pgbench p99", f.Ceiling.P99, F($"{f.Ceiling.P99:F2} ms"), null, Reference: true));
        }
        Card(html, "Latency percentiles (ms; request → committed answer)", Bars(latency, latency.Max(b => Math.Max(b.Value, b.Target ?? 0))));

        var shares = new List<Bar>
        {
            new(F($"Telegram, replies ({o.Rate}/s)"), Share(f.TelegramDelivered, o.Rate), F($"{Share(f.TelegramDelivered, o.Rate):F1} %"), ShareTarget),
        };
        if (f.Reminders is { } r)
        {
            shares.Add(new(F($"Telegram, reminders ({o.Rate}/s)"), Share(r.Rate, o.Rate), F($"{Share(r.Rate, o.Rate):F1} %"), ShareTarget));
        }
        if (f.Vk is { } v)
        {
            shares.Add(new(F($"VK, token requests ({f.VkRate}/s)"), Share(v.RequestRate, f.VkRate), F($"{Share(v.RequestRate, f.VkRate):F1} %"), ShareTarget));
        }
        if (f.Ceiling.Problem is null)
        {
            shares.Add(new("inbound ÷ pgbench ceiling", 100 * f.UpdatesPerSecond / f.Ceiling.Tps, F($"{100 * f.UpdatesPerSecond / f.Ceiling.Tps:F0} %"), null, Reference: true));
        }
        Card(html, "Rates as a share of their ceiling (%; dashed: 95 % target)", Bars(shares, Math.Max(100, shares.Max(b => b.Value))));

        var budgets = new List<Bar>
        {
            new(F($"peak RSS (≤ {RssTarget:F0} MB)"), 100 * f.RssPeak / RssTarget, F($"{f.RssPeak:F0} MB"), 100, LowerIsBetter: true),
        };
        if (f.Reminders is { } plan)
        {
            budgets.Insert(0, new(F($"reminder planning (< {PlanningTarget:F0} s)"), 100 * plan.Planning.TotalSeconds / PlanningTarget,
                F($"{plan.Planning.TotalSeconds:F2} s"), 100, LowerIsBetter: true));
        }
        var counts = new StringBuilder("<p>")
            .Append(F($"429s from the fake Bot API (whole run): <b>{f.TooManyRequests}</b> · "))
            .Append(f.Vk is { } e6 ? F($"VK error 6: <b>{e6.TooManyRequests}</b> · ") : "")
            .Append(F($"last seat: <b>{f.LastSeat.Winners}</b> winner, {f.LastSeat.Refusals} refused · mismatches: <b>{f.Mismatches}</b>"))
            .Append(f.Ceiling.Problem is { } problem ? "<br><b style=\"color:#b3261e\">pgbench NOT MEASURED: " + Esc(problem) + "</b>" : "")
            .Append("</p>");
        Card(html, "Budgets (share of the limit; lower is better) and counts", Bars(budgets, Math.Max(100, budgets.Max(b => b.Value))) + counts);

        html.Append("</div>\n<table><tr><th>figure</th><th>measured</th><th>target</th><th>met</th></tr>\n");
        foreach (var row in Rows(f))
        {
            var met = row.Met switch { true => "<td class=\"yes\">yes</td>", false => "<td class=\"no\">NO</td>", null => "<td></td>" };
            html.Append("<tr><td>").Append(Esc(row.Figure)).Append("</td><td>").Append(Esc(row.Value.Replace("**", "", StringComparison.Ordinal)))
                .Append("</td><td>").Append(Esc(row.Target)).Append("</td>").Append(met).Append("</tr>\n");
        }
        return html.Append("</table>\n</body></html>\n").ToString();
    }

    private sealed record Bar(string Label, double Value, string Text, double? Target, bool Reference = false, bool LowerIsBetter = false);

    private static void Card(StringBuilder html, string title, string body) =>
        html.Append("<div class=\"card\"><h2>").Append(Esc(title)).Append("</h2>").Append(body).Append("</div>\n");

    /// <summary>Horizontal bars on one scale: green where the target is met, red where not, blue without one, grey for references.</summary>
    private static string Bars(IReadOnlyList<Bar> bars, double max)
    {
        const int Width = 450, Label = 165, Area = 215, RowHeight = 22;
        max = max > 0 && double.IsFinite(max) ? max * 1.05 : 1;
        var svg = new StringBuilder(F($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{bars.Count * RowHeight + 6}\" role=\"img\">"));
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var y = i * RowHeight + 3;
            var length = double.IsFinite(b.Value) ? Math.Max(1, Area * Math.Min(b.Value, max) / max) : 0;
            var colour = b.Reference ? "#9aa0a6"
                : b.Target is not { } t ? "#3b6ea5"
                : (b.LowerIsBetter ? b.Value <= t : b.Value >= t) ? "#2e8b57" : "#c0392b";
            svg.Append(F($"<text x=\"{Label - 6}\" y=\"{y + 14}\" text-anchor=\"end\">{Esc(b.Label)}</text>"))
                .Append(F($"<rect x=\"{Label}\" y=\"{y + 2}\" width=\"{length:F1}\" height=\"{RowHeight - 6}\" fill=\"{colour}\" rx=\"2\"/>"))
                .Append(F($"<text x=\"{Label + length + 4:F1}\" y=\"{y + 14}\">{Esc(b.Text)}</text>"));
            if (b.Target is { } target)
            {
                var x = Label + Area * Math.Min(target, max) / max;
                svg.Append(F($"<line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{y}\" y2=\"{y + RowHeight - 2}\" stroke=\"#222\" stroke-dasharray=\"3,2\"/>"));
            }
        }
        return svg.Append("</svg>").ToString();
    }

    private static string Esc(string text) => WebUtility.HtmlEncode(text);
}
