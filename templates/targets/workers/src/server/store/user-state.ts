import { DurableObject } from "cloudflare:workers";
import { currentWindow, cursorOf, matches, parseCursor, type Counter, type HitResult, type InsertResult, type Page, type StoredRecord, type Where } from "./store.js";

interface Document {
  record: StoredRecord;
  expires: number;
  uniqueKey: string | null;
}

const recordPrefix = (collection: string) => `rec:${collection}:`;
const recordKey = (collection: string, at: number, id: string) => `${recordPrefix(collection)}${String(at).padStart(15, "0")}:${id}`;

/**
 * One Durable Object per subject (a person, an agent, or "anonymous"): its state, counters and records. A Durable
 * Object handles one event at a time while it awaits its own storage, so every method here is atomic.
 */
export class UserState extends DurableObject {
  async getState(key: string): Promise<string | null> {
    return (await this.ctx.storage.get<string>(`state:${key}`)) ?? null;
  }

  async setState(key: string, value: string): Promise<void> {
    await this.ctx.storage.put(`state:${key}`, value);
  }

  async hit(counters: Counter[], windowS: number): Promise<HitResult> {
    const { index, retryAfterS } = currentWindow(windowS);
    const keys = counters.map((counter) => `window:${counter.name}`);
    const stored = await this.ctx.storage.get<{ index: number; count: number }>(keys);
    const counts = keys.map((key) => {
      const window = stored.get(key);
      return window?.index === index ? window.count : 0;
    });
    const full = counters.findIndex((counter, i) => counts[i]! >= counter.limit);
    if (full !== -1) return { allowed: false, retryAfterS, counter: counters[full]!.name };
    await this.ctx.storage.put(Object.fromEntries(keys.map((key, i) => [key, { index, count: counts[i]! + 1 }])));
    return { allowed: true };
  }

  async insert(collection: string, record: StoredRecord, ttlS: number, uniqueKey: string | null, maxPerOwner: number | null): Promise<InsertResult> {
    const now = Date.now();
    if (uniqueKey === null && maxPerOwner === null) {
      // A plain append (an audit record): no need to read them all; clear a few expired ones on the way.
      await this.pruneOldest(collection, now);
      await this.ctx.storage.put(recordKey(collection, Date.parse(record.at), record.id), { record, expires: now + ttlS * 1000, uniqueKey });
      return { status: "inserted", record };
    }
    const held = await this.retained(collection, now);
    if (uniqueKey !== null) {
      const existing = held.find((doc) => doc.uniqueKey === uniqueKey);
      if (existing) return { status: "duplicate", record: existing.record };
    }
    if (maxPerOwner !== null && held.length >= maxPerOwner) {
      const first = Math.min(...held.map((doc) => doc.expires));
      return { status: "limit", retryAfterS: Math.max(1, Math.ceil((first - now) / 1000)) };
    }
    const doc: Document = { record, expires: now + ttlS * 1000, uniqueKey };
    await this.ctx.storage.put(recordKey(collection, Date.parse(record.at), record.id), doc);
    return { status: "inserted", record };
  }

  /** Newest first from `cursor`; with `where`, read on in batches until the page and one more match are found. */
  async list(collection: string, limit: number, cursor: string | null, where: Where | null = null): Promise<Page> {
    const after = parseCursor(cursor);
    let end = after ? recordKey(collection, after.at, after.id) : undefined;
    const batch = where ? Math.max(limit + 1, 100) : limit + 1;
    const now = Date.now();
    const found: StoredRecord[] = [];
    for (;;) {
      const entries = await this.ctx.storage.list<Document>({ prefix: recordPrefix(collection), reverse: true, limit: batch, ...(end ? { end } : {}) });
      for (const [key, doc] of entries) {
        end = key;
        if (doc.expires > now && matches(doc.record, where)) found.push(doc.record);
      }
      if (entries.size < batch || found.length > limit) break;
    }
    const page = found.slice(0, limit);
    return { records: page, nextCursor: found.length > limit ? cursorOf(page[page.length - 1]!) : null };
  }

  /** Deletes expired records among the oldest few, so storage stays bounded without reading everything. */
  private async pruneOldest(collection: string, now: number): Promise<void> {
    const oldest = await this.ctx.storage.list<Document>({ prefix: recordPrefix(collection), limit: 20 });
    const expired = [...oldest].filter(([, doc]) => doc.expires <= now).map(([key]) => key);
    if (expired.length) await this.ctx.storage.delete(expired);
  }

  /** The subject's unexpired records of a collection; expired ones are deleted on the way. */
  private async retained(collection: string, now: number): Promise<Document[]> {
    const entries = await this.ctx.storage.list<Document>({ prefix: recordPrefix(collection) });
    const expired = [...entries].filter(([, doc]) => doc.expires <= now).map(([key]) => key);
    if (expired.length) await this.ctx.storage.delete(expired);
    return [...entries.values()].filter((doc) => doc.expires > now);
  }
}
