/**
 * Cleanups that must run if the person presses Ctrl-C mid-step (prompts handle Ctrl-C themselves).
 * They are synchronous because the process exits right after.
 */
const cleanups = new Set<() => void>();
let installed = false;

export function onInterrupt(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("SIGINT", () => {
      for (const fn of cleanups) fn();
      process.stderr.write("\nCancelled.\n");
      process.exit(130);
    });
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
