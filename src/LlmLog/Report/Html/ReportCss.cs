namespace LlmLog.Report.Html;

/// <summary>The report's stylesheet: system fonts only (no web font), a phone layout, and a print layout.</summary>
internal static class ReportCss
{
    public const string Text = """
        :root { --ink: #1d2733; --muted: #5b6673; --line: #d9dee4; --tile: #f5f7fa; --accent: #1f77b4; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); background: #fff; }
        main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
        h1 { font-size: 1.7rem; margin: 0 0 6px; overflow-wrap: anywhere; }
        h2 { font-size: 1.25rem; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
        h3 { font-size: 1.02rem; margin: 18px 0 6px; }
        .meta { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 0; color: var(--muted); font-size: .9rem; }
        .meta div { display: flex; gap: 6px; }
        .meta dt { font-weight: 600; }
        .meta dd { margin: 0; overflow-wrap: anywhere; }
        .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 20px 0 0; padding: 0; list-style: none; }
        .tile { background: var(--tile); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; container-type: inline-size; }
        .tile .label { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
        .tile .value { --size: 1.55rem; font-size: var(--size); font-weight: 700; margin: 2px 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
        .tile .value { font-size: min(var(--size), 100cqi / (var(--chars, 1) * 0.64)); }
        .tile .note { font-size: .8rem; color: var(--muted); }
        .findings li { margin: 6px 0; overflow-wrap: anywhere; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 18px; }
        figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px; break-inside: avoid; page-break-inside: avoid; }
        figure h3 { margin: 0 0 4px; }
        svg.chart { display: block; width: 100%; height: auto; }
        figcaption { font-size: .82rem; color: var(--muted); margin-top: 6px; overflow-wrap: anywhere; }
        .table-note { font-size: .82rem; color: var(--muted); margin-top: 4px; }
        .empty { padding: 28px 12px; text-align: center; color: var(--muted); background: var(--tile); border-radius: 6px; }
        .scroll { overflow-x: auto; container-type: inline-size; }
        .scroll:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
        table { border-collapse: collapse; width: 100%; font-size: .86rem; font-variant-numeric: tabular-nums; }
        table { font-size: clamp(.72rem, 100cqi / (var(--chars, 1) * 0.64), .86rem); }
        th, td { padding: .36em .44em; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
        th:first-child, td:first-child { text-align: left; }
        th[scope=row] { font-weight: 400; white-space: normal; }
        th[scope=row] .word { white-space: nowrap; }
        td.text, th[scope=row].text { text-align: left; white-space: normal; overflow-wrap: anywhere; min-width: 12ch; }
        th.text { text-align: left; }
        thead th { background: var(--tile); position: sticky; top: 0; white-space: normal; vertical-align: bottom; }
        tfoot td, tfoot th[scope=row] { font-weight: 700; border-top: 2px solid var(--ink); }
        footer { margin-top: 40px; color: var(--muted); font-size: .8rem; }
        @media (max-width: 640px) {
          main { padding: 14px 10px 32px; }
          h1 { font-size: 1.35rem; }
          .charts { grid-template-columns: 1fr; }
          .tiles { grid-template-columns: repeat(2, 1fr); gap: 8px; }
          .tile .value { --size: 1.2rem; }
          table { font-size: .78rem; }
        }
        @media print {
          @page { size: A4; margin: 14mm; }
          body { font-size: 10.5pt; }
          main { max-width: none; padding: 0; }
          .charts { display: block; }
          figure { margin: 0 0 10mm; border: none; padding: 0; }
          h2 { margin: 20px 0 8px; break-after: avoid; page-break-after: avoid; }
          h3 { break-after: avoid; page-break-after: avoid; }
          /* Once, at the end: repeated at the foot of every printed page, the total read as a page subtotal. */
          tfoot { display: table-row-group; }
          section.charts-section, section.tables { break-before: page; page-break-before: always; }
          /* Nine tiles in two rows, so that the findings end on page 1 (the charts start a page of their own). */
          .tiles { grid-template-columns: repeat(5, 1fr); gap: 6px; margin-top: 12px; }
          .tile { padding: 6px 8px; }
          .tile .value { --size: 1.3rem; }
          .tile .label, .tile .note { font-size: .72rem; }
          /* Ten findings and more (cost and latency each have theirs) still end on page 1, a summary of their own. */
          .findings li { margin: 3px 0; font-size: 9.5pt; }
          thead { display: table-header-group; }
          table { font-size: 6.8pt; }
          th, td { padding: 2px 3px; white-space: normal; }
          tr { break-inside: avoid; page-break-inside: avoid; }
          thead th { position: static; }
          .scroll { overflow: visible; }
        }
        """;
}
