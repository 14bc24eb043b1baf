import { Command } from 'commander';
import { FiredrillError } from '../run/errors.js';
import { doctorCommand } from './commands/doctor.js';
import { reapCommand } from './commands/reap.js';
import { listCommand, runCommand } from './commands/run.js';
import { upCommand } from './commands/up.js';

const program = new Command('firedrill')
  .description('Rehearse etcd failure runbooks on real clusters in Docker')
  .showHelpAfterError('(add --help for usage)')
  .configureOutput({ outputError: (s, write) => write(`firedrill: ${s.replace(/^error: /, '')}`) });

program.addCommand(doctorCommand());
program.addCommand(upCommand());
program.addCommand(reapCommand());
program.addCommand(runCommand());
program.addCommand(listCommand());

try {
  await program.parseAsync();
} catch (e) {
  // Our own errors are one line naming the value and the fix; anything else is a bug: show it all.
  if (e instanceof FiredrillError) {
    process.stderr.write(`firedrill: ${e.toLine()}\n`);
    process.exit(e.exitCode);
  }
  throw e;
}
