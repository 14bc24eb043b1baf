/**
 * Errors the harness raises on purpose. Each names the offending value and the fix, so the CLI can
 * print one line and exit non-zero without a stack trace. What etcd answers is never thrown: it is
 * recorded as data (see CommandResult).
 */
export class FiredrillError extends Error {
  constructor(
    message: string,
    /** What the user can do about it, printed after the message. */
    readonly fix: string,
    /** Exit code the CLI uses: 2 for bad input, 3 for an environment problem, 1 otherwise. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The one line the CLI prints. */
  toLine(): string {
    return `${this.message}; ${this.fix}`;
  }
}

/** The user asked for something impossible (members 0, version 3.9, a malformed scenario). */
export class InputError extends FiredrillError {
  constructor(message: string, fix: string) {
    super(message, fix, 2);
  }
}

/** The machine lacks something we need (Docker down, image missing and not buildable). */
export class EnvironmentError extends FiredrillError {
  constructor(message: string, fix: string) {
    super(message, fix, 3);
  }
}

/** A bounded wait ran out: `member "etcd-2" not healthy after 30000 ms`. */
export class TimeoutError extends FiredrillError {
  constructor(what: string, ms: number, fix = 'see the member logs in the report') {
    super(`${what} after ${ms} ms`, fix, 1);
  }
}
