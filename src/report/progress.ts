import * as clack from "@clack/prompts";
import { onInterrupt } from "../interrupt.js";

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
    let forget: () => void = () => undefined;
    /** The running spinner, once: a later line is its own, not a stop of a spinner that has stopped. */
    const finish = () => {
      const running = spin;
      spin = undefined;
      forget();
      return running;
    };
    return {
      start: (message) => {
        finish()?.clear();
        spin = clack.spinner();
        const cancelled = spin;
        forget = onInterrupt(() => cancelled.cancel(`${message}: cancelled`));
        spin.start(message);
        // clack's spinner reads the terminal raw and answers Ctrl-C with exit 0; cooked, Ctrl-C is SIGINT again, which
        // onInterrupt turns into exit 130 with its cleanups (and which stops the step's child processes too).
        if (process.stdin.isTTY) process.stdin.setRawMode(false);
      },
      done: (message) => {
        const running = finish();
        if (running) running.stop(message);
        else clack.log.success(message);
      },
      fail: (message) => {
        const running = finish();
        if (running) running.error(message);
        else clack.log.error(message);
      },
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
