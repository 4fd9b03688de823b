import { createClient } from "redis";
import { currentWindow, cursorOf, matches, parseCursor, whereFields, type InsertResult, type Store, type StoredRecord } from "./store.js";

// KEYS: one window counter per limit. ARGV: the window's length in ms, then each counter's limit.
// Returns 0 when every counter counted the call, else the (1-based) index of the first full one, none counted.
const HIT = `
for i, k in ipairs(KEYS) do
  if tonumber(redis.call('GET', k) or '0') >= tonumber(ARGV[i + 1]) then return i end
end
for _, k in ipairs(KEYS) do
  redis.call('INCR', k)
  redis.call('PEXPIRE', k, ARGV[1])
end
return 0`;

// KEYS: all records, the owner's records, record documents, the owner's unique keys.
// ARGV: now, ttl ms, id, at, document, unique key ('' for none), max per owner (0 for none).
const INSERT = `
local all, owned, docs, uniq = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, ttl, id, at, doc, ukey, max = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6], tonumber(ARGV[7])
for _, old in ipairs(redis.call('ZRANGEBYSCORE', owned, '-inf', now - ttl)) do
  local stored = redis.call('HGET', docs, old)
  if stored then
    local key = cjson.decode(stored).uniqueKey
    if type(key) == 'string' then redis.call('HDEL', uniq, key) end
  end
  redis.call('HDEL', docs, old)
  redis.call('ZREM', all, old)
  redis.call('ZREM', owned, old)
end
if ukey ~= '' then
  local existing = redis.call('HGET', uniq, ukey)
  if existing then return {'duplicate', redis.call('HGET', docs, existing)} end
end
if max > 0 and redis.call('ZCARD', owned) >= max then
  local first = redis.call('ZRANGE', owned, 0, 0, 'WITHSCORES')
  return {'limit', tostring(tonumber(first[2]) + ttl - now)}
end
redis.call('HSET', docs, id, doc)
redis.call('ZADD', all, at, id)
redis.call('ZADD', owned, at, id)
if ukey ~= '' then redis.call('HSET', uniq, ukey, id) end
return {'inserted', doc}`;

interface Document {
  record: StoredRecord;
  expires: number;
  uniqueKey: string | null;
}

/** The shared store: several server processes (or machines) on one Redis see the same state; scripts keep it atomic. */
export async function createRedisStore(url: string, prefix = "mcp"): Promise<Store & { close(): Promise<void> }> {
  const client = createClient({ url });
  client.on("error", (error) => console.error(`Redis: ${error.message}`));
  await client.connect();
  const key = (...parts: string[]) => [prefix, ...parts].join(":");

  return {
    async getState(subject, name) {
      return (await client.hGet(key("state", subject), name)) ?? null;
    },
    async setState(subject, name, value) {
      await client.hSet(key("state", subject), name, value);
    },
    async hit(subject, counters, windowS) {
      const { index, retryAfterS } = currentWindow(windowS);
      const full = Number(
        await client.eval(HIT, {
          keys: counters.map((counter) => key("hits", subject, counter.name, String(index))),
          arguments: [String(windowS * 1000), ...counters.map((counter) => String(counter.limit))],
        }),
      );
      return full === 0 ? { allowed: true } : { allowed: false, retryAfterS, counter: counters[full - 1]!.name };
    },
    async insert(collection, record, { ttlS, uniqueKey, maxPerOwner }): Promise<InsertResult> {
      const now = Date.now();
      const doc: Document = { record, expires: now + ttlS * 1000, uniqueKey: uniqueKey ?? null };
      const [status, value] = (await client.eval(INSERT, {
        keys: [key("rec", collection), key("rec", collection, "owner", record.owner), key("rec", collection, "docs"), key("rec", collection, "uniq", record.owner)],
        arguments: [String(now), String(ttlS * 1000), record.id, String(Date.parse(record.at)), JSON.stringify(doc), uniqueKey ?? "", String(maxPerOwner ?? 0)],
      })) as [string, string];
      if (status === "limit") return { status: "limit", retryAfterS: Math.max(1, Math.ceil(Number(value) / 1000)) };
      return { status: status as "inserted" | "duplicate", record: (JSON.parse(value) as Document).record };
    },
    async list(collection, { owner, limit, cursor, where }) {
      const after = parseCursor(cursor);
      whereFields(where);
      const index = owner !== undefined ? key("rec", collection, "owner", owner) : key("rec", collection);
      const now = Date.now();
      // The index gives newest first, ties by id descending (members in reverse order), the page's own order; read on in
      // batches until the page and one more match are found (with `where`, many may be skipped) or the index ends.
      const batch = limit + 100;
      const found: StoredRecord[] = [];
      for (let offset = 0; ; offset += batch) {
        const ids = await client.zRange(index, after ? after.at : "+inf", "-inf", { BY: "SCORE", REV: true, LIMIT: { offset, count: batch } });
        const docs = ids.length ? await client.hmGet(key("rec", collection, "docs"), ids) : [];
        for (const doc of docs) {
          const { record, expires } = doc ? (JSON.parse(doc) as Document) : { record: null, expires: 0 };
          if (!record || expires <= now || !matches(record, where)) continue;
          if (!after || Date.parse(record.at) < after.at || (Date.parse(record.at) === after.at && record.id < after.id)) found.push(record);
        }
        if (ids.length < batch || found.length > limit) break;
      }
      const records = found.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : -1));
      const page = records.slice(0, limit);
      return { records: page, nextCursor: records.length > limit ? cursorOf(page[page.length - 1]!) : null };
    },
    async close() {
      await client.quit();
    },
  };
}
