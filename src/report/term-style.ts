/** ANSI styling that is a no-op when colour is off. */
export interface TermStyle {
  enabled: boolean;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

/**
 * Colour only on a terminal, and never when NO_COLOR is set to anything non-empty
 * (https://no-color.org); logs and pipes get plain text.
 */
export function colorWanted(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

export function termStyle(enabled: boolean): TermStyle {
  const wrap =
    (open: number, close: number) =>
    (s: string): string =>
      enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  return { enabled, green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** Visible width of a string (ANSI escapes take no room). */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

// East Asian wide and fullwidth characters (the seeds' Chinese, in sources and notes) take two
// columns: counted as one, a line wraps and the spinner's in-place rewrite leaves debris.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const columns = (ch: string): number => (WIDE.test(ch) ? 2 : 1);

/** Terminal columns a plain (unstyled) string takes. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += columns(ch);
  return w;
}

/** Cuts a plain (unstyled) line to `width` columns with an ellipsis; no limit when width is 0. */
export function fit(line: string, width: number): string {
  if (!width || displayWidth(line) <= width) return line;
  let out = '';
  let w = 0;
  for (const ch of line) {
    if (w + columns(ch) > width - 1) break;
    out += ch;
    w += columns(ch);
  }
  return `${out}…`;
}
