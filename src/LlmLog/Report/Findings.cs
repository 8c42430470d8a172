using System.Globalization;

namespace LlmLog.Report;

/// <summary>
/// Short data-driven sentences, each citing the numbers it rests on. A finding is left out, or says
/// "no evidence", whenever the numbers cannot carry it.
/// </summary>
public static class Findings
{
    /// <summary>The share of rejected records from which their finding comes first.</summary>
    public const double ManyRejected = 0.05;

    /// <summary>How far from the daily mean every day may be for the calls per day to be called steady, no day named busiest.</summary>
    public const double SteadyCalls = 0.05;

    /// <summary>Fewest day pairs for which a correlation is worth reporting at all.</summary>
    public const int MinimumPairs = 5;

    public static IReadOnlyList<string> From(ReportData data)
    {
        var list = new List<string>();
        if (!data.HasCalls)
        {
            EveryRecordRejected(data, list);
            IncompleteInputs(data.Quality.Runs, list);
            return list;
        }
        FarOffDays(data.ChartPeriod, list);
        IncompleteInputs(data.Quality.Runs, list);
        // A large share of rejected records is the first thing to know about the numbers below; a few go last.
        var manyRejected = data.Kpis.RejectedShare >= ManyRejected;
        if (manyRejected) SomeRecordsRejected(data, list);
        // Days far off the rest are strays, not the quietest day of the period.
        var days = data.ChartedDays;
        // A partial edge day holds only some of its calls; ranking it as the quietest day would mislead.
        var complete = days.Where(d => !d.Partial).ToList();
        var ranked = complete.Count >= 2 ? complete : days;
        // A rejected record has no model: under --model a day of other models' calls is no day of rejects only.
        var rejectsByDay = data.Header.ModelFilter is null ? data.Quality.RejectsByDay : null;
        BusiestAndQuietest(ranked, list, complete.Count >= 2 && complete.Count < days.Count, rejectsByDay);
        DaysWithoutCalls(days, list, rejectsByDay);
        Spending(data, list, rejectsByDay);
        UnpricedModels(data, list);
        LargestP95Change(days, list);
        // One day has no next day: the line above already says day-to-day comparisons need more days.
        if (days.Count > 1) list.Add(NextDayLatency(days));
        MaxTokensHits(data, list);
        MissingUsage(data.Kpis, days, data.Cost.Source, list);
        if (!manyRejected) SomeRecordsRejected(data, list);
        RejectsLoadedLater(data.Quality.RejectsLoadedLater, list);
        return list;
    }

    /// <summary>
    /// A report without calls: every record of its period failed validation. Says so, names the leading reasons with
    /// their counts and an example, and what to do, since the person reading it most likely pointed llmlog at the
    /// wrong file or saw an upstream format change.
    /// </summary>
    private static void EveryRecordRejected(ReportData data, List<string> list)
    {
        const int Named = 3;
        var rejected = data.Kpis.RejectedRecords;
        var records = Format.Counted(rejected, "record");
        list.Add(rejected == 1
            ? "The one record of this period failed validation, so no call was loaded: every chart and call table is left out, as it would be empty."
            : F($"Every record of this period failed validation: all {records}, so no call was loaded. Every chart and call table is left out, as it would be empty."));
        // One sentence per reason: the reasons quote values and hold semicolons of their own, so a list of them in one
        // sentence cannot be read.
        var reasons = data.Quality.RejectReasons;
        for (var i = 0; i < Math.Min(Named, reasons.Count); i++)
        {
            var r = reasons[i];
            var on = r.Field == "(whole record)" ? "on the record as a whole" : "on " + r.Field;
            list.Add(F($"{(i == 0 ? "Leading reason: " : "")}{r.Records:N0} of {records} ({(double)r.Records / rejected:0%}) fail {on}, for example “{r.ExampleReason}”."));
        }
        if (reasons.Count > Named) list.Add("Records fail on other fields too; the data quality section lists the top ones.");
        list.Add("Check that the file is an LLM call log with the fields llmlog reads (docs/ingest.md); if it is, fix the records at their source "
            + "(the logger or export that wrote them) and ingest the corrected file again. 'llmlog export --table rejects --out -' lists every rejected record "
            + "with its file, record number, field, reason and raw text.");
    }

    /// <summary>Calls far from the rest: usually a wrong timestamp, and left out of the charts over time, so the reader is told.</summary>
    private static void FarOffDays(ChartPeriod period, List<string> list)
    {
        if (period.LeftOut.Count == 0) return;
        const int Named = 3;
        var calls = period.LeftOutCalls;
        var rest = $"the rest of the data ({period.Text})";
        string where;
        if (period.LeftOut.Count == 1)
        {
            var s = period.LeftOut[0];
            where = F($"{Calls(s.Calls)} {Days(s)} {(s.Calls == 1 ? "lies" : "lie")} {period.DistanceOf(s)} {Side(period, s)} {rest}");
        }
        else
        {
            var named = period.LeftOut.Take(Named).Select(s => F($"{s.Calls:N0} {Days(s)}, {period.DistanceOf(s)} {Side(period, s)}")).ToList();
            if (period.LeftOut.Count > Named) named.Add(F($"{period.LeftOut.Skip(Named).Sum(s => s.Calls):N0} on {Format.Counted(period.LeftOut.Count - Named, "more stretch", "more stretches")} of days"));
            where = F($"{Calls(calls)} lie far outside {rest}: {string.Join("; ", named)}");
        }
        var (them, their) = calls == 1 ? ("it", "its created timestamp") : ("them", "their created timestamps");
        list.Add($"{where}. The charts over time leave {them} out; the tiles and tables count {them}. Check {their}.");

        static string Days(DayStretch s) => s.First == s.Last ? "on " + Day(s.First) : "from " + Day(s.First) + " to " + Day(s.Last);
        static string Side(ChartPeriod p, DayStretch s) => s.Last < p.First ? "before" : "after";
    }

