#!/usr/bin/env node
// Kept free of modern syntax so that an old Node reaches the friendly message instead of a SyntaxError.
var required = [22, 12];
var parts = process.versions.node.split(".").map(Number);
if (parts[0] < required[0] || (parts[0] === required[0] && parts[1] < required[1])) {
  console.error(
    "create-mcp-auth needs Node.js " + required.join(".") + " or newer; this is Node.js " + process.versions.node +
      ". Install a current Node.js (https://nodejs.org) and run it again."
  );
  process.exit(1);
}
// V8's code cache for the bundle, kept on disk by Node (in the temp directory; NODE_DISABLE_COMPILE_CACHE=1 turns it
// off): from the second run on, start-up skips compiling dist/ again.
import("node:module")
  .then(function (nodeModule) {
    if (nodeModule.enableCompileCache) nodeModule.enableCompileCache();
  })
  .then(function () {
    return import("../dist/cli.js");
  })
  .then(
  function (cli) {
    return cli.main(process.argv.slice(2)).then(function (code) {
      process.exitCode = code;
    });
  },
  function (error) {
    if (!error || error.code !== "ERR_MODULE_NOT_FOUND") throw error;
    // A checkout before `npm install`: no dist/ (the build) or no dependencies yet.
    console.error("create-mcp-auth cannot load its build: " + error.message + "\nIn a checkout of create-mcp-auth, run `npm install` first: it installs the dependencies and builds dist/.");
    process.exit(1);
  }
);
