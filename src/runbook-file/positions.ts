import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { InputError } from '../run/errors.js';

export type Path = ReadonlyArray<string | number>;

/** Where a value sits: `file:line:col` for YAML, `file: steps[3].etcdctl` for data without positions. */
export type Locate = (path: Path, offsetInValue?: number, atKey?: boolean) => string;

/** `steps[3].on` */
export function showPath(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(top level)';
}

export const FIX = 'see schema/runbook.schema.json or `firedrill validate <file>`';

/**
 * Parses YAML keeping every node's range, so a problem anywhere in the file can be reported at its
 * line and column. YAML syntax errors are thrown at once as one-line InputErrors.
 */
export function parseYamlWithPositions(text: string, file: string): { data: unknown; locate: Locate } {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (e) {
    throw new InputError(`${file}: not YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, FIX);
  }
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new InputError(`${file}:${line}:${col}: bad YAML: ${first.message.split('\n')[0]}`, 'fix the YAML syntax at that spot');
  }
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const locate: Locate = (path, offsetInValue, atKey) => {
    const { node, missing } = deepest(doc.contents, path, atKey);
    const start = node?.range?.[0] ?? 0;
    // A placeholder inside a plain one-line scalar: point at the placeholder itself.
    const exact =
      offsetInValue !== undefined &&
      !missing &&
      isScalar(node) &&
      (node.type === 'PLAIN' || node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    const shift = exact ? offsetInValue + (node.type === 'PLAIN' ? 0 : 1) : 0;
    return `${at(start + shift)}: ${showPath(path)}`;
  };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(`${file}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, FIX);
  }
  return { data, locate };
}

/**
 * The node at `path`, or the deepest one that exists (a missing key is reported at its parent). A
 * path ending in a map key that is not allowed points at that key, so "unknown key" lands on it.
 */
function deepest(root: unknown, path: Path, atKey = false): { node?: Node; missing: boolean } {
  let node = root as Node | undefined;
  for (const [i, part] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === part);
      if (!pair) return { node, missing: true };
      if (atKey && i === path.length - 1) return { node: pair.key as Node, missing: false };
      const value = pair.value as Node | null;
      // `key:` with nothing after it: the key is where the problem is.
      node = value && value.range ? value : ((pair.key as Node) ?? node);
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined;
      if (!item) return { node, missing: true };
      node = item;
    } else {
      return { node, missing: true };
    }
  }
  return { node, missing: false };
}

/** The position of a key itself (for unknown keys), falling back to its map. */
export function keyPath(path: Path, key: string): Path {
  return [...path, key];
}

/** For data that has no source positions (a .ts runbook file): the path is the position. */
export function locateByPath(file: string): Locate {
  return (path) => `${file}: ${showPath(path)}`;
}
