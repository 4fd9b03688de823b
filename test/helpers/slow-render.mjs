// Preloaded (`node --import`) into the built CLI by the interrupt tests: each file written into a staging directory
// takes `CMA_TEST_RENDER_DELAY_MS` (default 40), and the first one writes the CLI's pid to `CMA_TEST_RENDER_MARKER`,
// so a test knows the render has begun and has time to interrupt it. The product has no such hook.
import fs from "node:fs";

const marker = process.env.CMA_TEST_RENDER_MARKER;
const delay = Number(process.env.CMA_TEST_RENDER_DELAY_MS ?? 40);
const pause = new Int32Array(new SharedArrayBuffer(4));
const writeFileSync = fs.writeFileSync;
let told = false;
for (const name of ["writeFileSync", "copyFileSync"]) {
  const original = fs[name];
  fs[name] = function (...args) {
    const to = String(name === "writeFileSync" ? args[0] : args[1]);
    if (to.includes(".create-mcp-auth-staging-")) {
      const result = original.apply(this, args);
      if (!told && marker) {
        told = true;
        writeFileSync.call(fs, marker, String(process.pid));
      }
      Atomics.wait(pause, 0, 0, delay);
      return result;
    }
    return original.apply(this, args);
  };
}
