/**
 * Cleanups that must run if the person presses Ctrl-C (or the process is told to stop) mid-step, e.g. removing a
 * staging directory or a temporary file holding secrets. Prompts handle Ctrl-C themselves. The cleanups are
 * synchronous because the process exits right after.
 */
const cleanups = new Set<() => void>();
let installed = false;

/** Exit codes: 130 for Ctrl-C (cancelled), 143 for SIGTERM, as a shell reports a process those signals end. */
const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

export function onInterrupt(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    for (const [signal, code] of Object.entries(SIGNALS)) {
      process.on(signal, () => {
        for (const fn of cleanups) {
          try {
            fn();
          } catch {
            // the others still run
          }
        }
        process.stderr.write(signal === "SIGINT" ? "\nCancelled.\n" : "\nStopped.\n");
        process.exit(code);
      });
    }
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
