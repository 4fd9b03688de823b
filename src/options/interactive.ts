import type { CreateFlags } from "./types.js";

export function isCI(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI;
  return value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";
}

/** Prompts only when nobody said otherwise and a person can answer. */
export function isInteractive(flags: CreateFlags, env: NodeJS.ProcessEnv, stdinIsTTY: boolean): boolean {
  return flags.interactive !== false && !flags.json && stdinIsTTY && !isCI(env);
}
