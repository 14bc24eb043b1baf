import type { Verdict } from '../checks/verdict.js';
import { InputError } from '../run/errors.js';
import type { RunContext } from '../run/run-context.js';
import type { Check } from '../run/scenario.js';
import { unknown } from '../checks/verdict.js';
import { checkPlaceholders, PLACEHOLDER_HELP, type PlaceholderScope } from './placeholders.js';
import { FIX, showPath, type Locate, type Path } from './positions.js';
import { FAILED } from './file-targets.js';
import { TARGET_WORDS } from './schema.js';

/** An `expect` or `wait` of the procedure, kept as a check so the verdicts name the step. */
export interface Expectation {
  key: string;
  check: Check;
}

/**
 * What compiling one file knows as it goes through the steps in order: where each value is in the
 * file, the members, the names remembered (`as:`) and saved (`save:`) so far, and the expectations.
 */
export class CompileContext {
  readonly refs = new Set<string>([FAILED]);
  readonly saved = new Set<string>();
  /** Names of pauses, which `heal:` undoes. */
  readonly healable = new Set<string>();
  readonly marks = new Set<string>();
  notedDbSize = false;
  readonly expectations: Expectation[] = [];

  constructor(
    readonly file: string,
    readonly locate: Locate,
    /** Member names that exist in every size the file names. */
    readonly members: readonly string[],
  ) {}

  /** `examples/x.yaml:12:5`: the position without the path. */
  where(path: Path): string {
    const full = this.locate(path);
    const suffix = `: ${showPath(path)}`;
    return full.endsWith(suffix) ? full.slice(0, -suffix.length) : full;
  }

  error(path: Path, message: string, fix = FIX, offset?: number): InputError {
    return new InputError(`${this.locate(path, offset)}: ${message}`, fix);
  }

  scope(self: boolean): PlaceholderScope {
    return { members: this.members, refs: this.refs, saved: this.saved, self };
  }

  /** Throws at the first unknown placeholder in `text` (at `path`). */
  placeholders(text: string, path: Path, self: boolean): void {
    const bad = checkPlaceholders(text, this.scope(self));
    if (bad) throw this.error(path, bad.message, `placeholders are ${PLACEHOLDER_HELP}`, bad.offset);
  }

  /** A target word must name something that exists by then. */
  target(word: string, path: Path): void {
    if ((TARGET_WORDS as readonly string[]).includes(word) || this.refs.has(word)) return;
    if (/^etcd-\d+$/.test(word)) {
      if (!this.members.includes(word))
        throw this.error(
          path,
          `no member "${word}" in this cluster (members: ${this.members.join(', ')})`,
          'name a member that exists in every size the file runs',
        );
      return;
    }
    throw this.error(
      path,
      `unknown target "${word}"; expected ${TARGET_WORDS.join(', ')}, a member name (${this.members.join(', ')}), or a name given earlier with as: (${[...this.refs].join(', ')})`,
      'use one of those',
    );
  }

  regex(source: string, path: Path): void {
    try {
      new RegExp(source);
    } catch (e) {
      throw this.error(
        path,
        `not a regular expression: ${e instanceof Error ? e.message : String(e)}`,
        'escape special characters with \\',
      );
    }
  }

  /** Registers an expectation and returns the key its verdict is stored under. */
  expectation(name: string): { key: string; store(ctx: RunContext, v: Verdict): void } {
    const key = `expect:${this.expectations.length}`;
    this.expectations.push({
      key,
      check: {
        name,
        async run(ctx) {
          return (
            (ctx.vars.get(key) as Verdict | undefined) ??
            unknown('not reached: the procedure stopped before this step (or the variant run has no such step)')
          );
        },
      },
    });
    return { key, store: (ctx, v) => ctx.vars.set(key, v) };
  }
}
