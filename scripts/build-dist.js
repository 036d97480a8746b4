/**
 * `npm run build` (and "prepare", which `npm ci` and `npm install` run): compiles the CLI and synthesis
 * (tsconfig.build.json) into dist/ and stamps it for bin/flystack's freshness check (bin/dist-freshness.js).
 * The inputs' newest time is read before tsc starts, so a file edited during the build makes dist/ stale.
 */
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const { ROOT, newestSourceMtimeMs, writeStamp } = require("../bin/dist-freshness");

const newestInput = newestSourceMtimeMs();
const tsc = require.resolve("typescript/bin/tsc");
const built = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
if (built.status !== 0) {
  process.stderr.write(`build: tsc -p tsconfig.build.json failed (exit ${built.status ?? built.signal}); bin/flystack runs from the sources until it builds\n`);
  process.exit(built.status || 1);
}
writeStamp(newestInput);
