import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Worker } from "node:worker_threads";
import { currentWindow, cursorOf, parseCursor, whereFields, type InsertResult, type Store, type StoredRecord } from "./store.js";

/**
 * The embedded store: one SQLite file in DATA_DIR, built into Node (no dependency, no set-up), surviving restarts.
 * Every write is atomic (see `write`), so limits hold under concurrent calls — also across processes sharing the file.
 * Durability: WAL with synchronous = NORMAL — a crash of the process loses nothing; a power cut may lose the last
 * transactions (calls counted, audit records), never corrupts the file. Set FULL here if that matters more than speed.
 * Checkpoints (copying the WAL into the file, with an fsync) run on a thread of their own, so a call never waits for
 * one; SQLite's own checkpoint after a commit stays as the backstop at a larger WAL (see `startCheckpointer`).
 */
export function createSqliteStore(dataDir: string): Store & { close(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "store.sqlite");
  const db = new DatabaseSync(file);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = 5000;
    PRAGMA wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES};
    CREATE TABLE IF NOT EXISTS state (subject TEXT, key TEXT, value TEXT, PRIMARY KEY (subject, key));
    CREATE TABLE IF NOT EXISTS windows (subject TEXT PRIMARY KEY, window INTEGER, count INTEGER);
    CREATE TABLE IF NOT EXISTS records (
      collection TEXT, id TEXT, owner TEXT, at INTEGER, expires INTEGER, unique_key TEXT, data TEXT,
      PRIMARY KEY (collection, id)
    );
    CREATE UNIQUE INDEX IF NOT EXISTS records_unique ON records (collection, owner, unique_key);
    CREATE INDEX IF NOT EXISTS records_newest ON records (collection, at DESC, id DESC);
    CREATE INDEX IF NOT EXISTS records_expiry ON records (collection, expires);
  `);

  // Each SQL text is compiled once, on first use.
  const statements = new Map<string, ReturnType<DatabaseSync["prepare"]>>();
  const sql = (text: string) => {
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = db.prepare(text)));
    return statement;
  };
  // Everyone's expired records go at most once a minute; an owner's own before each insert that checks a key or a count.
  const PRUNE_EVERY_MS = 60_000;
  const pruned = new Map<string, number>();

  const pruneEveryone = (collection: string, now: number) => {
    if ((pruned.get(collection) ?? 0) + PRUNE_EVERY_MS > now) return;
    sql("DELETE FROM records WHERE collection = ? AND expires <= ?").run(collection, now);
    pruned.set(collection, now);
  };
  const insertRow = (collection: string, record: StoredRecord, expires: number, uniqueKey: string | null) =>
    sql("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)").run(collection, record.id, record.owner, Date.parse(record.at), expires, uniqueKey, JSON.stringify(record.data));

  // A commit is most of the cost of a write, so the writes that arrive in one turn of the event loop (calls counted,
  // audit records, orders) share one transaction, run in the order they came: each sees the ones before it, as if it
  // were its own transaction. Each resolves only once that transaction is committed. If one throws, the transaction
  // is rolled back and each runs again in a transaction of its own, so only that one fails.
  let checkpointer: Worker | undefined;
  type Write = { work: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
  let writes: Write[] = [];
  const transaction = <T>(work: () => T): T => {
    sql("BEGIN IMMEDIATE").run();
    try {
      const result = work();
      sql("COMMIT").run();
      return result;
    } catch (error) {
      sql("ROLLBACK").run();
      throw error;
    }
  };
  const writeAll = () => {
    const batch = writes;
    writes = [];
    checkpointer ??= startCheckpointer(file);
    let results: unknown[];
    try {
      results = transaction(() => batch.map((write) => write.work()));
    } catch {
      for (const write of batch) {
        try {
          write.resolve(transaction(write.work));
        } catch (error) {
          write.reject(error);
        }
      }
      return;
    }
    batch.forEach((write, i) => write.resolve(results[i]));
  };
  const write = <T>(work: () => T) =>
    new Promise<T>((resolve, reject) => {
      if (writes.length === 0) setImmediate(writeAll);
      writes.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });

  const toRecord = (row: Record<string, unknown>): StoredRecord => ({
    id: String(row.id),
    owner: String(row.owner),
    at: new Date(Number(row.at)).toISOString(),
    data: JSON.parse(String(row.data)),
  });

  return {
    async getState(subject, key) {
      const row = sql("SELECT value FROM state WHERE subject = ? AND key = ?").get(subject, key);
      return row ? String(row.value) : null;
    },
    async setState(subject, key, value) {
      sql("INSERT INTO state VALUES (?, ?, ?) ON CONFLICT (subject, key) DO UPDATE SET value = excluded.value").run(subject, key, value);
    },
    async hit(subject, counters, windowS) {
      const { index, retryAfterS } = currentWindow(windowS);
      return write(() => {
        // One row per (subject, counter); all are read, then all counted or none.
        const keys = counters.map((counter) => `${subject}\n${counter.name}`);
        const counts = keys.map((key) => {
          const row = sql("SELECT window, count FROM windows WHERE subject = ?").get(key);
          return row && Number(row.window) === index ? Number(row.count) : 0;
        });
        const full = counters.findIndex((counter, i) => counts[i]! >= counter.limit);
        if (full !== -1) return { allowed: false as const, retryAfterS, counter: counters[full]!.name };
        const put = sql("INSERT INTO windows VALUES (?, ?, ?) ON CONFLICT (subject) DO UPDATE SET window = excluded.window, count = excluded.count");
        keys.forEach((key, i) => put.run(key, index, counts[i]! + 1));
        return { allowed: true as const };
      });
    },
    async insert(collection, record, { ttlS, uniqueKey, maxPerOwner }): Promise<InsertResult> {
      const now = Date.now();
      return write((): InsertResult => {
        pruneEveryone(collection, now);
        if (uniqueKey === undefined && maxPerOwner === undefined) {
          insertRow(collection, record, now + ttlS * 1000, null);
          return { status: "inserted", record };
        }
        // The owner's own expired records go first, so neither the unique key nor the per-owner count sees them.
        sql("DELETE FROM records WHERE collection = ? AND owner = ? AND expires <= ?").run(collection, record.owner, now);
        if (uniqueKey !== undefined) {
          const existing = sql("SELECT * FROM records WHERE collection = ? AND owner = ? AND unique_key = ?").get(collection, record.owner, uniqueKey);
          if (existing) return { status: "duplicate", record: toRecord(existing) };
        }
        if (maxPerOwner !== undefined) {
          const held = sql("SELECT COUNT(*) AS n, MIN(expires) AS first FROM records WHERE collection = ? AND owner = ?").get(collection, record.owner)!;
          if (Number(held.n) >= maxPerOwner) return { status: "limit", retryAfterS: Math.max(1, Math.ceil((Number(held.first) - now) / 1000)) };
        }
        insertRow(collection, record, now + ttlS * 1000, uniqueKey ?? null);
        return { status: "inserted", record };
      });
    },
    async list(collection, { owner, limit, cursor, where }) {
      const after = parseCursor(cursor);
      const fields = whereFields(where);
      const rows = sql(
        `SELECT * FROM records WHERE collection = ? AND expires > ? ${owner !== undefined ? "AND owner = ?" : ""}
         ${fields.map(() => "AND json_extract(data, ?) = ?").join(" ")}
         ${after ? "AND (at < ? OR (at = ? AND id < ?))" : ""} ORDER BY at DESC, id DESC LIMIT ?`,
      ).all(
        collection,
        Date.now(),
        ...(owner !== undefined ? [owner] : []),
        ...fields.flatMap(([field, value]) => [`$.${field}`, value]),
        ...(after ? [after.at, after.at, after.id] : []),
        limit + 1,
      );
      const records = rows.slice(0, limit).map(toRecord);
      return { records, nextCursor: rows.length > limit ? cursorOf(records[records.length - 1]!) : null };
    },
    close: () => {
      void checkpointer?.terminate();
      db.close();
    },
  };
}

/**
 * Every audit record is a commit, and a commit writes ~7 pages to the WAL; left to SQLite, every ~150 commits one of
 * them also copies the WAL into the file and fsyncs it — ~40% of the cost of an append, and a stall of several ms for
 * every call waiting at that moment. A worker thread with its own connection checkpoints instead (PASSIVE: it never
 * blocks a writer) every CHECKPOINT_EVERY_MS; the main connection checkpoints itself only past
 * BACKSTOP_CHECKPOINT_PAGES, which under steady load is what lets the WAL start over (and stays cheap: the worker has
 * copied nearly everything by then). The worker does not keep the process alive; an error in it only leaves the
 * backstop to do the work.
 */
const CHECKPOINT_EVERY_MS = 50;
const BACKSTOP_CHECKPOINT_PAGES = 10_000;
const CHECKPOINTER = `
const { DatabaseSync } = require("node:sqlite");
const { workerData } = require("node:worker_threads");
const db = new DatabaseSync(workerData.file);
db.exec("PRAGMA busy_timeout = 5000");
setInterval(() => db.exec("PRAGMA wal_checkpoint(PASSIVE)"), workerData.everyMs);
`;

function startCheckpointer(file: string): Worker {
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file, everyMs: CHECKPOINT_EVERY_MS } });
  worker.on("error", () => {});
  worker.unref();
  return worker;
}
