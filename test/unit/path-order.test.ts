import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEMPLATES_ROOT } from "../../src/paths.js";
import { comparePaths } from "../../src/plan/path-order.js";
import { outputPathFor } from "../../src/render/output-path.js";
import { readTemplateTree } from "../../src/render/template-tree.js";

const sign = (n: number) => Math.sign(n);

describe("comparePaths", () => {
  it("sorts every template's output path as localeCompare does", () => {
    const paths = readTemplateTree(TEMPLATES_ROOT).flatMap((p) => [p, outputPathFor(p)]);
    expect([...paths].sort(comparePaths)).toEqual([...paths].sort((a, b) => a.localeCompare(b)));
  });

  it("answers as localeCompare does for any two strings, in its alphabet or not", () => {
    const simple = fc.string({ unit: fc.constantFrom(..."aAbBmMzZ059._/-"), maxLength: 8 });
    fc.assert(fc.property(simple, simple, (a, b) => sign(comparePaths(a, b)) === sign(a.localeCompare(b))), { numRuns: 20_000 });
    const any = fc.string({ maxLength: 6 });
    fc.assert(fc.property(any, simple, (a, b) => sign(comparePaths(a, b)) === sign(a.localeCompare(b)) && sign(comparePaths(b, a)) === sign(b.localeCompare(a))));
  });
});
