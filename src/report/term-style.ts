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

/** Cuts a plain (unstyled) line to `width` columns with an ellipsis; no limit when width is 0. */
export function fit(line: string, width: number): string {
  if (!width || line.length <= width) return line;
  return `${line.slice(0, Math.max(0, width - 1))}…`;
}
