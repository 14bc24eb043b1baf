import type { Member } from '../cluster/member.js';
import { memberList } from '../cluster/gateway.js';
import { BACKUP_MOUNT, DATA_DIR, etcdctlTlsFlags } from '../cluster/etcd-flags.js';
import type { RunContext } from '../run/run-context.js';

// What operators look up by hand before pasting a command: a member's ID, IP and URLs, the
// endpoints, the leader, the current revision, the TLS flags. `${...}` in a command stands for one.
export const PLACEHOLDER = /\$\{([^}]*)\}/g;
export const MEMBER_FIELDS = ['name', 'id', 'ip', 'client-url', 'peer-url'] as const;
type MemberField = (typeof MEMBER_FIELDS)[number];
const SIMPLE = ['endpoints', 'initial-cluster', 'tls', 'tls-v2', 'auth', 'revision', 'data-dir', 'backup-dir'] as const;
/** Words that expand to several command words (or none): they must stand alone. */
export const SPLICED = new Set(['tls', 'tls-v2', 'auth']);

/** What a file knows while it is validated: member names, names remembered and saved so far. */
export interface PlaceholderScope {
  members: readonly string[];
  /** Names given with `as:` (and `failed`), usable as `${failed.id}`. */
  refs: ReadonlySet<string>;
  saved: ReadonlySet<string>;
  /** True inside a step that runs on a member (so `${self.*}` means something). */
  self: boolean;
}

export const PLACEHOLDER_HELP =
  '${endpoints}, ${initial-cluster}, ${tls}, ${tls-v2}, ${auth}, ${revision}, ${data-dir}, ${backup-dir}, ${saved.<name>}, ' +
  '${member.<name>.<field>}, ${leader.<field>}, ${self.<field>}, ${failed.<field>} (fields: name, id, ip, client-url, peer-url)';

type Parsed =
  | { kind: 'simple'; name: (typeof SIMPLE)[number] }
  | { kind: 'saved'; name: string }
  | { kind: 'member'; who: 'leader' | 'self' | { ref: string } | { member: string }; field: MemberField };

/** Parses one placeholder's inside (`member.etcd-2.id`), or says what is wrong with it. */
export function parsePlaceholder(inner: string, scope: PlaceholderScope): Parsed | string {
  if ((SIMPLE as readonly string[]).includes(inner)) return { kind: 'simple', name: inner as (typeof SIMPLE)[number] };
  const parts = inner.split('.');
  if (parts[0] === 'saved') {
    const name = parts.slice(1).join('.');
    if (!scope.saved.has(name))
      return `\${saved.${name}} names no result saved by an earlier step (saved so far: ${[...scope.saved].join(', ') || 'none'})`;
    return { kind: 'saved', name };
  }
  const field = parts[parts.length - 1] as MemberField;
  const fieldOk = parts.length >= 2 && (MEMBER_FIELDS as readonly string[]).includes(field);
  if (parts[0] === 'member') {
    const name = parts.slice(1, -1).join('.');
    if (parts.length < 3 || !fieldOk)
      return `\${${inner}}: expected \${member.<name>.<field>} with a field among ${MEMBER_FIELDS.join(', ')}`;
    if (!scope.members.includes(name)) return `\${${inner}}: no member "${name}" in this cluster (members: ${scope.members.join(', ')})`;
    return { kind: 'member', who: { member: name }, field };
  }
  if (parts.length === 2 && (parts[0] === 'leader' || parts[0] === 'self' || scope.refs.has(parts[0]!))) {
    if (!fieldOk) return `\${${inner}}: unknown field "${field}"; expected one of ${MEMBER_FIELDS.join(', ')}`;
    if (parts[0] === 'self' && !scope.self) return `\${${inner}}: \${self.*} only means something in a step that runs on a member`;
    const who = parts[0] === 'leader' || parts[0] === 'self' ? parts[0] : { ref: parts[0]! };
    return { kind: 'member', who, field };
  }
  return `unknown placeholder \${${inner}}; expected one of ${PLACEHOLDER_HELP}`;
}

/** The first bad placeholder in `text`, with its offset, or undefined when all are known. */
export function checkPlaceholders(text: string, scope: PlaceholderScope): { offset: number; message: string } | undefined {
  for (const m of text.matchAll(PLACEHOLDER)) {
    const p = parsePlaceholder(m[1]!, scope);
    if (typeof p === 'string') return { offset: m.index, message: p };
  }
  const open = text.indexOf('${');
  if (open >= 0 && text.indexOf('}', open) < 0) return { offset: open, message: 'unclosed placeholder ${' };
  return undefined;
}

/** Looks values up at run time: what the operator would read off `member list` or `endpoint status`. */
export class PlaceholderResolver {
  constructor(
    private readonly ctx: RunContext,
    private readonly self?: Member,
    private readonly api: 2 | 3 = 3,
  ) {}

