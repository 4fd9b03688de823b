import fs from "node:fs";
import path from "node:path";
import { applyEdits, findNodeAtLocation, modify, parse, parseTree, type Edit, type ParseError } from "jsonc-parser";

/**
 * Edits of the files a generated project keeps its settings in: `wrangler.jsonc` through a JSONC parser (comments, order and
 * layout preserved), and the git-ignored dotenv files (`.dev.vars`, `.env`) line by line.
 */

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: "\n" } };

export function parseJsonc<T = Record<string, unknown>>(text: string, file = "wrangler.jsonc"): T {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) throw new Error(`${file} is not valid JSONC (error at offset ${errors[0]!.offset}); fix it and rerun.`);
  return value as T;
}

/** Sets `"id"` on the kv_namespaces entry of `binding` (adding the entry if missing); a one-line entry stays on one line. */
export function setKvNamespaceId(text: string, binding: string, id: string): string {
  const config = parseJsonc<{ kv_namespaces?: { binding?: string; id?: string }[] }>(text);
  const entries = config.kv_namespaces ?? [];
  const index = entries.findIndex((e) => e.binding === binding);
  if (index === -1) {
    return applyEdits(text, modify(text, ["kv_namespaces", entries.length], { binding, id }, { ...FORMAT, isArrayInsertion: true }));
  }
  if (entries[index]!.id !== undefined) return applyEdits(text, modify(text, ["kv_namespaces", index, "id"], id, FORMAT));
  const tree = parseTree(text, [], { allowTrailingComma: true })!;
  const entry = findNodeAtLocation(tree, ["kv_namespaces", index])!;
  const last = entry.children?.at(-1);
  const oneLine = !text.slice(entry.offset, entry.offset + entry.length).includes("\n");
  if (oneLine && last) {
    const edit: Edit = { offset: last.offset + last.length, length: 0, content: `, "id": ${JSON.stringify(id)}` };
    return applyEdits(text, [edit]);
  }
  return applyEdits(text, modify(text, ["kv_namespaces", index, "id"], id, FORMAT));
}

/** Removes the `"id"` of the kv_namespaces entry of `binding` (after destroy); the entry itself stays. */
export function removeKvNamespaceId(text: string, binding: string): string {
  const config = parseJsonc<{ kv_namespaces?: { binding?: string; id?: string }[] }>(text);
  const index = (config.kv_namespaces ?? []).findIndex((e) => e.binding === binding);
  if (index === -1 || config.kv_namespaces![index]!.id === undefined) return text;
  const tree = parseTree(text, [], { allowTrailingComma: true })!;
  const entry = findNodeAtLocation(tree, ["kv_namespaces", index])!;
  const props = entry.children ?? [];
  const position = props.findIndex((p) => p.children?.[0]?.value === "id");
  const oneLine = !text.slice(entry.offset, entry.offset + entry.length).includes("\n");
  if (oneLine && position > 0) {
    const previous = props[position - 1]!;
    const prop = props[position]!;
    return applyEdits(text, [{ offset: previous.offset + previous.length, length: prop.offset + prop.length - (previous.offset + previous.length), content: "" }]);
  }
  return applyEdits(text, modify(text, ["kv_namespaces", index, "id"], undefined, FORMAT));
}

/** Sets `"vars"[name]` (a plain, non-secret setting that `wrangler deploy` sends). */
export function setVar(text: string, name: string, value: string): string {
  return applyEdits(text, modify(text, ["vars", name], value, FORMAT));
}

/** Sets wrangler.jsonc `secrets.required` (the secrets `wrangler deploy` insists on and `wrangler dev` reads). */
export function setRequiredSecrets(text: string, names: string[]): string {
  const current = parseJsonc<{ secrets?: { required?: unknown } }>(text).secrets?.required;
  if (JSON.stringify(current) === JSON.stringify(names)) return text;
  return applyEdits(text, modify(text, ["secrets", "required"], names, FORMAT));
}

/** Sets (or, with undefined, removes) one key of package.json's "create-mcp-auth" stamp. */
export function setStampKey(text: string, key: string, value: string | undefined): string {
  return applyEdits(text, modify(text, ["create-mcp-auth", key], value, FORMAT));
}

export function kvNamespaceIds(text: string): Record<string, string | undefined> {
  const config = parseJsonc<{ kv_namespaces?: { binding?: string; id?: string }[] }>(text);
  return Object.fromEntries((config.kv_namespaces ?? []).filter((e) => e.binding).map((e) => [e.binding!, e.id]));
}

// dotenv (.dev.vars / .env): KEY=value lines; comments and other lines are kept as they are.

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) return value.slice(1, -1);
  return value;
}

export function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = LINE.exec(line);
    if (match) values.set(match[1]!, unquote(match[2]!));
  }
  return values;
}

function formatValue(value: string): string {
  return /^[\w@%+=:,./~-]*$/.test(value) ? value : JSON.stringify(value);
}

/** Replaces the first `name=` line, or appends one. */
export function setDotenv(text: string, name: string, value: string): string {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const index = lines.findIndex((line) => LINE.exec(line)?.[1] === name);
  const line = `${name}=${formatValue(value)}`;
  if (index === -1) lines.push(line);
  else lines[index] = line;
  return `${lines.join("\n")}\n`;
}

export function removeDotenv(text: string, name: string): string {
  const lines = text.replace(/\n$/, "").split("\n").filter((line) => LINE.exec(line)?.[1] !== name);
  return lines.length === 0 || (lines.length === 1 && lines[0] === "") ? "" : `${lines.join("\n")}\n`;
}

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Writes a file only when its content changes; dotenv files holding secrets are readable by their owner only. */
export function writeText(file: string, content: string, secret = false): void {
  if (readText(file) === content && fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, secret ? { mode: 0o600 } : {});
  if (secret) fs.chmodSync(file, 0o600);
}
