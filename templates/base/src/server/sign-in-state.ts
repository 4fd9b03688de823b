import { SettingsError, type Env } from "./settings.js";

/** What a sign-in provider says about its settings (src/sign-in.ts). */
export interface ProviderSettings {
  /** Shown to people: "sign in with <name>". */
  name: string;
  /** The settings that choose this provider: while none is set, a local `npm run dev` uses the development sign-in. */
  settingNames: readonly string[];
  /** Every missing or invalid setting it needs, each with what to do; empty when it can sign people in. */
  settingProblems(env: Env): string[];
}

/**
 * How people sign in right now: through the provider; through the development sign-in (none of the provider's settings
 * set, on this machine only); or not at all, with what to fix. "none": this server has no sign-in (authless).
 */
export type SignInState = { kind: "none" } | { kind: "provider" } | { kind: "development" } | { kind: "unready"; problems: string[] };

export const PROVISION_COMMAND = "npx create-mcp-auth provision";

/** `local`: this is a development server answering a request from this machine (see Platform.localDevelopment). */
export function signInState(provider: ProviderSettings, env: Env, local: boolean): SignInState {
  const chosen = provider.settingNames.some((name) => env[name]?.trim());
  if (!chosen && local) return { kind: "development" };
  const problems = provider.settingProblems(env);
  return problems.length ? { kind: "unready", problems } : { kind: "provider" };
}

/** Runs each check and keeps the SettingsError messages (other errors are bugs and are thrown). */
export function settingProblems(...checks: (() => unknown)[]): string[] {
  const problems: string[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      problems.push(error.message);
    }
  }
  return problems;
}

/** What the server says about its sign-in, at start-up (Node) or at the first request (Workers). */
export function describeSignIn(state: SignInState, provider: ProviderSettings): string {
  if (state.kind === "provider" || state.kind === "none") return `Sign-in: ${provider.name}.`;
  const settings = provider.settingNames.join(", ");
  if (state.kind === "development") {
    return (
      `DEVELOPMENT SIGN-IN: ${provider.name} is not set up, so anyone on this machine can sign in as anyone (test people). ` +
      `It works only on localhost. To sign in with ${provider.name}, run \`${PROVISION_COMMAND}\` or set ${settings} (see README).`
    );
  }
  return [
    `Sign-in with ${provider.name} cannot work until these settings are fixed:`,
    ...state.problems.map((problem) => `  - ${problem}`),
    `\`${PROVISION_COMMAND}\` fills them in (see README).`,
  ].join("\n");
}

let lastReport = "";

/** Logs the sign-in state when it differs from the last one logged (so once per process, and again when it changes). */
export function reportSignIn(state: SignInState, provider: ProviderSettings): void {
  const report = describeSignIn(state, provider);
  if (report === lastReport) return;
  lastReport = report;
  (state.kind === "unready" || state.kind === "development" ? console.warn : console.log)(report);
}