  async value(inner: string): Promise<string[]> {
    const p = parsePlaceholder(inner, {
      members: this.ctx.cluster.members.map((m) => m.name),
      refs: new Set(this.ctx.refs.keys()),
      saved: savedNames(this.ctx),
      self: Boolean(this.self),
    });
    if (typeof p === 'string') throw new Error(p);
    const c = this.ctx.cluster;
    if (p.kind === 'saved') return [String((this.ctx.vars.get(savedKey(p.name)) as { stdout?: string } | undefined)?.stdout ?? '').trim()];
    if (p.kind === 'simple') {
      switch (p.name) {
        case 'endpoints':
          return [c.endpoints()];
        case 'initial-cluster':
          return [c.initialCluster()];
        case 'tls':
          return c.spec.tls ? etcdctlTlsFlags(this.api) : [];
        case 'tls-v2':
          return c.spec.tls ? etcdctlTlsFlags(2) : [];
        case 'auth':
          return c.auth && this.api === 3 ? [`--user=${c.auth.user}:${c.auth.password}`] : [];
        case 'data-dir':
          return [DATA_DIR];
        case 'backup-dir':
          return [BACKUP_MOUNT];
        case 'revision':
          return [String(await this.revision())];
      }
    }
    const m = await this.member(p.who);
    return [await this.field(m, p.field)];
  }

  /** Expands every placeholder in one word; `${tls}` and `${auth}` alone become several words (or none). */
  async word(word: string): Promise<string[]> {
    const alone = /^\$\{([^}]*)\}$/.exec(word)?.[1];
    if (alone !== undefined && SPLICED.has(alone)) return this.value(alone);
    let out = '';
    let last = 0;
    for (const m of word.matchAll(PLACEHOLDER)) {
      out += word.slice(last, m.index) + (await this.value(m[1]!)).join(' ');
      last = m.index + m[0].length;
    }
    return [out + word.slice(last)];
  }

  /** Expands placeholders inside a shell script (multi-word values joined with spaces). */
  async text(text: string): Promise<string> {
    return (await this.word(text)).join(' ');
  }

  /**
   * Expands placeholders inside an `expect` regular expression: each value is matched literally
   * (its dots are not wildcards) and as one group, so `${failed.ip}?` makes the whole IP optional
   * and an empty value (`${tls}` on a plain cluster) still leaves a valid expression.
   */
  async pattern(source: string): Promise<string> {
    let out = '';
    let last = 0;
    for (const m of source.matchAll(PLACEHOLDER)) {
      out += source.slice(last, m.index) + `(?:${escapeRegex((await this.value(m[1]!)).join(' '))})`;
      last = m.index + m[0].length;
    }
    return out + source.slice(last);
  }

  private async member(who: Parsed & { kind: 'member' } extends { who: infer W } ? W : never): Promise<Member> {
    if (who === 'self') return this.self!;
    if (who === 'leader') {
      const l = await this.ctx.leader();
      if (!l) throw new Error('${leader.*}: the cluster has no leader now');
      return l;
    }
    if ('member' in who) return this.ctx.cluster.member(who.member);
    const [m] = this.ctx.ref(who.ref);
    if (!m) throw new Error(`no member remembered as "${who.ref}" yet`);
    return m;
  }

  private async field(m: Member, f: MemberField): Promise<string> {
    switch (f) {
      case 'name':
        return m.name;
      case 'ip':
        return m.ip;
      case 'client-url':
        return m.clientUrl;
      case 'peer-url':
        return m.peerUrl;
      case 'id':
        return this.memberId(m);
    }
  }

  /** As an operator reads it: `member list` on a member that answers, matched by peer URL. */
  private async memberId(m: Member): Promise<string> {
    for (const via of [...this.ctx.cluster.members].sort((a, b) => Number(a === m) - Number(b === m))) {
      const list = await memberList(via.clientUrl, 2000).catch(() => undefined);
      const row = list?.find((x) => x.peerUrls.includes(m.peerUrl));
      if (row) return row.id;
    }
    const own = await m.status(2000).catch(() => undefined);
    if (own) return own.memberId;
    throw new Error(`\${...id} of ${m.name}: no member answered member list`);
  }

  /** The highest revision any member reports (endpoint status); every member has applied at least that once caught up. */
  private async revision(): Promise<number> {
    const revs = [...(await this.ctx.cluster.statuses(2000)).values()].flatMap((s) => (s instanceof Error ? [] : [s.revision]));
    if (!revs.length) throw new Error('${revision}: no member answered endpoint status');
    return Math.max(...revs);
  }
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern with every placeholder replaced by a group, as `pattern()` expands it: what is left must be a valid regular expression. */
export const withoutPlaceholders = (source: string): string => source.replace(PLACEHOLDER, '(?:x)');

export const savedKey = (name: string): string => `saved:${name}`;
function savedNames(ctx: RunContext): Set<string> {
  return new Set([...ctx.vars.keys()].filter((k) => k.startsWith('saved:')).map((k) => k.slice(6)));
}
