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
        BusiestAndQuietest(ranked, list, complete.Count >= 2 && complete.Count < days.Count);
        DaysWithoutCalls(days, list);
        LargestP95Change(ranked, list, complete.Count >= 2 && complete.Count < days.Count);
        list.Add(NextDayLatency(days));
        MaxTokensHits(data, list);
        MissingUsage(data.Kpis, list);
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
            var on = r.Field == "(whole record)" ? "as a whole" : "on " + r.Field;
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

    internal static void BusiestAndQuietest(IReadOnlyList<ReportDay> days, List<string> list, bool partialLeftOut)
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
        // Days without a call are not among the days ranked, and the next finding names them: "quietest" alone read as
        // the quietest day of the period. A small mean is written to a tenth, so that "2.2× the mean" adds up.
        var withCalls = HasDaysWithoutCalls(days) ? " with calls" : "";
        var meanText = mean < 100 ? F($"{mean:0.0}") : F($"{mean:N0}");
        list.Add(F($"Busiest day: {Day(busiest)} with {Calls(busiest.Calls)} ({busiest.Calls / mean:0.0}× the daily mean of {meanText}{(withCalls.Length > 0 ? " over days with calls" : "")}); {(withCalls.Length > 0 ? "quietest day with calls" : "quietest")}: {Day(quietest)} with {Calls(quietest.Calls)}{(partialLeftOut ? " (partial edge days left out)" : "")}."));
    }

    /// <summary>Whether days without a call lie between the first and the last of <paramref name="days"/> (days with calls, in order).</summary>
    internal static bool HasDaysWithoutCalls(IReadOnlyList<ReportDay> days) =>
        days.Zip(days.Skip(1)).Any(p => p.Second.Day.DayNumber - p.First.Day.DayNumber > 1);

    /// <summary>
    /// Days inside the charted period without a single call: an outage, an export that never arrived, or a pause in use.
    /// The quietest day was named while 18 days had no call at all (found by probing the report).
    /// </summary>
    internal static void DaysWithoutCalls(IReadOnlyList<ReportDay> days, List<string> list)
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
        list.Add($"No call on {Format.Counted(gaps.Sum(g => g.Missing), "day")} inside the period: {string.Join(", ", named)}. Check whether logs are missing there, or the application was idle.");
    }

    /// <summary>
    /// The largest day-over-day move of p95 latency. The change is taken between the values as written and to the
    /// coarser of their precisions, so the sentence adds up: "31.4 s → 31.7 s (+0.39 s)" did not (found by probing).
    /// </summary>
    internal static void LargestP95Change(IReadOnlyList<ReportDay> days, List<string> list, bool partialLeftOut = false)
    {
        // Said as the busiest day says it: the daily table and chart show the partial days' jumps (found by probing).
        var leftOut = partialLeftOut ? " (partial edge days left out)" : "";
        var changes = Consecutive(days)
            .Where(p => p.Before.P95LatencyS is > 0 && p.After.P95LatencyS is not null)
            .Select(p => (p.Before, p.After, Delta: p.After.P95LatencyS!.Value - p.Before.P95LatencyS!.Value))
            .ToList();
        if (changes.Count == 0) return;
        var (before, after, delta) = changes.OrderByDescending(c => Math.Abs(c.Delta)).ThenBy(c => c.Before.Day).First();
        var relative = delta / before.P95LatencyS!.Value;
        if (Format.Seconds(before.P95LatencyS) == Format.Seconds(after.P95LatencyS))
        {
            // "19.5 s → 19.5 s (+0.00 s, +0%)" was named the largest change (found by probing).
            list.Add($"No day-over-day change of p95 latency: {Format.Seconds(before.P95LatencyS)} on consecutive days throughout{leftOut}.");
            return;
        }
        var written = Format.SecondsChange(before.P95LatencyS!.Value, after.P95LatencyS!.Value);
        list.Add(F($"Largest day-over-day change of p95 latency: {Day(before)} → {Day(after)}, {Format.Seconds(before.P95LatencyS)} → {Format.Seconds(after.P95LatencyS)} ({written}, {(relative >= 0 ? "+" : "−")}{Math.Abs(relative):0%}){leftOut}."));
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
        const string Question = "Does latency rise on the day after a day of unusually large calls?";
        if (pairs.Count < MinimumPairs)
        {
            return F($"{Question} Not testable: {Format.Counted(pairs.Count, "pair")} of consecutive days with token and latency data; at least {MinimumPairs} are needed.");
        }
        var r = Stats.Pearson(pairs);
        if (r is null) return F($"{Question} Not testable: average tokens per call or next-day latency does not vary over the {pairs.Count:N0} day pairs.");
        var p = TwoSidedP(r.Value, pairs.Count);
        var strength = Math.Abs(r.Value) switch { < 0.1 => "negligible", < 0.3 => "weak", < 0.5 => "moderate", _ => "strong" };
        var rounded = Math.Round(r.Value, 2);
        var numbers = F($"Pearson r = {(rounded < 0 ? "−" : "")}{Math.Abs(rounded):0.00} between a day's average tokens per call and the next day's median latency, over {pairs.Count:N0} day pairs ({(p < 0.001 ? "p < 0.001" : F($"p = {p:0.000}"))})");
        if (p >= 0.05) return $"{Question} No evidence: {numbers}; the {strength} correlation is within what chance produces.";
        return r.Value > 0
            ? $"{Question} {(Math.Abs(r.Value) < 0.3 ? "Weak evidence" : "Yes")}: a {strength} positive correlation, {numbers}. Correlation is not cause; check what else changed on those days."
            : $"{Question} No: the correlation is {strength} and negative, {numbers}.";
    }

    /// <summary>Inputs that could not be read, or were cut short: records the numbers of this report may lack.</summary>
    internal static void IncompleteInputs(IReadOnlyList<IngestRunRow> runs, List<string> list)
    {
        const int Named = 3;
        var incomplete = runs.Where(r => r.Incomplete).ToList();
        foreach (var r in incomplete.Take(Named))
        {
            var what = r.Status == "failed"
                ? "failed: nothing of it was loaded, so its records are missing from every number here"
                : "found it cut short: the records after the cut are missing";
            list.Add(F($"Ingest run {r.RunId:N0} of {r.FilePath} ({Format.Utc(r.StartedAt)}) {what} ({r.Message ?? "no reason recorded"}). Replace the file with a complete export and ingest it again."));
        }
        if (incomplete.Count > Named)
        {
            list.Add(incomplete.Count - Named == 1
                ? "1 more ingest run failed or was cut short; the data quality section lists it."
                : F($"{incomplete.Count - Named:N0} more ingest runs failed or were cut short; the data quality section lists them."));
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

    private static void MissingUsage(Kpis k, List<string> list)
    {
        var missing = k.Calls - k.CallsWithUsage;
        list.Add(missing == 0
            ? k.Calls == 1 ? "The 1 call reports its token usage." : F($"Every one of the {k.Calls:N0} calls reports its token usage.")
            : missing == 1
                ? F($"1 of {Calls(k.Calls)} ({1.0 / k.Calls:0.0%}) carries no token usage; its tokens are missing from every token total, and its cost too unless it logged one.")
                : F($"{missing:N0} of {k.Calls:N0} calls ({(double)missing / k.Calls:0.0%}) carry no token usage; their tokens are missing from every token total, and their cost too where they logged none."));
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
        var how = data.Header.ModelFilter is null
            ? F($"{k.RejectedRecords:N0} of {k.Calls + k.RejectedRecords:N0} records of the period ({k.RejectedShare:0.0%}) failed validation and {verb}")
            : F($"{Format.Counted(k.RejectedRecords, "record")} of the period, of all models, failed validation and {verb}");
        var reasons = data.Quality.RejectReasons;
        var why = "";
        if (reasons.Count > 0)
        {
            var on = reasons[0].Field == "(whole record)" ? "as a whole" : "on " + reasons[0].Field;
            why = reasons.Count == 1
                ? F($", {(k.RejectedRecords == 1 ? "failing" : "all failing")} {on}, for example “{reasons[0].ExampleReason}”")
                : F($", most often {on} ({reasons[0].Records:N0}), for example “{reasons[0].ExampleReason}”");
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
        list.Add($"{how}{why}{undatedNote}. 'llmlog export --table rejects --out -' lists each with its file, record number, field and reason.");
    }

    /// <summary>Records that failed validation, were corrected at their source and loaded since: the fix went in.</summary>
    private static void RejectsLoadedLater(long records, List<string> list)
    {
        if (records == 0) return;
        list.Add(records == 1
            ? "One record of this period that failed validation was sent again corrected and loaded as a call; it no longer counts as a rejected record."
            : F($"{records:N0} records of this period that failed validation were sent again corrected and loaded as calls; they no longer count as rejected records."));
    }

    private static IEnumerable<(ReportDay Before, ReportDay After)> Consecutive(IReadOnlyList<ReportDay> days)
    {
        for (var i = 1; i < days.Count; i++)
        {
            if (days[i].Day.DayNumber - days[i - 1].Day.DayNumber == 1) yield return (days[i - 1], days[i]);
        }
    }

    /// <summary>Two-sided p-value of Pearson's r under no correlation (Student's t with n − 2 degrees of freedom).</summary>
    internal static double TwoSidedP(double r, int n)
    {
        var df = n - 2;
        if (Math.Abs(r) >= 1) return 0;
        var t2 = r * r * df / (1 - r * r);
        return IncompleteBeta(df / 2.0, 0.5, df / (df + t2));
    }

    private static double IncompleteBeta(double a, double b, double x)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(a, b, x) / a
            : 1 - front * ContinuedFraction(b, a, 1 - x) / b;
    }

    // Lentz's method for the incomplete beta continued fraction (Numerical Recipes, betacf).
    private static double ContinuedFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < Tiny) d = Tiny;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 300; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + aa * d; if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + aa / c; if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d; h *= d * c;
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + aa * d; if (Math.Abs(d) < Tiny) d = Tiny;
            c = 1 + aa / c; if (Math.Abs(c) < Tiny) c = Tiny;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-12) break;
        }
        return h;
    }

    private static double LogGamma(double x)
    {
        double[] g = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
        var y = x;
        var tmp = x + 5.5;
        tmp -= (x + 0.5) * Math.Log(tmp);
        var ser = 1.000000000190015;
        foreach (var c in g) ser += c / ++y;
        return -tmp + Math.Log(2.5066282746310005 * ser / x);
    }

    private static string Calls(long n) => Format.Counted(n, "call");

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // With fewer than two whole days, days are ranked with the partial edge days among them: each says it is one, so
    // that a 10-hour fragment is not read as the quietest day (found by probing the report).
    private static string Day(ReportDay d) => Day(d.Day) + (d.Partial ? " (partial)" : "");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
