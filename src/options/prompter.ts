import * as clack from "@clack/prompts";
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

/** A prompt's answer, or CancelledError when the person pressed Ctrl-C / Escape. */
export function answered<T>(value: T | symbol): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}

export const clackPrompter: Prompter = {
  async text({ message, defaultValue, validate }) {
    const value = answered(
      await clack.text({ message, ...(defaultValue !== undefined ? { placeholder: defaultValue, defaultValue } : {}), validate: (v) => validate(v || defaultValue || "") }),
    );
    return value || defaultValue || "";
  },
  async password({ message, validate }) {
    return answered(await clack.password({ message, validate: (v) => validate(v ?? "") }));
  },
  async select<T extends string>({ message, options, initialValue }: { message: string; options: Choice<T>[]; initialValue?: T }) {
    return answered(await clack.select({ message, options: options as clack.Option<T>[], initialValue }));
  },
  async multiselect<T extends string>({ message, options, initialValues }: { message: string; options: Choice<T>[]; initialValues: T[] }) {
    return answered(
      await clack.multiselect({ message, options: options as clack.Option<T>[], initialValues, required: false }),
    );
  },
  async confirm({ message, initialValue }) {
    return answered(await clack.confirm({ message, initialValue }));
  },
  note(message, title) {
    clack.note(message, title);
  },
  warn(message) {
    clack.log.warn(message);
  },
  intro(title) {
    clack.intro(title);
  },
  outro(message) {
    clack.outro(message);
  },
};
