/** Shared by report.html and index.html: one stylesheet, inline, no fonts or scripts fetched. */
export const STYLE = `
:root { --ok:#2e7d32; --fail:#c62828; --unknown:#ef6c00; --muted:#757575; --line:#e0e0e0; --bg:#fafafa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #212121; background: #fff; }
header { padding: 18px 28px 12px; border-bottom: 1px solid var(--line); background: var(--bg); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header .sub { color: var(--muted); }
nav { position: sticky; top: 0; background: #fff; border-bottom: 1px solid var(--line); padding: 6px 28px; z-index: 1; font-size: 13px; }
nav a { margin-right: 14px; color: #1565c0; text-decoration: none; }
main { padding: 8px 28px 40px; max-width: 1200px; }
section { scroll-margin-top: 36px; }
h2 { font-size: 16px; margin: 26px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; font-size: 13px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); white-space: nowrap; }
.badge.pass, .badge.ok, .badge.failed-as-expected { background: var(--ok); }
.badge.fail, .badge.did-not-fail, .badge.incomplete { background: var(--fail); }
.badge.unknown { background: var(--unknown); }
.badge.phase { background: #eceff1; color: #37474f; font-weight: 500; }
.verdict { display: flex; align-items: center; gap: 14px; margin: 10px 0 4px; }
.verdict .big { font-size: 22px; font-weight: 700; padding: 4px 16px; border-radius: 6px; color: #fff; white-space: nowrap; }
table.checks td:nth-child(2) { min-width: 260px; }
.big.ok { background: var(--ok); } .big.bad { background: var(--fail); } .big.unknown { background: var(--unknown); }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 4px 18px; margin: 8px 0 0; }
.facts div { font-size: 13px; } .facts b { color: var(--muted); font-weight: 500; margin-right: 4px; }
.banner { border-left: 4px solid var(--fail); background: #ffebee; padding: 8px 12px; margin: 10px 0; white-space: pre-wrap; }
.banner.note { border-color: #1565c0; background: #e3f2fd; }
.chart { margin: 8px 0 14px; border: 1px solid var(--line); border-radius: 4px; padding: 4px; }
.chart svg { width: 100%; height: auto; display: block; }
pre { background: #f5f5f5; padding: 8px; margin: 4px 0; overflow-x: auto; font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, monospace; white-space: pre-wrap; word-break: break-all; max-height: 420px; overflow-y: auto; }
code { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, monospace; }
details { margin: 4px 0; border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; }
details > summary { cursor: pointer; }
details.step.error { border-color: var(--fail); }
.cmd { margin: 8px 0 10px 4px; padding-left: 8px; border-left: 3px solid var(--line); }
.cmd .line { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, monospace; word-break: break-all; }
.muted { color: var(--muted); }
.exit { font-size: 11px; padding: 0 6px; border-radius: 8px; background: #e8f5e9; color: var(--ok); font-weight: 600; }
.exit.nz { background: #ffebee; color: var(--fail); }
tr.check-fail td { background: #fff5f5; } tr.check-unknown td { background: #fff8e1; }
.expected { font-size: 11px; color: var(--muted); }
`;