    internal static void BusiestAndQuietest(IReadOnlyList<ReportDay> days, List<string> list, bool partialLeftOut, IReadOnlyDictionary<DateOnly, long>? rejectsByDay = null)
    {
        if (days.Count == 1)
        {
            list.Add(days[0].Calls == 1
                ? F($"1 call, on {Day(days[0].Day)}; day-to-day comparisons need more days.")
                : F($"All {days[0].Calls:N0} calls fall on one day, {Day(days[0].Day)}; day-to-day comparisons need more days."));
            return;
        }
        var busiest = days.OrderByDescending(d => d.Calls).ThenBy(d => d.Day).First();
        var quietest = days.OrderBy(d => d.Calls).ThenBy(d => d.Day).First();
        if (busiest.Calls == quietest.Calls)
        {
            // A job that makes the same number of calls a day had one day named busiest and quietest at once (found by probing).
            list.Add(F($"Every one of the {days.Count:N0} days{(partialLeftOut ? " (partial edge days left out)" : "")} has {Calls(busiest.Calls)}."));
            return;
        }
        var mean = days.Average(d => d.Calls);
        // "Busiest day: … 201 calls (1.0× the daily mean of 200)" named a day for one call more (found by probing).
        if (busiest.Calls <= mean * (1 + SteadyCalls) && quietest.Calls >= mean * (1 - SteadyCalls))
        {
            list.Add(F($"Calls per day hold steady: {quietest.Calls:N0} to {Calls(busiest.Calls)} on each of the {days.Count:N0} days{(HasDaysWithoutCalls(days) ? " with calls" : "")}{(partialLeftOut ? " (partial edge days left out)" : "")}."));
            return;
        }
        // Days without a call are not among the days ranked, and the next finding names them: "quietest" alone read as
        // the quietest day of the period. A small mean is written to a tenth, so that "2.2× the mean" adds up.
        var withCalls = HasDaysWithoutCalls(days) ? " with calls" : "";
        var meanText = mean < 100 ? F($"{mean:0.0}") : F($"{mean:N0}");
        // Days that tie are named together: "Busiest day: 2024-03-03 with 60 calls" was one of six such days, which the
        // chart's caption counted (found by probing the report).
        var busiestDays = days.Where(d => d.Calls == busiest.Calls).ToList();
        var quietestDays = days.Where(d => d.Calls == quietest.Calls).ToList();
        var busiestText = busiestDays.Count == 1 ? F($"Busiest day: {Day(busiest)} with {Calls(busiest.Calls)}")
            : F($"Busiest days: {DayList(busiestDays)}, with {Calls(busiest.Calls)} each");
        var quietestText = quietestDays.Count == 1 ? F($"{(withCalls.Length > 0 ? "quietest day with calls" : "quietest")}: {Day(quietest)} with {Calls(quietest.Calls)}{LostToValidation(quietest, rejectsByDay)}")
            : F($"{(withCalls.Length > 0 ? "quietest days with calls" : "quietest days")}: {DayList(quietestDays, d => LostToValidation(d, rejectsByDay))}, with {Calls(quietest.Calls)} each");
        // The mean says over how many days it is taken: "the daily mean of 3,819 over days with calls" read as all 16 days
        // of the period, where it was over the 12 whole ones (found by recomputing the report's numbers).
        var over = withCalls.Length > 0 || partialLeftOut ? F($" over the {days.Count:N0}{(partialLeftOut ? " whole" : "")} days{withCalls}") : "";
        list.Add(F($"{busiestText} ({busiest.Calls / mean:0.0}× the daily mean of {meanText}{over}); {quietestText}{(partialLeftOut ? " (partial edge days left out)" : "")}."));
    }

    /// <summary>
    /// "2025-01-02 and 2025-01-05", or "2025-01-02, 2025-01-05, 2025-01-09 and 3 more days": days that tie, by date, each
    /// named day followed by what <paramref name="about"/> says of it.
    /// </summary>
    private static string DayList(IReadOnlyList<ReportDay> days, Func<ReportDay, string>? about = null)
    {
        var named = days.OrderBy(d => d.Day).Take(3).Select(d => Day(d) + about?.Invoke(d)).ToList();
        return days.Count > 3 ? string.Join(", ", named) + F($" and {Format.Counted(days.Count - 3, "more day")}")
            : Format.And(named);
    }

    /// <summary>
    /// " (40 of its 50 records failed validation)" when at least a tenth of a day's records were rejected, else "": a day that
    /// lost most of its records to validation was named the quietest day, or the base of the largest rise of cost, and
    /// nothing linked the two (found by probing the report).
    /// </summary>
    private static string LostToValidation(ReportDay day, IReadOnlyDictionary<DateOnly, long>? rejectsByDay)
    {
        if (rejectsByDay is null || !rejectsByDay.TryGetValue(day.Day, out var rejected) || rejected == 0) return "";
        var records = rejected + day.Calls;
        return rejected * 10 < records ? "" : F($" ({rejected:N0} of its {records:N0} records failed validation)");
    }

    /// <summary>Whether days without a call lie between the first and the last of <paramref name="days"/> (days with calls, in order).</summary>
    internal static bool HasDaysWithoutCalls(IReadOnlyList<ReportDay> days) =>
        days.Zip(days.Skip(1)).Any(p => p.Second.Day.DayNumber - p.First.Day.DayNumber > 1);

    /// <summary>
    /// Days inside the charted period without a single call: an outage, an export that never arrived, or a pause in use.
    /// The quietest day was named while 18 days had no call at all (found by probing the report).
    /// </summary>
    internal static void DaysWithoutCalls(IReadOnlyList<ReportDay> days, List<string> list, IReadOnlyDictionary<DateOnly, long>? rejectsByDay = null)
    {
        var gaps = days.Zip(days.Skip(1))
            .Select(p => (From: p.First.Day.AddDays(1), To: p.Second.Day.AddDays(-1), Missing: p.Second.Day.DayNumber - p.First.Day.DayNumber - 1))
            .Where(g => g.Missing > 0)
            .ToList();
        if (gaps.Count == 0) return;
        const int Named = 3;
        var named = gaps.OrderByDescending(g => g.Missing).ThenBy(g => g.From).Take(Named).OrderBy(g => g.From)
            .Select(g => g.Missing == 1 ? Day(g.From) : F($"{Day(g.From)} to {Day(g.To)} ({g.Missing:N0} days)"))
            .ToList();
        if (gaps.Count > Named) named.Add(Format.Counted(gaps.Count - Named, "more gap"));
        // A day whose every record failed validation has no call either: it is not missing, and says so (found by probing
        // the report: "No call on 2025-03-08 … check whether logs are missing" beside a reject of that day).
        var rejectedDays = (rejectsByDay ?? new Dictionary<DateOnly, long>())
            .Where(r => gaps.Any(g => r.Key >= g.From && r.Key <= g.To)).OrderBy(r => r.Key).ToList();
        var rejectedNote = rejectedDays.Count == 0 ? ""
            : $" Every record of {string.Join(", ", rejectedDays.Take(Named).Select(r => F($"{Day(r.Key)} ({Format.Counted(r.Value, "record")})")))}"
              + (rejectedDays.Count > Named ? $" and {Format.Counted(rejectedDays.Count - Named, "more day")}" : "")
              + " failed validation (see the rejected records).";
        // Days whose every record was rejected are accounted for: the advice is for the others (found by probing the report).
        var check = rejectedDays.Count == gaps.Sum(g => g.Missing) ? "" : " Check whether logs are missing there, or the application was idle.";
        list.Add($"No call on {Format.Counted(gaps.Sum(g => g.Missing), "day")} inside the period: {string.Join(", ", named)}.{check}{rejectedNote}");
    }

