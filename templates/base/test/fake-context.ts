import type { InsertResult, StoredRecord } from "../src/server/store/store.js";
import type { Identity, ToolContext } from "../src/tools/types.js";

/** A signed-in person with no permissions, as a sign-in layer would hand them over. */
export const TEST_PERSON: Identity = {
  kind: "person",
  user: { id: "user_test", email: "test@example.com", email_verified: true, name: "Test Person" },
  organization: null,
  role: null,
  permissions: [],
  permission_sources: {},
  client_id: "test-agent",
  scopes: [],
  expires_at: null,
};

/**
 * A tool's context with everything in memory, for calling a tool's `run` directly in a unit test: no server, no
 * platform. `settings` are what `ctx.setting` answers.
 */
export function fakeContext(identity: Identity = TEST_PERSON, settings: Record<string, string> = {}): ToolContext {
  const state = new Map<string, string>();
  const records = new Map<string, StoredRecord[]>();
  const uniqueKeys = new Map<string, StoredRecord>();
  return {
    identity,
    subject: identity.user ? `user:${identity.user.id}` : "anonymous",
    setting: (name) => settings[name],
    store: {
      getState: async (subject, key) => state.get(`${subject}/${key}`) ?? null,
      setState: async (subject, key, value) => void state.set(`${subject}/${key}`, value),
      hit: async () => ({ allowed: true }),
      async insert(collection, record, { uniqueKey, maxPerOwner }): Promise<InsertResult> {
        const key = uniqueKey ? `${collection}/${record.owner}/${uniqueKey}` : null;
        const earlier = key ? uniqueKeys.get(key) : undefined;
        if (earlier) return { status: "duplicate", record: earlier };
        const list = records.get(collection) ?? [];
        if (maxPerOwner !== undefined && list.filter((r) => r.owner === record.owner).length >= maxPerOwner) return { status: "limit", retryAfterS: 60 };
        records.set(collection, [record, ...list]);
        if (key) uniqueKeys.set(key, record);
        return { status: "inserted", record };
      },
      list: async (collection, { owner, limit }) => ({
        records: (records.get(collection) ?? []).filter((r) => owner === undefined || r.owner === owner).slice(0, limit),
        nextCursor: null,
      }),
    },
  };
}
