import * as clack from "@clack/prompts";

/** Long steps show a spinner on a terminal and plain lines elsewhere; with --json, everything goes to stderr. */
export interface Progress {
  start(message: string): void;
  done(message: string): void;
  fail(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export function createProgress({ json, tty }: { json: boolean; tty: boolean }): Progress {
  if (tty && !json) {
    let spin: ReturnType<typeof clack.spinner> | undefined;
    return {
      start: (message) => {
        spin = clack.spinner();
        spin.start(message);
      },
      done: (message) => (spin ? spin.stop(message) : clack.log.success(message)),
      fail: (message) => (spin ? spin.error(message) : clack.log.error(message)),
      info: (message) => clack.log.info(message),
      warn: (message) => clack.log.warn(message),
    };
  }
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