    /// <summary>
    /// The largest day-over-day rise and fall of p95 latency, each day against the day with calls before it. A partial
    /// edge day takes part when it holds at least half the calls of the median whole day: its p95 is that of the calls
    /// it has, and the newest day of an export is always partial, so an outage on it went unreported (found by probing
    /// the report). Across a pause the day is compared with the last day before it, and the sentence says so: a step
    /// after a week without calls was never compared. The rise and the fall are both said: an outage one day and its
    /// recovery the next read as an improvement when only the larger move was named. The change is taken between the
    /// values as written and to the coarser of their precisions, so the sentence adds up: "31.4 s → 31.7 s (+0.39 s)"
    /// did not (found by probing).
    /// </summary>
    internal static void LargestP95Change(IReadOnlyList<ReportDay> days, List<string> list)
    {
        var (comparable, leftOut) = Comparable(days);
        var compared = comparable.Where(d => d.P95LatencyS is not null).ToList();
        var changes = compared.Zip(compared.Skip(1))
            .Where(p => p.First.P95LatencyS is > 0)
            .Select(p => (Before: p.First, After: p.Second, Delta: p.Second.P95LatencyS!.Value - p.First.P95LatencyS!.Value))
            .Where(c => Format.Seconds(c.Before.P95LatencyS) != Format.Seconds(c.After.P95LatencyS))
            .ToList();
        if (changes.Count == 0)
        {
            // A p95 of 0 s is no base for a change, nor a day that did not change (found by review).
            if (compared.Count < 2 || compared.Select(d => Format.Seconds(d.P95LatencyS)).Distinct().Count() > 1) return;
            // "19.5 s → 19.5 s (+0.00 s, +0%)" was named the largest change (found by probing).
            list.Add($"No day-over-day change of p95 latency: {Format.Seconds(compared[0].P95LatencyS)} on every day{leftOut}.");
            return;
        }
        var rise = changes.Where(c => c.Delta > 0).OrderByDescending(c => c.Delta).ThenBy(c => c.Before.Day).FirstOrDefault();
        var fall = changes.Where(c => c.Delta < 0).OrderBy(c => c.Delta).ThenBy(c => c.Before.Day).FirstOrDefault();
        var parts = new List<string>();
        if (rise.Before is not null) parts.Add("Largest day-over-day rise of p95 latency: " + Move(rise.Before, rise.After));
        if (fall.Before is not null) parts.Add((parts.Count == 0 ? "Largest day-over-day fall of p95 latency: " : "largest fall: ") + Move(fall.Before, fall.After));
        list.Add(string.Join("; ", parts) + leftOut + ".");

        string Move(ReportDay before, ReportDay after)
        {
            var relative = (after.P95LatencyS!.Value - before.P95LatencyS!.Value) / before.P95LatencyS!.Value;
            return F($"{Day(before)} → {Day(after)}{Between(before.Day, after.Day, days)}, {Format.Seconds(before.P95LatencyS)} → {Format.Seconds(after.P95LatencyS)} ({Format.SecondsChange(before.P95LatencyS!.Value, after.P95LatencyS!.Value)}, {(relative >= 0 ? "+" : "−")}{Percent(Math.Abs(relative))}){LedBy(before, after)}");
        }
    }

    /// <summary>
    /// The model whose own p95 moved most the way the day's did, among those with a tenth of the later day's calls or more:
    /// an outage of one model read as the whole service's, and only a report per model told them apart (found by probing
    /// the report). Nothing when one model holds the days, or none moved that way.
    /// </summary>
    internal static string LedBy(ReportDay before, ReportDay after)
    {
        var sign = Math.Sign(after.P95LatencyS!.Value - before.P95LatencyS!.Value);
        // A model's p95 of a day counts where it held a tenth of that day's calls, on both days: a p95 of one call was named
        // (found by review).
        var moves = after.P95LatencyByModel.Keys.Where(before.P95LatencyByModel.ContainsKey)
            .Where(m => after.CallsByModel.GetValueOrDefault(m) * 10 >= after.Calls && before.CallsByModel.GetValueOrDefault(m) * 10 >= before.Calls)
            .Select(m => (Model: m, Before: before.P95LatencyByModel[m], After: after.P95LatencyByModel[m], Move: sign * (after.P95LatencyByModel[m] - before.P95LatencyByModel[m])))
            .OrderByDescending(m => m.Move).ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        if (moves.Count < 2 || moves[0].Move <= 0 || Format.Seconds(moves[0].Before) == Format.Seconds(moves[0].After)) return "";
        // Named only where it stands out, twice any other model's move or more: when every model slowed alike, the first by
        // name was blamed for the whole service's move (found by review); either way, since a model that barely moved was
        // named for a fall of a fifth while the other large models rose (found by probing the report).
        return moves.Skip(1).Max(m => Math.Abs(m.Move)) * 2 > moves[0].Move ? ""
            : F($", led by {moves[0].Model} ({Format.Seconds(moves[0].Before)} → {Format.Seconds(moves[0].After)})");
    }

    // A share to whole percents, grouped, but never a rounded 0 % or 100 % for a move that is not: $5.02 → $0.02 read
    // "−100%", and a p95 from 900,000,000 s to 50,000 s read "−100%" beside a rise of "+1799900%" (found by probing).
    private static string Percent(double share)
    {
        var percent = share * 100;
        var whole = Math.Round(percent);
        if ((whole is 0 or 100) && Math.Abs(percent - whole) > 1e-9)
        {
            for (var digits = 1; digits <= 6; digits++)
            {
                if (Math.Round(percent, digits) is not (0 or 100)) return percent.ToString("0." + new string('0', digits), CultureInfo.InvariantCulture) + "%";
            }
        }
        return F($"{share:#,0%}");
    }

