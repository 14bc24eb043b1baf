/**
 * Ends the process soon after a command has finished, even if a socket still holds the event loop.
 * Measured: a gRPC client to a member that was SIGKILLed can leave a TCP connect in flight that
 * `close()` does not abort (grpc-js), and the kernel retries its SYN for about two minutes, so
 * `firedrill run leader-kill` sat for 2 min after printing its summary. Everything the run owns
 * (reports, containers) is done by then; the timer is unref'd, so a process that would exit by
 * itself exits at once.
 */
export function exitWhenDone(graceMs = 1000): void {
  setTimeout(() => process.exit(), graceMs).unref();
}
