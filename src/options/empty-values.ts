import type { Catalog } from "../catalog/index.js";
import { UsageError } from "../errors.js";
import type { CreateFlags } from "./types.js";
import { PACKAGE_MANAGERS } from "./validate.js";

const isEmpty = (value: string | undefined) => value !== undefined && value.trim() === "";

/**
 * An empty value (`""`, as an unset shell variable gives) is a mistake, never a choice: it is refused before anything is
 * asked or resolved, even where a prompt could have taken its place.
 */
export function refuseEmptyValues(directory: string | undefined, flags: CreateFlags, catalog: Catalog): void {
  if (isEmpty(directory)) {
    throw new UsageError(
      "The project directory is empty (an empty string was given): give one, e.g. `create-mcp-auth my-mcp-server`, or leave it out to be asked for it (or, with -y, to take my-mcp-server).",
    );
  }
  const ids = (entries: readonly { id: string }[]) => entries.map((e) => e.id).join(", ");
  const flagValues: [string | undefined, string, string][] = [
    [flags.template, "--template", ids(catalog.templates)],
    [flags.target, "--target", ids(catalog.targets)],
    [flags.authMode, "--auth-mode", "direct, proxy"],
    [flags.tools, "--tools", 'comma-separated tool packs (see --list), or "none"'],
    [flags.packageManager, "--package-manager", PACKAGE_MANAGERS.join(", ")],
    [flags.accountId, "--account-id", "a Cloudflare account id"],
    [flags.workosClient, "--workos-client", "app, environment"],
  ];
  for (const [value, flag, valid] of flagValues) {
    if (isEmpty(value)) throw new UsageError(`${flag} is empty (an empty string was given): give it a value (${valid}), or leave it out.`);
  }
}