    /// <summary>
    /// The days whose figures are compared with each other: the whole days, and a partial edge day that holds at least half
    /// the calls of the median whole day (the newest day of an export is always partial, and an outage or a spend on it went
    /// unreported; found by probing the report); with the note that says when partial days were left out.
    /// </summary>
    internal static (List<ReportDay> Days, string LeftOut) Comparable(IReadOnlyList<ReportDay> days)
    {
        // Measured against the median whole day, or, without one, the median day: an hour of 2 calls beside a day of 400
        // read as "+28,768%" (found by review).
        var anyWhole = days.Any(d => !d.Partial);
        var calls = days.Where(d => !anyWhole || !d.Partial).Select(d => d.Calls).Order().ToList();
        var median = calls.Count == 0 ? 0 : calls.Count % 2 == 1 ? calls[calls.Count / 2] : (calls[calls.Count / 2 - 1] + calls[calls.Count / 2]) / 2.0;
        var comparable = days.Where(d => (anyWhole && !d.Partial) || d.Calls >= median / 2).ToList();
        return (comparable, comparable.Count < days.Count ? " (partial edge days with fewer calls left out)" : "");
    }

    /// <summary>
    /// What lies between two days compared as neighbours: nothing, a pause without calls, or days with calls that have no
    /// value to compare ("after 1 day without calls" was said of a day whose calls were all unpriced; found by review).
    /// </summary>
    private static string Between(DateOnly before, DateOnly after, IReadOnlyList<ReportDay> daysWithCalls)
    {
        var apart = after.DayNumber - before.DayNumber - 1;
        if (apart == 0) return "";
        return daysWithCalls.Any(d => d.Day > before && d.Day < after)
            ? F($" ({Format.Counted(apart, "day")} between)")
            : F($" (after {Format.Counted(apart, "day")} without calls)");
    }

    /// <summary>
    /// Where the money went: the costliest day with its share of the period and the model that cost most on it, and the
    /// largest day-over-day rise and fall of cost, each with the model that moved most. The findings said nothing of cost,
    /// so one call of $750 (98 % of a month) or a switch to a model four times the price went unremarked (found by probing
    /// the report). The days compared are those of <see cref="Comparable"/>: a partial day with few calls has part of its cost.
    /// </summary>
    internal static void Spending(ReportData data, List<string> list, IReadOnlyDictionary<DateOnly, long>? rejectsByDay = null)
    {
        if (data.Cost.Source == CostSource.None) return;
        var (days, leftOut) = Comparable(data.ChartedDays);
        var byDay = data.Cost.Rows.GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.GroupBy(r => r.Model, StringComparer.Ordinal)
            .Select(m => (Model: m.Key, Usd: m.Sum(r => r.Usd))).ToList());
        var costed = days.Where(d => byDay.ContainsKey(d.Day)).Select(d => (Day: d, Usd: byDay[d.Day].Sum(m => m.Usd))).ToList();
        var total = data.Cost.Rows.Sum(r => r.Usd);
        if (costed.Count < 2 || total <= 0) return;
        // Cost that leaves out calls without a price is a floor, as the tile says.
        // The known part is the floor the cost tile writes, and written as it is ("≥ $12.70" beside "of the known $12.71").
        var whole = data.Kpis.UnpricedCalls > 0 ? "the known " + Format.UsdFloor(total) : "the period's " + Format.Usd(total);
        var costliest = costed.OrderByDescending(c => c.Usd).ThenBy(c => c.Day.Day).First();
        // Days that cost the same, as written, are not one costliest day (found by review).
        var tied = costed.Where(c => Format.Usd(c.Usd) == Format.Usd(costliest.Usd)).ToList();
        // Marked a floor when any of them has unpriced calls: the first alone decided it (found by review), and when every
        // day tied, none was marked (found by this session's review).
        var each = tied.Any(t => t.Day.UnpricedCalls > 0) ? "≥\u00a0" + Format.UsdFloor(costliest.Usd) : Format.Usd(costliest.Usd);
        string sentence;
        if (tied.Count == costed.Count)
        {
            sentence = F($"Cost per day: {each} on each of the {costed.Count:N0} days ({whole} in all)");
        }
        else if (tied.Count > 1)
        {
            sentence = F($"Costliest days: {DayList(tied.Select(t => t.Day).ToList())}, {each} each, of {whole}");
        }
        else
        {
            var top = byDay[costliest.Day.Day].OrderByDescending(m => m.Usd).ThenBy(m => m.Model, StringComparer.Ordinal).First();
            // "Most" only of more than half: of three equal models it named one (found by review).
            var most = byDay[costliest.Day.Day].Count == 1 ? $"all of it {top.Model}"
                : top.Usd * 2 > costliest.Usd ? F($"most of it {top.Model} ({Format.Usd(top.Usd)})")
                : F($"the largest part {top.Model} ({Format.Usd(top.Usd)})");
            sentence = F($"Costliest day: {Day(costliest.Day)}, {DayUsd(costliest)} ({Percent(costliest.Usd / total)} of {whole}), {most}");
        }
        // The rise and the fall: a move from o1 to a model a fifth of its price cut the cost by 80 %, and only a +7 % rise
        // was said (found by probing the report). "Led by": the model that moved most may have moved more than the day.
        // Moves are compared as written, and the first of several equal ones says so: of rises of exactly $0.15 a day, the
        // one that floating point made a hair larger was named (found by probing the report).
        var moves = costed.Zip(costed.Skip(1))
            .Select(p => (Before: p.First, After: p.Second, Delta: Format.UsdAsWritten(p.Second.Usd) - Format.UsdAsWritten(p.First.Usd)))
            .Where(c => Format.Usd(c.Before.Usd) != Format.Usd(c.After.Usd))
            .ToList();
        var rise = moves.Where(c => c.Delta > 0).OrderByDescending(c => c.Delta).ThenBy(c => c.Before.Day.Day).FirstOrDefault();
        var fall = moves.Where(c => c.Delta < 0).OrderBy(c => c.Delta).ThenBy(c => c.Before.Day.Day).FirstOrDefault();
        if (rise.Before.Day is not null) sentence += "; largest rise: " + Move(rise.Before, rise.After, +1) + Equal(rise.Delta, "rise");
        if (fall.Before.Day is not null) sentence += "; largest fall: " + Move(fall.Before, fall.After, -1) + Equal(fall.Delta, "fall");
        list.Add(sentence + leftOut + ".");

