import type { KvOperation } from './check-kv-history.js';

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*)$/;

/**
 * Parses a Jepsen etcd register log (porcupine's test data, format in
 * ../shared/histories/jepsen-etcd/README.md) into KV operations on one key, `r`: read → get,
 * write → put, cas [from to] → a txn comparing the value. Times are line numbers. `:fail :cas` is a
 * cas that answered "compare failed" (an observation, as porcupine reads it); `:fail :read
 * :timed-out` a read with no answer; `:info` (timed out) and operations that never returned may or
 * may not have happened and return at infinity.
 */
export function parseJepsenLog(text: string): KvOperation[] {
  const ops: KvOperation[] = [];
  const open = new Map<string, KvOperation>();
  text.split('\n').forEach((raw, lineNo) => {
    const line = raw.trim();
    if (!line) return;
    const m = LINE.exec(line);
    if (!m) throw new Error(`line ${lineNo + 1}: not a Jepsen history event: ${line}`);
    const [, proc, type, f, arg] = m as unknown as [string, string, string, string, string];
    if (type === 'invoke') {
      if (open.has(proc)) throw new Error(`line ${lineNo + 1}: process ${proc} invokes while an operation is open`);
      const op: KvOperation = {
        id: ops.length,
        client: proc,
        call: lineNo,
        ret: Infinity,
        input: invokeInput(f, arg, lineNo),
        output: undefined,
      };
      ops.push(op);
      open.set(proc, op);
      return;
    }
    const op = open.get(proc);
    if (!op) throw new Error(`line ${lineNo + 1}: process ${proc} completes an operation it never invoked`);
    if (type === 'info') return; // timed out: leave it open, it returns at infinity
    open.delete(proc);
    op.ret = lineNo;
    if (f === 'read') {
      if (type === 'fail')
        op.output = undefined; // :timed-out
      else op.output = arg === 'nil' ? { exists: false } : { exists: true, value: arg };
    } else if (f === 'write') op.output = {};
    else op.output = { succeeded: type === 'ok' };
  });
  return ops;
}

function invokeInput(f: string, arg: string, lineNo: number): KvOperation['input'] {
  if (f === 'read') return { type: 'get', key: 'r' };
  if (f === 'write') return { type: 'put', key: 'r', value: arg };
  const cas = /^\[(\S+)\s+(\S+)\]$/.exec(arg);
  if (!cas) throw new Error(`line ${lineNo + 1}: cas argument is not [from to]: ${arg}`);
  return { type: 'cas', key: 'r', compare: { on: 'value', value: cas[1]! }, value: cas[2]! };
}
