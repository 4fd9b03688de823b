import type { UserState } from "./user-state.js";
import type { HitResult, InsertResult, Page, Store, StoredRecord } from "./store.js";

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
    async list(collection, { owner, limit, cursor }): Promise<Page> {
      if (owner !== undefined) return (await subject(owner).list(collection, limit, cursor ?? null)) as Page;
      const listed = await kv().list({ prefix: `${collection}:`, limit, ...(cursor ? { cursor } : {}) });
      const records = await Promise.all(listed.keys.map(async ({ name }) => kv().get<StoredRecord>(name, "json")));
      return {
        records: records.filter((r): r is StoredRecord => r !== null),
        nextCursor: listed.list_complete ? null : listed.cursor,
      };
    },
  };
}