        string Equal(decimal delta, string move)
        {
            var equal = moves.Count(m => m.Delta == delta);
            return equal == 1 ? "" : F($", the first of {equal:N0} equal {move}s of {Format.Usd((double)Math.Abs(delta))}");
        }

        string Move((ReportDay Day, double Usd) before, (ReportDay Day, double Usd) after, int sign)
        {
            var delta = after.Usd - before.Usd;
            var models = byDay[before.Day.Day].Concat(byDay[after.Day.Day]).Select(m => m.Model).Distinct(StringComparer.Ordinal)
                .Select(m => (Model: m, Delta: Usd(byDay[after.Day.Day], m) - Usd(byDay[before.Day.Day], m)))
                .OrderByDescending(m => sign * m.Delta).ThenBy(m => m.Model, StringComparer.Ordinal).ToList();
            // One model, or two that moved alike as written, lead nothing (found by review).
            var led = models.Count < 2 || Format.Usd(Math.Abs(models[0].Delta)) == Format.Usd(Math.Abs(models[1].Delta)) ? ""
                : F($", led by {models[0].Model} ({(models[0].Delta >= 0 ? "+" : "−")}{Format.Usd(Math.Abs(models[0].Delta))})");
            // A rise from $0 has no share to give (it was left out; found by review). A floor on one side bounds the share
            // one way, on both sides not at all: "≥ $0.4167 → $2.16 (+419%)" rose by at most that (found by review).
            var bound = (before.Day.UnpricedCalls > 0, after.Day.UnpricedCalls > 0) switch
            {
                (true, true) => null,
                (true, false) => delta > 0 ? "at most " : "at least ",
                (false, true) => delta > 0 ? "at least " : "at most ",
                _ => "",
            };
            var relative = before.Usd > 0 && bound is not null ? $" ({bound}{(delta >= 0 ? "+" : "−")}{Percent(Math.Abs(delta) / before.Usd)})" : "";
            return F($"{Day(before.Day)}{LostToValidation(before.Day, rejectsByDay)} → {Day(after.Day)}{LostToValidation(after.Day, rejectsByDay)}{Between(before.Day.Day, after.Day.Day, data.ChartedDays)}, {DayUsd(before)} → {DayUsd(after)}{relative}{led}");
        }

        static double Usd(List<(string Model, double Usd)> day, string model) => day.Where(m => m.Model == model).Sum(m => m.Usd);

