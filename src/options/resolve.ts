import fs from "node:fs";
import path from "node:path";
import { AUTH_MODE_DESCRIPTIONS, type AuthMode, type Catalog } from "../catalog/index.js";
import { UsageError } from "../errors.js";
import { refuseEmptyValues } from "./empty-values.js";
import { packageNameFor } from "./package-name.js";
import type { Prompter } from "./prompter.js";
import type { CreateFlags, CreateOptions } from "./types.js";
import { detectPackageManager } from "./package-manager.js";
import {
  availablePacks,
  parseTools,
  validateAuthMode,
  validateDirectory,
  validatePackageManager,
  validateTarget,
  validateTemplate,
  validateTools,
  validateWorkosClient,
  type PackageManagerName,
} from "./validate.js";

export const DEFAULT_DIRECTORY = "my-mcp-server";

export interface Session {
  interactive: boolean;
  /** -y: take the defaults for everything not given. */
  yes: boolean;
  prompter: Prompter;
  catalog: Catalog;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

interface Question<T> {
  /** How the person passes it, for messages: "--template". */
  flag: string;
  given: string | undefined;
  validate: (value: string) => string | undefined;
  parse: (value: string) => T;
  /** What -y takes. */
  defaultValue: T;
  /** What a non-interactive run without -y takes; absent means the flag is required there. */
  nonInteractiveValue?: T;
  /** A list of valid values for the "missing flag" message. */
  validValues?: string;
  prompt: () => Promise<T>;
}

/** One path for every option: a valid flag wins; a bad flag is the same message as a bad answer. */
async function flagOrPrompt<T>(q: Question<T>, session: Session): Promise<T> {
  if (q.given !== undefined) {
    const problem = q.validate(q.given);
    if (!problem) return q.parse(q.given);
    if (!session.interactive) throw new UsageError(problem);
    session.prompter.warn(problem);
  } else if (session.yes) {
    return q.defaultValue;
  } else if (!session.interactive) {
    if (q.nonInteractiveValue !== undefined) return q.nonInteractiveValue;
    throw new UsageError(
      `Missing ${q.flag}: runs without a terminal (no TTY, CI set, --json or --no-interactive) must pass it, or -y to take the defaults.` +
        (q.validValues ? ` ${q.validValues}` : ""),
    );
  }
  return q.prompt();
}

export async function resolveCreateOptions(
  directoryArg: string | undefined,
  flags: CreateFlags,
  session: Session,
): Promise<CreateOptions> {
  const { catalog, prompter } = session;
  refuseEmptyValues(directoryArg, flags, catalog);

  // 1. Directory (and the package name derived from it). A person is asked again for a non-empty one.
  const force = flags.force ?? false;
  const validateProjectDirectory = (v: string) =>
    validateDirectory(path.resolve(session.cwd, v)) ?? (session.interactive ? nonEmptyProblem(v, session.cwd, force) : undefined);
  const directory = await flagOrPrompt(
    {
      flag: "the project directory (first argument, e.g. `create-mcp-auth my-mcp-server`)",
      given: directoryArg,
      validate: validateProjectDirectory,
      parse: (v) => v,
      defaultValue: DEFAULT_DIRECTORY,
      prompt: () => prompter.text({ message: "Where should the project go?", defaultValue: DEFAULT_DIRECTORY, validate: validateProjectDirectory }),
    },
    session,
  );
  const projectDir = path.resolve(session.cwd, directory);
  const unusable = validateDirectory(projectDir); // also the default -y takes unasked
  if (unusable) throw new UsageError(unusable);

  // 2. Template.
  const templateId = await flagOrPrompt(
    {
      flag: "--template",
      given: flags.template,
      validate: (v) => validateTemplate(v, catalog),
      parse: (v) => v,
      defaultValue: catalog.defaults.template,
      validValues: `Valid templates: ${catalog.templates.map((t) => t.id).join(", ")}.`,
      prompt: () =>
        prompter.select({
          message: "Which sign-in?",
          options: catalog.templates.map((t) => ({ value: t.id, label: t.name, hint: t.description })),
          initialValue: catalog.defaults.template,
        }),
    },
    session,
  );
  const template = catalog.templates.find((t) => t.id === templateId)!;

  // 3. Target.
  const targets = catalog.targets.filter((t) => template.targets.includes(t.id));
  const defaultTarget = template.targets.includes(catalog.defaults.target) ? catalog.defaults.target : template.targets[0]!;
  const targetId = await flagOrPrompt(
    {
      flag: "--target",
      given: flags.target,
      validate: (v) => validateTarget(v, template, catalog),
      parse: (v) => v,
      defaultValue: defaultTarget,
      validValues: `Valid targets: ${template.targets.join(", ")}.`,
      prompt: () =>
        prompter.select({
          message: "Where will it run?",
          options: targets.map((t) => ({ value: t.id, label: t.name, hint: template.targetsNote ?? t.description })),
          initialValue: defaultTarget,
        }),
    },
    session,
  );
  const target = catalog.targets.find((t) => t.id === targetId)!;

  // 4. Auth mode: only templates with sign-in have one.
  let authMode: AuthMode | null = null;
  if (template.authModes.length === 0) {
    if (flags.authMode !== undefined) throw new UsageError(validateAuthMode(flags.authMode, template, target)!);
  } else {
    const modes = template.authModes.filter((m) => target.authModes.includes(m));
    const defaultMode = modes.includes(target.defaultAuthMode) ? target.defaultAuthMode : modes[0]!;
    const onlyChoice = modes.length === 1 && flags.authMode === undefined;
    authMode = onlyChoice ? defaultMode : await flagOrPrompt<AuthMode>(
      {
        flag: "--auth-mode",
        given: flags.authMode,
        validate: (v) => validateAuthMode(v, template, target),
        parse: (v) => v as AuthMode,
        defaultValue: defaultMode,
        nonInteractiveValue: defaultMode,
        prompt: () =>
          prompter.select<AuthMode>({
            message: "Which auth mode?",
            options: modes.map((m) => ({ value: m, label: m, hint: AUTH_MODE_DESCRIPTIONS[m] })),
            initialValue: defaultMode,
          }),
      },
      session,
    );
  }

  // 5. Tool packs, in catalog order.
  const usable = availablePacks(catalog, authMode);
  const usableDefaults = (ids: readonly string[]) => ids.filter((id) => usable.some((p) => p.id === id));
  const inCatalogOrder = (ids: string[]) => catalog.tools.map((p) => p.id).filter((id) => ids.includes(id));
  const tools = inCatalogOrder(
    await flagOrPrompt(
      {
        flag: "--tools",
        given: flags.tools,
        validate: (v) => validateTools(v, catalog, authMode),
        parse: parseTools,
        defaultValue: usableDefaults(catalog.defaults.tools),
        nonInteractiveValue: usableDefaults(catalog.defaults.nonInteractiveTools),
        prompt: () =>
          prompter.multiselect({
            message: "Which tools? (space to toggle, enter to confirm)",
            options: usable.map((p) => ({ value: p.id, label: p.id, hint: p.name })),
            initialValues: usableDefaults(catalog.defaults.tools),
          }),
      },
      session,
    ),
  );

  // 6. Package manager: the flag, else whoever ran us.
  let packageManager: PackageManagerName = detectPackageManager(session.env.npm_config_user_agent);
  if (flags.packageManager !== undefined) {
    const problem = validatePackageManager(flags.packageManager);
    if (problem) throw new UsageError(problem);
    packageManager = flags.packageManager as PackageManagerName;
  }

  // 7. Proxy mode's WorkOS sign-in path: only by flag (the default, an own application, needs no question).
  if (flags.workosClient !== undefined) {
    const problem = validateWorkosClient(flags.workosClient, template, authMode);
    if (problem) throw new UsageError(problem);
  }

  const options: CreateOptions = {
    directory,
    projectDir,
    packageName: packageNameFor(projectDir),
    template: template.id,
    target: target.id,
    authMode,
    tools,
    install: flags.install ?? true,
    git: flags.git ?? true,
    packageManager,
    dryRun: flags.dryRun ?? false,
    json: flags.json ?? false,
    force,
    ...(flags.workosClient === "environment" ? { workosClient: "environment" as const } : {}),
  };
  // Runs without a person (and -y, which takes the default directory unasked) stop here instead.
  const problem = nonEmptyProblem(directory, session.cwd, force);
  if (problem) throw new UsageError(problem, "not_empty");
  return options;
}

function isNonEmptyDirectory(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/** A non-empty target needs --force. */
function nonEmptyProblem(directory: string, cwd: string, force: boolean): string | undefined {
  if (force || !isNonEmptyDirectory(path.resolve(cwd, directory))) return undefined;
  return `The directory "${directory}" is not empty: choose another directory, or pass --force to write into it (same-named files are overwritten; nothing else is touched).`;
}
