import type * as ClackModule from "@clack/prompts";
import { CancelledError } from "../errors.js";

export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

/** The questions the CLI can ask, the one place it talks to @clack/prompts' questions; a cancelled prompt throws CancelledError. */
export interface Prompter {
  /** Without `defaultValue`, an empty answer is given to `validate` as "". */
  text(opts: { message: string; defaultValue?: string; validate: (value: string) => string | undefined }): Promise<string>;
  /** Masked; for credentials and secrets. */
  password(opts: { message: string; validate: (value: string) => string | undefined }): Promise<string>;
  select<T extends string>(opts: { message: string; options: Choice<T>[]; initialValue?: T }): Promise<T>;
  multiselect<T extends string>(opts: { message: string; options: Choice<T>[]; initialValues: T[] }): Promise<T[]>;
  confirm(opts: { message: string; initialValue: boolean }): Promise<boolean>;
  /** A boxed list shown before a question. */
  note(message: string, title: string): void;
  warn(message: string): void;
  /** The frame around an interactive run. */
  intro(title: string): void;
  outro(message: string): void;
}

type Clack = typeof ClackModule;
let loadedClack: Clack | undefined;

/**
 * Loads @clack/prompts (it pulls in readline and the terminal streams, which a run without prompts or a terminal
 * never needs). The questions load it themselves; an interactive run calls this before the first intro or note.
 */
export async function loadClack(): Promise<Clack> {
  loadedClack ??= await import("@clack/prompts");
  return loadedClack;
}

function clackLoaded(): Clack {
  if (!loadedClack) throw new Error("@clack/prompts is used before loadClack()");
  return loadedClack;
}

/** A prompt's answer, or CancelledError when the person pressed Ctrl-C / Escape. */
export function answered<T>(value: T | symbol): Exclude<T, symbol> {
  if (clackLoaded().isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}

export const clackPrompter: Prompter = {
  async text({ message, defaultValue, validate }) {
    const clack = await loadClack();
    const value = answered(
      await clack.text({ message, ...(defaultValue !== undefined ? { placeholder: defaultValue, defaultValue } : {}), validate: (v) => validate(v || defaultValue || "") }),
    );
    return value || defaultValue || "";
  },
  async password({ message, validate }) {
    const clack = await loadClack();
    return answered(await clack.password({ message, validate: (v) => validate(v ?? "") }));
  },
  async select<T extends string>({ message, options, initialValue }: { message: string; options: Choice<T>[]; initialValue?: T }) {
    const clack = await loadClack();
    return answered(await clack.select({ message, options: options as ClackModule.Option<T>[], initialValue }));
  },
  async multiselect<T extends string>({ message, options, initialValues }: { message: string; options: Choice<T>[]; initialValues: T[] }) {
    const clack = await loadClack();
    return answered(
      await clack.multiselect({ message, options: options as ClackModule.Option<T>[], initialValues, required: false }),
    );
  },
  async confirm({ message, initialValue }) {
    const clack = await loadClack();
    return answered(await clack.confirm({ message, initialValue }));
  },
  note(message, title) {
    clackLoaded().note(message, title);
  },
  warn(message) {
    clackLoaded().log.warn(message);
  },
  intro(title) {
    clackLoaded().intro(title);
  },
  outro(message) {
    clackLoaded().outro(message);
  },
};
