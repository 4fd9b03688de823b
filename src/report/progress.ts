
/** Long steps show a spinner on a terminal and plain lines elsewhere; with --json, everything goes to stderr. */
export interface Progress {
  start(message: string): void;
  done(message: string): void;
  fail(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** On a terminal (without --json) the spinner, which loads @clack/prompts; elsewhere plain lines. */
export async function createProgress({ json, tty }: { json: boolean; tty: boolean }): Promise<Progress> {
  if (tty && !json) return (await import("./progress-tty.js")).terminalProgress();
  const out = json ? process.stderr : process.stdout;
  const line = (text: string) => out.write(`${text}\n`);
  return {
    start: (message) => line(`… ${message}`),
    done: (message) => line(`✔ ${message}`),
    fail: (message) => process.stderr.write(`✖ ${message}\n`),
    info: (message) => line(message),
    warn: (message) => process.stderr.write(`! ${message}\n`),
  };
}