        // A day with calls that have usage but no price cost at least this much, and says so as the daily table does:
        // "$0.4167 → $2.16 (+419%)" rose from a day the table wrote "≥ $0.4167" (found by probing the report).
        static string DayUsd((ReportDay Day, double Usd) day) => ReportContent.Cost(day.Usd, day.Day.UnpricedCalls);
    }

    /// <summary>
    /// The models whose calls have usage but no price, by calls: the cost tile said "≥ $9.57 — 1,319 calls unpriced" and
    /// nothing said that they were all of a new model that took over half the traffic, so the cost seemed to halve
    /// (found by probing the report). Also when every known cost is a logged one: the tile said "≥ $1.05 — 30 calls
    /// unpriced" and no finding named their model (found by probing the report).
    /// </summary>
    internal static void UnpricedModels(ReportData data, List<string> list)
    {
        if (data.Kpis.UnpricedCalls == 0) return;
        const int Named = 3;
        // Calls that log no prompt/completion split (only metrics.tokens) have no cost whatever the price table holds: they
        // were counted as wanting a price, and the user was told to add to a price table a model it priced (found by
        // probing costs). They are named apart, with what gives them a cost.
        var withoutSplit = data.Cost.UnpricedWithoutSplit;
        var noSplit = data.Cost.UnpricedWithoutSplitCalls;
        var wantPrice = data.Kpis.UnpricedCalls - noSplit;
        var splitless = noSplit == 0 ? "" : WithoutSplit(data, withoutSplit, noSplit, wantPrice == 0);
        // With no cost known at all there is no floor to speak of (found by review).
        var so = data.Cost.Source == CostSource.None ? "so no cost is known" : "so costs are floors";
        if (wantPrice == 0)
        {
            list.Add($"{CallsWithUsage(data, noSplit, "has no cost", "have no cost")}, {so}:{splitless}");
            return;
        }
        var models = data.Models.Select(m => (m.Model, m.Calls, Unpriced: m.UnpricedCalls - withoutSplit.GetValueOrDefault(m.Model)))
            .Where(m => m.Unpriced > 0).OrderByDescending(m => m.Unpriced).ThenBy(m => m.Model, StringComparer.Ordinal).ToList();
        var named = ModelsWithCounts(models.Select(m => (m.Model, m.Unpriced, m.Calls)).ToList());
        // A table put in force since their days were built may price them: then what they need is a reprice, not a price
        // (found by probing: "add it to a price table" about a model the table in force prices).
        var repriceable = data.Cost.UnpricedPricedInForce;
        var fixable = repriceable.Values.Sum();
        if (fixable == wantPrice)
        {
            list.Add($"{CallsWithUsage(data, wantPrice, "has no cost", "have no cost")}, {so}: {named}; the price table in force prices {(fixable == 1 ? "it" : "them")}, "
                + $"but {(fixable == 1 ? "its day was" : "their days were")} priced under an earlier one: run 'llmlog transform --reprice'.{splitless}");
            return;
        }
        var calls = CallsWithUsage(data, wantPrice, "has no price for its model and day", "have no price for their model and day");
        var reprice = fixable == 0 ? ""
            : F($" The price table in force prices {fixable:N0} of them ({string.Join(", ", repriceable.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Take(Named).Select(r => r.Key))}{(repriceable.Count > Named ? ", …" : "")}), whose days were priced under an earlier one: 'llmlog transform --reprice' alone gives those a cost.");
        // A model the table in force prices only from a day after their calls needs no price table: their timestamps are wrong
        // or the table lacks an older price ("add it to a price table" was said of gpt-4o-2024-11-20 calls dated 2024-03-15;
        // found by probing the report).
        var early = data.Models.Where(m => models.Any(u => u.Model == m.Model) && data.Cost.UnpricedBeforeFirstPrice.ContainsKey(m.Model)).ToList();
        var toPrice = models.Where(m => !data.Cost.UnpricedBeforeFirstPrice.ContainsKey(m.Model)).Select(m => m.Model).ToList();
        // Where the other calls log their cost, logging it is the other way to give these one.
        var orLog = data.Cost.Source == CostSource.Logged ? $", or log {(toPrice.Count == 1 ? "its" : "their")} calls' cost in metrics.cost, as the other calls do" : "";
        var them = toPrice.Count == 0 ? null
            : early.Count == 0 ? (models.Count == 1 ? "it" : "them")
            : toPrice.Count <= Named ? Format.And(toPrice)
            : F($"the other {toPrice.Count:N0} models");
        var add = them is null ? "" : $"; add {them} to a price table and run 'llmlog transform --prices FILE --reprice'{orLog}";
        list.Add($"{calls}, {so}: {named}{add}.{BeforeFirstPrice(early, models.Count, data.Cost.UnpricedBeforeFirstPrice)}{reprice}{splitless}");
    }

    // "2 calls with token usage (0.4%) have no cost", with the share of all calls with usage.
    private static string CallsWithUsage(ReportData data, long calls, string hasOne, string haveMany) =>
        calls == 1 ? $"1 call with token usage {hasOne}" : F($"{calls:N0} calls with token usage ({(double)calls / data.Kpis.CallsWithUsage:0.0%}) {haveMany}");

    // "a (2 of its 9 calls), b (1 of its 1 calls), 2 more models (3 calls)": the first three of models listed most first.
    private static string ModelsWithCounts(IReadOnlyList<(string Model, long Count, long Calls)> models)
    {
        const int Named = 3;
        var named = models.Take(Named).Select(m => F($"{m.Model} ({m.Count:N0} of its {m.Calls:N0} calls)")).ToList();
        // "1 more model (1 calls)" and "1 more models likewise" (found by reviewing the session's changes).
        if (models.Count > Named) named.Add(F($"{Format.Counted(models.Count - Named, "more model")} ({Format.Counted(models.Skip(Named).Sum(m => m.Count), "call")})"));
        return string.Join(", ", named);
    }

    /// <summary>
    /// " 2 more log their tokens without a prompt/completion split, which no price can cost: a (2 of its 2 calls); log
    /// prompt_tokens and completion_tokens, or the calls' cost in metrics.cost.", or, when <paramref name="alone"/> (they
    /// are all the calls without a cost), " a (2 of its 2 calls); they log their tokens without …".
    /// </summary>
    private static string WithoutSplit(ReportData data, IReadOnlyDictionary<string, long> withoutSplit, long calls, bool alone)
    {
        var totals = data.Models.ToDictionary(m => m.Model, m => m.Calls, StringComparer.Ordinal);
        var named = ModelsWithCounts(withoutSplit.OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => (m.Key, m.Value, totals.GetValueOrDefault(m.Key))).ToList());
        var advice = $"log prompt_tokens and completion_tokens, or the {(calls == 1 ? "call's" : "calls'")} cost in metrics.cost.";
        return alone
            ? $" {named}; {(calls == 1 ? "it logs its" : "they log their")} tokens without a prompt/completion split, which no price can cost: {advice}"
            : $" {(calls == 1 ? "1 more logs its" : F($"{calls:N0} more log their"))} tokens without a prompt/completion split, which no price can cost: {named}; {advice}";
    }

    /// <summary>
    /// " The price table in force prices gpt-4o-2024-11-20 from 2024-11-20 on, and its calls come before that day: …", of
    /// the <paramref name="early"/> models (those of <see cref="CostSeries.UnpricedBeforeFirstPrice"/>), or "" without one.
    /// </summary>
    private static string BeforeFirstPrice(IReadOnlyList<ModelMetrics> early, int unpricedModels, IReadOnlyDictionary<string, DateOnly> firstDays)
    {
        const int Named = 3;
        if (early.Count == 0) return "";
        // "its calls" only of a model none of whose calls has a cost: the others may have later calls the table prices.
        var calls = early.All(m => m.UnpricedCalls == m.Calls) ? "calls" : "calls without a price";
        if (early.Count == 1)
        {
            var model = early[0];
            return $" The price table in force prices {(unpricedModels == 1 ? "it" : model.Model)} from {Day(firstDays[model.Model])} on, and its {calls} come before that day: "
                + "either their timestamps are wrong or the table lacks an older price for it.";
        }
        var more = early.Count > Named ? F($" (and {Format.Counted(early.Count - Named, "more model")} likewise)") : "";
        return $" The price table in force prices {Format.And(early.Take(Named).Select(m => $"{m.Model} from {Day(firstDays[m.Model])}").ToList())} on{more}, and their {calls} come before those days: "
            + "either their timestamps are wrong or the table lacks older prices for them.";
    }

    /// <summary>Correlation of a day's average tokens per call with the next day's average latency.</summary>
    internal static string NextDayLatency(IReadOnlyList<ReportDay> days)
    {
        var pairs = Consecutive(days)
            // The next day's median latency, not its mean: one call timed at days (a clock error) moved a mean far
            // enough to turn "no evidence" into "yes" (found by probing the report).
            .Where(p => p.Before.AvgTokensPerCall is not null && p.After.P50LatencyS is not null)
            .Select(p => (X: p.Before.AvgTokensPerCall!.Value, Y: p.After.P50LatencyS!.Value))
            .ToList();
        const string Question = "Latency the day after a day of unusually large calls:";
        if (pairs.Count < MinimumPairs)
        {
            return F($"{Question} not testable, {Format.Counted(pairs.Count, "pair")} of consecutive days with token and latency data; at least {MinimumPairs} are needed.");
        }
        var r = Stats.Pearson(pairs);
        if (r is null) return F($"{Question} not testable, average tokens per call or next-day latency does not vary over the {pairs.Count:N0} day pairs.");
        var p = Stats.TwoSidedP(r.Value, pairs.Count);
        var strength = Math.Abs(r.Value) switch { < 0.1 => "negligible", < 0.3 => "weak", < 0.5 => "moderate", _ => "strong" };
        var rounded = Math.Round(r.Value, 2);
        var numbers = F($"Pearson r = {(rounded < 0 ? "−" : "")}{Math.Abs(rounded):0.00} between a day's average tokens per call and the next day's median latency, {pairs.Count:N0} day pairs, {(p < 0.001 ? "p < 0.001" : F($"p = {p:0.000}"))}");
        if (p >= 0.05) return $"{Question} no evidence that it rises ({numbers}): a {strength} correlation, within what chance produces.";
        return r.Value > 0
            ? $"{Question} {(Math.Abs(r.Value) < 0.3 ? "weak evidence that it rises" : "it rises")}: a {strength} positive correlation ({numbers}). Correlation is not cause; check what else changed on those days."
            : $"{Question} it does not rise: the correlation is {strength} and negative ({numbers}).";
    }

    /// <summary>
    /// Inputs that could not be read, or were cut short: records the numbers of this report may lack. The advice is
    /// what completes such a run (docs/ingest.md); "replace the file with a complete export" did not, when the export's
    /// bytes differed from those read (found by probing a schedule).
    /// </summary>
    internal static void IncompleteInputs(IReadOnlyList<IngestRunRow> runs, List<string> list)
    {
        const int Named = 3;
        var incomplete = runs.Where(r => r.Incomplete).ToList();
        foreach (var r in incomplete.Take(Named))
        {
            var what = r.Status == "failed"
                ? "failed: nothing of it was loaded, so its records are missing from every number here"
                : "found it cut short: the records after the cut are missing";
            var settle = r.ReadBytes
                ? "Ingest the whole file from the same path again: the run that reads the bytes this one read, and the rest, marks it complete. "
                  + "A new export written over it loads as a new file, and this run stays listed"
                : "Once llmlog may read the file, ingest it from the same path: the run that finds it unchanged (same size and modification time) marks this one complete. "
                  + "A file that changed meanwhile loads as a new file, and this run stays listed";
            var byHand = F($"; when its records came in another way, llmlog runs resolve {r.RunId} --note \"...\" says so, and the report stops saying its records are missing.");
            list.Add(F($"Ingest run {r.RunId:N0} of {r.FilePath} ({Format.Utc(r.StartedAt)}) {what} ({r.Message ?? "no reason recorded"}). ") + settle + byHand);
        }
        if (incomplete.Count > Named)
        {
            var listed = ReportContent.ListedIncompleteRuns(runs);
            var where = listed == incomplete.Count
                ? "the data quality section lists them"
                : F($"the data quality section lists the newest {listed:N0} of the {incomplete.Count:N0}, llmlog export --table runs every one");
            list.Add(incomplete.Count - Named == 1
                ? "1 more ingest run failed or was cut short; the data quality section lists it."
                : F($"{incomplete.Count - Named:N0} more ingest runs failed or were cut short; {where}."));
        }
    }

    private static void MaxTokensHits(ReportData data, List<string> list)
    {
        var d = data.Distributions;
        var withLimit = data.Models.Sum(m => m.CallsWithMaxTokens);
        if (withLimit == 0) return;
        // Only a call that reports its completion tokens can be seen to hit its limit: the same calls as the chart's.
        var checkable = d.MaxTokensUse.Calls;
        var unknown = withLimit - checkable;
        var unknownNote = unknown switch
        {
            0 => "",
            1 => " 1 more sets a limit but reports no completion tokens, so whether it hit it is unknown.",
            _ => F($" {unknown:N0} more set a limit but report no completion tokens, so whether they hit it is unknown."),
        };
        if (checkable == 0)
        {
            list.Add(withLimit == 1
                ? "The 1 call that sets a max_tokens limit does not report its completion tokens, so whether it hit it is unknown."
                : F($"None of the {withLimit:N0} calls that set a max_tokens limit reports its completion tokens, so whether any hit it is unknown."));
            return;
        }
        if (d.HitMaxTokensCalls == 0)
        {
            list.Add(F($"No call reached its max_tokens limit ({(checkable == 1 ? "1 call sets one and reports its" : F($"{checkable:N0} calls set one and report their"))} completion tokens).{unknownNote}"));
            return;
        }
        var models = string.Join(", ", d.HitsByModel.Take(3).Select(m => F($"{m.Name} {m.Hits:N0} of {m.Calls:N0} ({(double)m.Hits / m.Calls:0.0%})")));
        var types = string.Join(", ", d.HitsByRequestType.Take(3).Select(t => F($"{t.Name} {t.Hits:N0} of {t.Calls:N0} ({(double)t.Hits / t.Calls:0.0%})")));
        var calls = checkable == 1 ? "1 call that sets a max_tokens limit and reports its" : F($"{checkable:N0} calls that set a max_tokens limit and report their");
        list.Add(F($"{d.HitMaxTokensCalls:N0} of {calls} completion tokens ({(double)d.HitMaxTokensCalls / checkable:0.0%}) hit it, so {(d.HitMaxTokensCalls == 1 ? "its answer" : "their answers")} may be cut short. By model: {models}. By request type: {types}.{unknownNote}"));
    }

    internal static void MissingUsage(Kpis k, IReadOnlyList<ReportDay> days, CostSource cost, List<string> list)
    {
        var missing = k.Calls - k.CallsWithUsage;
        // A share that moves from day to day moves the daily tokens and cost with it: more streaming (which reports no
        // usage) read as a 75 % fall in spend (found by probing the report).
        var shares = Comparable(days).Days.Where(d => d.Calls > 0).Select(d => (Day: d, Share: (double)(d.Calls - d.CallsWithUsage) / d.Calls)).ToList();
        var varies = "";
        if (missing > 0 && shares.Count >= 2)
        {
            var (low, high) = (shares.MinBy(x => x.Share), shares.MaxBy(x => x.Share));
            if (high.Share - low.Share >= 0.25)
            {
                // A range, not a direction (the lowest day may come last), and cost only where prices make it: a logged cost
                // stays with its call (found by review).
                var totals = cost == CostSource.Estimated ? "token and cost totals" : "token totals";
                varies = F($" The share ranges from {low.Share:0%} on {Day(low.Day)} to {high.Share:0%} on {Day(high.Day)}, and the daily {totals} move with it.");
            }
        }
        list.Add(missing == 0
            ? k.Calls == 1 ? "The 1 call reports its token usage." : F($"Every one of the {k.Calls:N0} calls reports its token usage.")
            : missing == 1
                ? F($"1 of {Calls(k.Calls)} ({1.0 / k.Calls:0.0%}) carries no token usage: its tokens, and its cost unless it logged one, are in no total.{varies}")
                : F($"{missing:N0} of {k.Calls:N0} calls ({(double)missing / k.Calls:0.0%}) carry no token usage: their tokens, and their cost unless they logged one, are in no total.{varies}"));
    }

    /// <summary>
    /// Records of the period that failed validation beside the calls that passed: how many, their share of all records
    /// (not with a model filter, as a rejected record has no model), the leading field, and where to see them all.
    /// </summary>
    private static void SomeRecordsRejected(ReportData data, List<string> list)
    {
        var k = data.Kpis;
        if (k.RejectedRecords == 0) return;
        var verb = k.RejectedRecords == 1 ? "is not counted as a call" : "are not counted as calls";
        // Records without a readable created time belong to no period, and every report counts them: "of the period" beside
        // "none of them has a readable created time" said two things at once (found by probing the report).
        // Nor are records dated after the newest call, or before the first: the period runs from call to call, and 200
        // rejects of the ten days after it were "of the period" while nothing said that no call had loaded since (found
        // by probing the report).
        var byDay = data.Quality.RejectsByDay;
        var callDays = data.Days.Where(d => d.Calls > 0).Select(d => d.Day).ToList();
        var (firstCall, lastCall) = (callDays.Min(), callDays.Max());
        var later = data.Header.ModelFilter is null ? byDay.Where(r => r.Key > lastCall).OrderBy(r => r.Key).ToList() : [];
        var earlier = data.Header.ModelFilter is null ? byDay.Where(r => r.Key < firstCall).OrderBy(r => r.Key).ToList() : [];
        var counted = data.Quality.UndatedRejects > 0 || later.Count > 0 || earlier.Count > 0
            ? F($"the {k.Calls + k.RejectedRecords:N0} records this report counts")
            : F($"{k.Calls + k.RejectedRecords:N0} records of the period");
        var how = data.Header.ModelFilter is null
            ? F($"{k.RejectedRecords:N0} of {counted} ({k.RejectedShare:0.0%}) failed validation and {verb}")
            : F($"{Format.Counted(k.RejectedRecords, "record")} of the period, of all models, failed validation and {verb}");
        var reasons = data.Quality.RejectReasons;
        var why = "";
        if (reasons.Count > 0)
        {
            var on = reasons[0].Field == "(whole record)" ? "on the record as a whole" : "on " + reasons[0].Field;
            why = reasons.Count == 1
                ? F($", {(k.RejectedRecords == 1 ? "failing" : "all failing")} {on}, for example “{reasons[0].ExampleReason}”")
                : F($", most often {on} ({reasons[0].Records:N0}), for example “{reasons[0].ExampleReason}”");
        }
        // Where they gather: a day losing 43 % of its records read as a 2.4 % share of the month (found by probing the report).
        var dated = byDay.Values.Sum();
        if (data.Header.ModelFilter is null && dated >= 2 && (data.Days.Count > 1 || byDay.Count > 1)
            && byDay.OrderByDescending(r => r.Value).ThenBy(r => r.Key).First() is var (top, onTop) && onTop * 2 > dated)
        {
            var records = onTop + (data.Days.FirstOrDefault(d => d.Day == top)?.Calls ?? 0);
            why += onTop == dated
                ? data.Quality.UndatedRejects > 0
                    ? F($", all {onTop:N0} with a readable created time on {Day(top)} ({(double)onTop / records:0.0%} of that day's records)")
                    : F($", all of them on {Day(top)} ({(double)onTop / records:0.0%} of that day's records)")
                : F($", most of them on {Day(top)} ({onTop:N0}, {(double)onTop / records:0.0%} of that day's records)");
        }
        // A record without a readable created time belongs to no day, so every period counts it (found by probing).
        var undated = data.Quality.UndatedRejects;
        var undatedNote = undated switch
        {
            0 => "",
            _ when undated == k.RejectedRecords => k.RejectedRecords == 1
                ? "; it has no readable created time, so a report of any period counts it"
                : "; none of them has a readable created time, so a report of any period counts them",
            1 => "; 1 of them has no readable created time, so a report of any period counts it",
            _ => F($"; {undated:N0} of them have no readable created time, so a report of any period counts them"),
        };
        var outside = "";
        if (later.Count > 0)
        {
            var n = later.Sum(r => r.Value);
            outside += F($" {Which(n)} dated after {Day(lastCall)}, the newest day with calls ({Stretch(later)}): no record of {(later.Count == 1 ? "that day" : "those days")} passed validation, so nothing of them is in the charts; if the application still logs, check what changed in its records.");
        }
        if (earlier.Count > 0)
        {
            var n = earlier.Sum(r => r.Value);
            outside += F($" {Which(n)} dated before {Day(firstCall)}, the first day with calls ({Stretch(earlier)}).");
        }
        list.Add($"{how}{why}{undatedNote}.{outside} 'llmlog export --table rejects --out -' lists each with its file, record number, field and reason.");

        string Which(long n) => n == k.RejectedRecords ? (n == 1 ? "It is" : "All of them are") : F($"{n:N0} of them {(n == 1 ? "is" : "are")}");

        static string Stretch(List<KeyValuePair<DateOnly, long>> days) =>
            days.Count == 1 ? Day(days[0].Key) : F($"{Format.Counted(days.Count, "day")} from {Day(days[0].Key)} to {Day(days[^1].Key)}");
    }

    /// <summary>
    /// Records that failed validation and were loaded since: corrected at their source, or cut off by the end of a file
    /// still being written and read whole by a later run. It said "sent again corrected" of the cut-off ones too, some of
    /// which were no record at all ("the array of records is not closed", found by probing DuckDB).
    /// </summary>
    private static void RejectsLoadedLater(long records, List<string> list)
    {
        if (records == 0) return;
        list.Add(records == 1
            ? "One record of this period that failed validation was loaded later (sent again corrected, or read whole once the file still being written that cut it off was complete); it no longer counts as a rejected record."
            : F($"{records:N0} records of this period that failed validation were loaded later (sent again corrected, or read whole once the files still being written that cut them off were complete); they no longer count as rejected records."));
    }

    private static IEnumerable<(ReportDay Before, ReportDay After)> Consecutive(IReadOnlyList<ReportDay> days)
    {
        for (var i = 1; i < days.Count; i++)
        {
            if (days[i].Day.DayNumber - days[i - 1].Day.DayNumber == 1) yield return (days[i - 1], days[i]);
        }
    }

    private static string Calls(long n) => Format.Counted(n, "call");

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // With fewer than two whole days, days are ranked with the partial edge days among them: each says it is one, so
    // that a 10-hour fragment is not read as the quietest day (found by probing the report).
    private static string Day(ReportDay d) => Day(d.Day) + (d.Partial ? " (partial)" : "");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
