/**
 * Cleanups that must run if the person presses Ctrl-C (or the process is told to stop) mid-step, e.g. removing a
 * staging directory or a temporary file holding secrets. Prompts handle Ctrl-C themselves. The cleanups are
 * synchronous because the process exits right after; one may return a note for the person (where things stand, what
 * to run next), printed after "Cancelled.".
 */
type Cleanup = () => string | void;
const cleanups = new Set<Cleanup>();
let installed = false;

/** Exit codes: 130 for Ctrl-C (cancelled), 143 for SIGTERM, as a shell reports a process those signals end. */
const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

type Signal = keyof typeof SIGNALS;

function stop(signal: Signal): never {
  const notes: string[] = [];
  for (const fn of cleanups) {
    try {
      const note = fn();
      if (note) notes.push(note);
    } catch {
      // the others still run
    }
  }
  process.stderr.write(`\n${[signal === "SIGINT" ? "Cancelled." : "Stopped.", ...notes].join("\n")}\n`);
  process.exit(SIGNALS[signal]);
}

export function onInterrupt(cleanup: Cleanup): () => void {
  if (!installed) {
    installed = true;
    for (const signal of Object.keys(SIGNALS) as Signal[]) process.on(signal, () => stop(signal));
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * A child that Ctrl-C ended: the terminal sent SIGINT to us too, but the child's exit may be seen first. Stop now,
 * as that SIGINT will, rather than report the child's failure.
 */
export function stopIfChildInterrupted(child: { signal?: string | undefined; exitCode?: number | undefined }): void {
  // 130: what a child that handles SIGINT itself (npm, pnpm) exits with.
  if (child.signal === "SIGINT" || child.exitCode === SIGNALS.SIGINT) stop("SIGINT");
}
