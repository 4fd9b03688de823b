import { onInterrupt } from "../interrupt.js";
import { loadClack } from "../options/prompter.js";
import type { Progress } from "./progress.js";

/** Long steps as a clack spinner on a terminal (loaded only when stdout is one). */
export async function terminalProgress(): Promise<Progress> {
  const clack = await loadClack();
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
