/**
 * The order `a.localeCompare(b)` gives, for the strings a Plan sorts (file paths, partial names): a file list keeps
 * the order it always had. `localeCompare` itself first builds ICU's collator, the largest single cost of a scaffold
 * in the profile (bench/RESULTS.md), so strings of ASCII letters, digits and `_ - . /` are compared here by the same
 * rules (punctuation `_ - . /` before digits before letters; letters case-blind, then lower case first); anything
 * else still goes to `localeCompare`. test/unit/path-order.test.ts holds the two to the same answers.
 */
const SIMPLE = /^[A-Za-z0-9._/-]*$/;

function primary(code: number): number {
  if (code === 95) return 1; // _
  if (code === 45) return 2; // -
  if (code === 46) return 3; // .
  if (code === 47) return 4; // /
  if (code <= 57) return 10 + code - 48; // 0-9
  return 30 + (code >= 97 ? code - 97 : code - 65); // a-z, A-Z
}

export function comparePaths(a: string, b: string): number {
  if (!SIMPLE.test(a) || !SIMPLE.test(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = primary(a.charCodeAt(i)) - primary(b.charCodeAt(i));
    if (d) return d;
  }
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! >= "a" ? -1 : 1;
  return 0;
}
