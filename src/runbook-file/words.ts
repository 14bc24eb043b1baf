/**
 * Splits a pasted etcdctl command into words the way sh would (quotes, backslashes, `\` line
 * continuations), without running a shell: the harness runs etcdctl directly, so a pipe or a shell
 * variable in it would silently mean something else. Those are reported, with where they are.
 */
export function splitWords(text: string): { words: string[] } | { error: string; offset: number } {
  const words: string[] = [];
  let cur: string | undefined;
  let i = 0;
  const push = (s: string): void => {
    cur = (cur ?? '') + s;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      if (cur !== undefined) words.push(cur);
      cur = undefined;
      continue;
    }
    if (/\s/.test(c)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
      i++;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: 'unclosed single quote', offset: i };
      push(text.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && /["\\$`]/.test(text[j + 1] ?? '')) s += text[++j];
        else if (text[j] === '$' && text[j + 1] !== '{') return shellVar(text, j);
        else if (text[j] === '`') return { error: 'command substitution (`...`) needs a shell', offset: j };
        else s += text[j];
      }
      if (j >= text.length) return { error: 'unclosed double quote', offset: i };
      push(s);
      i = j + 1;
      continue;
    }
    if (c === '\\') {
      push(text[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (/[|;&<>`]/.test(c)) {
      return { error: `"${c}" needs a shell: etcdctl steps run etcdctl directly; write the command as an sh: step`, offset: i };
    }
    if (c === '$' && text[i + 1] !== '{') return shellVar(text, i);
    if (c === '$') {
      const end = text.indexOf('}', i);
      if (end < 0) return { error: 'unclosed placeholder ${', offset: i };
      push(text.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    push(c);
    i++;
  }
  if (cur !== undefined) words.push(cur);
  return { words };
}

function shellVar(text: string, at: number): { error: string; offset: number } {
  const name = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(at))?.[1];
  if (text[at + 1] === '(') return { error: 'command substitution $(...) needs a shell; use an sh: step', offset: at };
  const hint = name === 'revision' ? ' use the placeholder ${revision}' : ' use a placeholder such as ${endpoints}, or an sh: step';
  return { error: `shell variable $${name ?? ''} is not expanded in etcdctl steps;${hint}`, offset: at };
}
