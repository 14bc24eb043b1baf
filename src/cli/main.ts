import { Command } from 'commander';
import { FiredrillError } from '../run/errors.js';
import { doctorCommand } from './commands/doctor.js';
import { exploreCommand, replayCommandCli } from './commands/explore.js';
import { reapCommand } from './commands/reap.js';
import { reportCommand } from './commands/report.js';
import { listCommand, runCommand } from './commands/run.js';
import { upCommand } from './commands/up.js';
import { validateCommand } from './commands/validate.js';

// Members are addressed by IP, so the TLS clients pass an IP as the server name and Node warns
// (DEP0123) once per process; the certificates carry IP SANs, verification is unaffected. Only that
// warning is dropped; every other one still prints.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code = typeof rest[0] === 'object' ? (rest[0] as { code?: string })?.code : rest[1];
  if (code === 'DEP0123') return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const program = new Command('firedrill')
  .description('Rehearse etcd failure runbooks on real clusters in Docker')
  .showHelpAfterError('(add --help for usage)')
  .configureOutput({ outputError: (s, write) => write(`firedrill: ${s.replace(/^error: /, '')}`) });

program.addCommand(doctorCommand());
program.addCommand(upCommand());
program.addCommand(reapCommand());
program.addCommand(runCommand());
program.addCommand(listCommand());
program.addCommand(reportCommand());
program.addCommand(validateCommand());
program.addCommand(exploreCommand());
program.addCommand(replayCommandCli());

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
