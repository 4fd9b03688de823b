import { packs } from "../../tools/index.js";

/** A tool as the consent page lists it: the name agents call it by, and what it does in one line. */
export interface ToolLine {
  name: string;
  summary: string;
}

/** A description's first clause, as a sentence: "Lists your orders, newest first; with …" → "Lists your orders, newest first." */
export function summaryOf(description: string): string {
  const clause = description.split(/(?<!\be\.g|\bi\.e)[.:;](?:\s|$)/)[0]!.trim();
  return /[.!?]$/.test(clause) ? clause : `${clause}.`;
}

/** Every tool this server's packs serve (src/tools/index.ts). */
export const toolLines = (): ToolLine[] => packs.flatMap((pack) => pack.tools).map((tool) => ({ name: tool.name, summary: summaryOf(tool.description) }));
