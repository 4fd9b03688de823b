import { findResource, isPending, markPending, recordResource, type ProvisionState, type StateResource } from "./state.js";

export type ResourceAction = "created" | "reused" | "skipped" | "deleted";

/** Where find-or-create keeps what it learns: the state (saved after every change) and the run's report. */
export interface Ledger {
  state: ProvisionState;
  /** Persists the state file. */
  save(): void;
  /** Reports a resource in the run's result (`--json` resources). */
  report(kind: string, name: string, id: string | null, action: ResourceAction): void;
}

export interface FindOrCreateSpec<T> {
  kind: string;
  /** The stable name the resource is found by. */
  name: string;
  find: () => Promise<T | undefined>;
  create: () => Promise<T>;
  idOf: (value: T) => string | null;
  details?: (value: T) => Record<string, string>;
  /** The create call said "already exists" (a race, or a create whose answer was lost): look again instead of failing. */
  isAlreadyExists?: (error: unknown) => boolean;
}

/**
 * Finds a resource by its stable name and reuses it, or creates it. Before creating, the name is marked pending in the state
 * file, so a run that dies between the vendor's answer and our write still knows, on the next run, that it made what it finds.
 */
export async function findOrCreate<T>(ledger: Ledger, spec: FindOrCreateSpec<T>): Promise<{ value: T; action: "created" | "reused" }> {
  const known = findResource(ledger.state, spec.kind, spec.name);
  const found = await spec.find();
  if (found !== undefined) {
    const created = known?.created ?? isPending(ledger.state, spec.kind, spec.name);
    record(ledger, spec, found, created);
    ledger.report(spec.kind, spec.name, spec.idOf(found), "reused");
    return { value: found, action: "reused" };
  }
  markPending(ledger.state, spec.kind, spec.name);
  ledger.save();
  let value: T;
  try {
    value = await spec.create();
  } catch (error) {
    if (!spec.isAlreadyExists?.(error)) throw error;
    const again = await spec.find();
    if (again === undefined) throw error;
    value = again;
  }
  record(ledger, spec, value, true);
  ledger.report(spec.kind, spec.name, spec.idOf(value), "created");
  return { value, action: "created" };
}

function record<T>(ledger: Ledger, spec: FindOrCreateSpec<T>, value: T, created: boolean): void {
  const entry: StateResource = { kind: spec.kind, name: spec.name, id: spec.idOf(value), created };
  const details = spec.details?.(value);
  if (details && Object.keys(details).length > 0) entry.details = details;
  recordResource(ledger.state, entry);
  ledger.save();
}
