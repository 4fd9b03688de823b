import type { UserState } from "./user-state.js";
import { matches, whereFields, type HitResult, type InsertResult, type Page, type Store, type StoredRecord } from "./store.js";

export interface StoreBindings {
  USER_STATE: DurableObjectNamespace<UserState>;
  /** Only projects that keep records (the audit trail, the shop) bind it. */
  DATA_KV?: KVNamespace;
}

const MAX_TIME = 9_999_999_999_999;

/**
 * Workers: each subject's state, counters and records in its own Durable Object (exact and atomic), and every record
 * also in KV, expiring after the retention period, for listings across subjects (an admin's or auditor's view).
 */
export function createDurableStore(env: StoreBindings): Store {
  const subject = (name: string) => env.USER_STATE.get(env.USER_STATE.idFromName(name));
  const kvKey = (collection: string, record: StoredRecord) =>
    `${collection}:${String(MAX_TIME - Date.parse(record.at)).padStart(13, "0")}:${record.id}`; // newest sorts first
  const kv = () => {
    if (!env.DATA_KV) throw new Error("The DATA_KV binding is missing from wrangler.jsonc.");
    return env.DATA_KV;
  };

  return {
    getState: (name, key) => subject(name).getState(key),
    setState: (name, key, value) => subject(name).setState(key, value),
    hit: async (name, counters, windowS) => (await subject(name).hit([...counters], windowS)) as HitResult,
    async insert(collection, record, { ttlS, uniqueKey, maxPerOwner }) {
      // (Typed through the RPC stub's serialization types, which TypeScript cannot narrow.)
      const result = (await subject(record.owner).insert(collection, record, ttlS, uniqueKey ?? null, maxPerOwner ?? null)) as InsertResult;
      if (result.status === "inserted") {
        await kv().put(kvKey(collection, record), JSON.stringify(record), { expirationTtl: Math.max(60, ttlS) });
      }
      return result;
    },
    async list(collection, { owner, limit, cursor, where }): Promise<Page> {
      whereFields(where);
      if (owner !== undefined) return (await subject(owner).list(collection, limit, cursor ?? null, where ?? null)) as Page;
      if (!where) {
        const listed = await kv().list({ prefix: `${collection}:`, limit, ...(cursor ? { cursor } : {}) });
        const records = await Promise.all(listed.keys.map(async ({ name }) => kv().get<StoredRecord>(name, "json")));
        return {
          records: records.filter((r): r is StoredRecord => r !== null),
          nextCursor: listed.list_complete ? null : listed.cursor,
        };
      }
      // Filtered: KV pages are read on until the page and one more match are found. A page can end inside a KV page,
      // so the cursor names that KV page's cursor and the last key returned, and the next call skips up to that key.
      let { page: kvCursor, after } = cursor ? (JSON.parse(atob(cursor)) as { page?: string; after: string }) : { page: undefined, after: undefined };
      const found: { key: string; record: StoredRecord }[] = [];
      for (;;) {
        const listed = await kv().list({ prefix: `${collection}:`, limit: 100, ...(kvCursor ? { cursor: kvCursor } : {}) });
        const names = listed.keys.map((k) => k.name).filter((name) => after === undefined || name > after);
        const records = await Promise.all(names.map(async (name) => ({ key: name, record: await kv().get<StoredRecord>(name, "json") })));
        for (const { key, record } of records) if (record && matches(record, where)) found.push({ key, record });
        if (found.length > limit) {
          const page = found.slice(0, limit);
          return { records: page.map((f) => f.record), nextCursor: btoa(JSON.stringify({ page: kvCursor, after: page[page.length - 1]!.key })) };
        }
        if (listed.list_complete) return { records: found.map((f) => f.record), nextCursor: null };
        kvCursor = listed.cursor;
        after = undefined;
      }
    },
  };
}
