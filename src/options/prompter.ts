import * as clack from "@clack/prompts";
import { CancelledError } from "../errors.js";

export interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

/** The questions the CLI can ask; a cancelled prompt throws CancelledError. */
export interface Prompter {
  text(opts: { message: string; defaultValue: string; validate: (value: string) => string | undefined }): Promise<string>;
  select<T extends string>(opts: { message: string; options: Choice<T>[]; initialValue?: T }): Promise<T>;
  multiselect<T extends string>(opts: { message: string; options: Choice<T>[]; initialValues: T[] }): Promise<T[]>;
  confirm(opts: { message: string; initialValue: boolean }): Promise<boolean>;
  warn(message: string): void;
}

function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}

export const clackPrompter: Prompter = {
  async text({ message, defaultValue, validate }) {
    const value = answered(
      await clack.text({ message, placeholder: defaultValue, defaultValue, validate: (v) => validate(v || defaultValue) }),
    );
    return value || defaultValue;
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
  warn(message) {
    clack.log.warn(message);
  },
};
