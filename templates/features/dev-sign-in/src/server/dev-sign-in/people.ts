import { permissions } from "../../tools/index.js";

/** A person the development sign-in signs in: whoever the person at the keyboard says they are. */
export interface TestPerson {
  id: string;
  email: string;
  name: string;
  organization: string;
  role: TestRole;
  permissions: string[];
}

export type TestRole = "admin" | "member";

/** Roles a test person can have: one holding every permission the chosen packs check, one holding none. */
export const TEST_ROLES: Record<TestRole, readonly string[]> = { admin: permissions, member: [] };

export const DEFAULT_PERSON = { name: "Ada Lovelace", email: "ada@example.com", role: "admin" } as const;
export const TEST_ORGANIZATION = "org_test_example";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The person the sign-in form names, or why it cannot sign them in (a blank form signs in the default person). */
export function personFromForm(form: FormData): TestPerson | { problem: string } {
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const name = field("name") || DEFAULT_PERSON.name;
  const email = (field("email") || DEFAULT_PERSON.email).toLowerCase();
  const role = field("role") || DEFAULT_PERSON.role;
  if (!EMAIL.test(email)) return { problem: `"${email}" is not an email address. Type one such as ${DEFAULT_PERSON.email}.` };
  if (role !== "admin" && role !== "member") return { problem: `"${role}" is not a test role. Pick admin or member.` };
  if (name.length > 100) return { problem: "That name is longer than 100 characters. Type a shorter one." };
  return {
    // The id follows the email, so signing in again as the same address is the same person (their orders, their quota).
    id: `test_${email.replace(/[^a-z0-9]+/g, "_")}`,
    email,
    name,
    organization: TEST_ORGANIZATION,
    role,
    permissions: [...TEST_ROLES[role]],
  };
}
