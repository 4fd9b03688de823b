/** A stored record (an order, an audit entry): who it belongs to, when, and its data. */
export interface StoredRecord {
  id: string;
  owner: string;
  /** ISO 8601 creation time. */
  at: string;
  data: Record<string, unknown>;
}

export type InsertResult =
  | { status: "inserted"; record: StoredRecord }
  /** The owner already made a record with this unique key: that one is returned. */
  | { status: "duplicate"; record: StoredRecord }
  /** The owner has `maxPerOwner` retained records; one expires in `retryAfterS`. */
  | { status: "limit"; retryAfterS: number };

/** One counter of a quota check: its name within the subject (e.g. "all", "agent:<client id>") and its limit per window. */
export interface Counter {
  name: string;
  limit: number;
}

/** Allowed (every counter counted the call), or refused by `counter`, the first one that was full (none counted it). */
export type HitResult = { allowed: true } | { allowed: false; retryAfterS: number; counter: string };

export interface Page {
  records: StoredRecord[];
  nextCursor: string | null;
}

/**
 * Where tools keep state. Each target implements it (Workers: a Durable Object per subject + KV; Node: SQLite or
 * Redis); every method is atomic, so limits hold under concurrent calls.
 */
export interface Store {
  /** Per-subject settings, such as the demo mode. */
  getState(subject: string, key: string): Promise<string | null>;
  setState(subject: string, key: string, value: string): Promise<void>;
  /**
   * Counts one call on each of the subject's `counters` in the current fixed window, all or none: a counter at its
   * limit refuses the call and no counter counts it (refused calls are not counted), so every limit holds exactly.
   */
  hit(subject: string, counters: readonly Counter[], windowS: number): Promise<HitResult>;
  /** Adds a record kept for `ttlS`; once per (owner, uniqueKey); refused when the owner has `maxPerOwner` retained records. */
  insert(collection: string, record: StoredRecord, options: { ttlS: number; uniqueKey?: string; maxPerOwner?: number }): Promise<InsertResult>;
  /**
   * Retained records, newest first: one owner's, or everyone's; with `where`, only those whose data holds each of those
   * values (e.g. `{ kind: "authorization" }`). A page is filtered before it is cut, so paging on with its cursor neither
   * skips nor repeats a match.
   */
  list(collection: string, options: ListOptions): Promise<Page>;
}

export interface ListOptions {
  owner?: string;
  limit: number;
  cursor?: string | null;
  where?: Where;
}

/** Data fields and the values a listed record must hold (names: letters, digits and `_`). */
export type Where = Record<string, string>;

/** Whether a record's data holds every value of `where`. */
export const matches = (record: StoredRecord, where: Where | null | undefined) =>
  !where || Object.entries(where).every(([field, value]) => record.data[field] === value);

/** The `where` fields, checked: a name that is not a plain identifier is refused rather than put into a query. */
export function whereFields(where: Where | null | undefined): [string, string][] {
  const fields = Object.entries(where ?? {});
  for (const [field] of fields) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new Error(`Not a data field name: ${field}`);
  return fields;
}

/** Fixed windows start at multiples of their length since the epoch, the same on every target. */
export function currentWindow(windowS: number, now = Date.now()): { index: number; retryAfterS: number } {
  const windowMs = windowS * 1000;
  const index = Math.floor(now / windowMs);
  return { index, retryAfterS: Math.max(1, Math.ceil(((index + 1) * windowMs - now) / 1000)) };
}

/** Cursor for newest-first paging: the last record's time and id. */
export const cursorOf = (record: StoredRecord) => `${Date.parse(record.at)}:${record.id}`;

export function parseCursor(cursor: string | null | undefined): { at: number; id: string } | null {
  if (!cursor) return null;
  const [at, ...id] = cursor.split(":");
  return Number.isFinite(Number(at)) ? { at: Number(at), id: id.join(":") } : null;
}
