import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteStore } from "../src/server/store/sqlite-store.js";
import type { StoredRecord } from "../src/server/store/store.js";

// The embedded store on its own: expiry after the retention period, and the limits it enforces.
const stores: { close(): void }[] = [];
const open = (dir = mkdtempSync(path.join(tmpdir(), "store-test-"))) => {
  const store = createSqliteStore(dir);
  stores.push(store);
  return store;
};
afterEach(() => stores.splice(0).forEach((s) => s.close()));

const record = (owner: string, id: string = crypto.randomUUID()): StoredRecord => ({ id, owner, at: new Date().toISOString(), data: { n: 1 } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("embedded store (SQLite)", () => {
  it("forgets records after their retention period, which frees the per-owner limit", async () => {
    const store = open();
    expect((await store.insert("orders", record("ada"), { ttlS: 1, maxPerOwner: 1 })).status).toBe("inserted");
    const full = await store.insert("orders", record("ada"), { ttlS: 1, maxPerOwner: 1 });
    expect(full).toMatchObject({ status: "limit", retryAfterS: 1 });
    await sleep(1_100);
    expect((await store.list("orders", { owner: "ada", limit: 10 })).records).toEqual([]);
    expect((await store.insert("orders", record("ada"), { ttlS: 1, maxPerOwner: 1 })).status).toBe("inserted");
  });

  it("keeps every one of many appends made at once, each listed once its insert resolved", async () => {
    const store = open();
    const inserted = await Promise.all(Array.from({ length: 200 }, (_, i) => store.insert("audit", record(`p${i % 3}`), { ttlS: 60 })));
    expect(inserted.every((r) => r.status === "inserted")).toBe(true);
    const listed = (await store.list("audit", { limit: 500 })).records.map((r) => r.id).sort();
    expect(listed).toEqual(inserted.map((r) => (r.status === "inserted" ? r.record.id : "")).sort());
  });

  it("copies the WAL into the database file in the background, without waiting for SQLite's own checkpoint", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "store-test-"));
    const store = open(dir);
    const file = path.join(dir, "store.sqlite");
    const before = statSync(file).size;
    // 100 commits, one at a time: ~700 WAL pages, fewer than SQLite's own checkpoint (1,000 by default) waits for.
    for (let i = 0; i < 100; i++) await store.insert("audit", record("ada"), { ttlS: 60 });
    const deadline = Date.now() + 5_000;
    while (statSync(file).size <= before + 8_192 && Date.now() < deadline) await sleep(25);
    expect(statSync(file).size).toBeGreaterThan(before + 8_192);
    expect((await store.list("audit", { limit: 200 })).records).toHaveLength(100);
  });

  it("fails only the append that cannot be written, not the others made at the same time", async () => {
    const store = open();
    const taken = record("ada");
    await store.insert("audit", taken, { ttlS: 60 });
    const results = await Promise.allSettled([store.insert("audit", record("ada"), { ttlS: 60 }), store.insert("audit", { ...taken }, { ttlS: 60 }), store.insert("audit", record("bob"), { ttlS: 60 })]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await store.list("audit", { limit: 10 })).records).toHaveLength(3);
  });

  it("returns the first record for a repeated unique key, per owner", async () => {
    const store = open();
    const original = record("ada");
    expect((await store.insert("orders", original, { ttlS: 60, uniqueKey: "k" })).status).toBe("inserted");
    expect(await store.insert("orders", record("ada"), { ttlS: 60, uniqueKey: "k" })).toEqual({ status: "duplicate", record: original });
    expect((await store.insert("orders", record("bob"), { ttlS: 60, uniqueKey: "k" })).status).toBe("inserted");
  });

  it("counts calls in a fixed window and refuses past the limit without counting the refusal", async () => {
    const store = open();
    const two = [{ name: "all", limit: 2 }];
    expect(await store.hit("q", two, 60)).toEqual({ allowed: true });
    expect(await store.hit("q", two, 60)).toEqual({ allowed: true });
    const refused = await store.hit("q", two, 60);
    expect(refused).toMatchObject({ allowed: false, counter: "all" });
    expect(await store.hit("other", two, 60)).toEqual({ allowed: true });
  });

  it("lets exactly the limit's worth through when many calls are counted at once", async () => {
    const store = open();
    const results = await Promise.all(Array.from({ length: 10 }, () => store.hit("q", [{ name: "all", limit: 3 }], 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
    expect(await store.hit("q", [{ name: "all", limit: 3 }], 60)).toMatchObject({ allowed: false });
  });

  it("keeps one order per unique key and the per-owner limit when they are placed at once", async () => {
    const store = open();
    const same = await Promise.all(Array.from({ length: 5 }, () => store.insert("orders", record("ada"), { ttlS: 60, uniqueKey: "k" })));
    expect(same.filter((r) => r.status === "inserted")).toHaveLength(1);
    expect(new Set(same.map((r) => (r.status === "limit" ? "" : r.record.id))).size).toBe(1);
    const many = await Promise.all(Array.from({ length: 5 }, () => store.insert("orders", record("bob"), { ttlS: 60, maxPerOwner: 2 })));
    expect(many.map((r) => r.status).sort()).toEqual(["inserted", "inserted", "limit", "limit", "limit"]);
  });

  it("counts a call on every counter or none: a per-agent limit and a per-person one hold together", async () => {
    const store = open();
    const through = (agent: string) => [{ name: "all", limit: 3 }, { name: `agent:${agent}`, limit: 2 }];
    expect(await store.hit("p", through("a"), 60)).toEqual({ allowed: true });
    expect(await store.hit("p", through("a"), 60)).toEqual({ allowed: true });
    // Agent a is full: refused, and the person's count stays at 2.
    expect(await store.hit("p", through("a"), 60)).toMatchObject({ allowed: false, counter: "agent:a" });
    expect(await store.hit("p", through("b"), 60)).toEqual({ allowed: true });
    // The person is full: refused for agent b too, which has room left.
    expect(await store.hit("p", through("b"), 60)).toMatchObject({ allowed: false, counter: "all" });
  });

  it("pages newest first without repeats", async () => {
    const store = open();
    for (let i = 0; i < 5; i++) await store.insert("audit", record("x", `id-${i}`), { ttlS: 60 });
    const first = await store.list("audit", { limit: 2 });
    const second = await store.list("audit", { limit: 2, cursor: first.nextCursor });
    const third = await store.list("audit", { limit: 2, cursor: second.nextCursor });
    const ids = [...first.records, ...second.records, ...third.records].map((r) => r.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.nextCursor).toBeNull();
  });

  it("filters by data before paging: every match once, in order, none of the others", async () => {
    const store = open();
    const t0 = Date.now();
    for (let i = 0; i < 12; i++) {
      const data = { kind: i % 3 === 0 ? "authorization" : "call", client_id: i % 2 ? "a" : "b" };
      await store.insert("audit", { id: `id-${String(i).padStart(2, "0")}`, owner: `p${i % 4}`, at: new Date(t0 - i).toISOString(), data }, { ttlS: 60 });
    }
    const all = async (where: Record<string, string>, owner?: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await store.list("audit", { limit: 2, cursor, where, ...(owner ? { owner } : {}) });
        if (page.nextCursor) expect(page.records).toHaveLength(2); // filtered before the page is cut: only the last is short
        ids.push(...page.records.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };
    expect(await all({ kind: "authorization" })).toEqual(["id-00", "id-03", "id-06", "id-09"]);
    expect(await all({ kind: "call", client_id: "a" })).toEqual(["id-01", "id-05", "id-07", "id-11"]);
    expect(await all({ kind: "authorization" }, "p0")).toEqual(["id-00"]);
    expect(await all({ kind: "revocation" })).toEqual([]);
    await expect(store.list("audit", { limit: 2, where: { "x') OR 1=1 --": "y" } })).rejects.toThrow(/Not a data field name/);
  });
});
