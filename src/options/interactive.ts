import type { CreateFlags } from "./types.js";

export function isCI(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI;
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

/**
 * Prompts only when nobody said otherwise and a person can answer. Whether stdin is a terminal is asked last: reading
 * `process.stdin` makes Node build the stdin stream (and load its stream modules), which a CI run does without.
 */
export function isInteractive(flags: CreateFlags, env: NodeJS.ProcessEnv, stdinIsTTY: () => boolean): boolean {
  return flags.interactive !== false && !flags.json && !isCI(env) && stdinIsTTY();
}
