import { Command } from 'commander';
import { FiredrillError } from '../../run/errors.js';
import { loadRunbookFile } from '../../runbook-file/load.js';

/** `firedrill validate <file...>`: schema, targets, placeholders and checks, without starting anything. */
export function validateCommand(): Command {
  return new Command('validate')
    .description('check runbook files (.yaml, .yml, .ts) without running them; one line per problem, with line and column')
    .argument('<file...>', 'runbook files')
    .action(async (files: string[]) => {
      for (const file of files) {
        try {
          const { scenario: s } = await loadRunbookFile(file);
          console.log(
            `ok ${file}: ${s.id}: ${s.prepare.length} prepare, ${s.fault.length} fault, ${s.runbook.length} runbook steps, ${s.checks.length} checks; ${s.sizes.join(',')} members, etcd ${s.versions.join(',')}${s.pitfall.runbook.length ? `; pitfall: ${s.pitfall.title}` : ''}`,
          );
        } catch (e) {
          if (!(e instanceof FiredrillError)) throw e;
          process.stderr.write(`firedrill: ${e.toLine()}\n`);
          process.exitCode = e.exitCode;
        }
      }
    });
}
