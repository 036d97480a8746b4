/**
 * Is dist/ (the CLI compiled by `npm run build`, which `npm ci` runs through "prepare") current?
 * bin/flystack runs dist/ when it is, and the TypeScript sources through tsx when not.
 *
 * The check: the build records the newest modification time among its inputs (SOURCE_DIRS and
 * SOURCE_FILES below, read before tsc starts, so an edit made during the build counts as newer) in
 * dist/.build-stamp.json; dist/ is current while no input is newer than that. It stats every input
 * (about 200 files, ~1-2 ms: bench/startup.bench.ts reports it), needs no git, and errs on the safe
 * side: a checkout or `touch` that only changes times makes dist/ look stale, never the reverse.
 * Not inputs: environments/ (loaded as TypeScript at run time) and package.json (read at run time).
 */
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const STAMP = path.join(DIST, ".build-stamp.json");
/** What tsconfig.build.json compiles (its "include"), and what shapes the output. */
const SOURCE_DIRS = ["cli", "src", "stacks", "constructs", "policies", ".gen"];
const SOURCE_FILES = ["main.ts", "tsconfig.json", "tsconfig.build.json", "providers/versions.json"];

function newestIn(dir) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(full));
    else if (entry.name.endsWith(".ts") || entry.name.endsWith(".json")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** The newest modification time (ms) among the build's inputs. */
function newestSourceMtimeMs(root = ROOT) {
  let newest = 0;
  for (const dir of SOURCE_DIRS) newest = Math.max(newest, newestIn(path.join(root, dir)));
  for (const file of SOURCE_FILES) {
    try {
      newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
    } catch {
      // An input that does not exist (yet) changes nothing.
    }
  }
  return newest;
}

/** "fresh", "missing" (never built, or a failed build) or "stale" (an input changed since). */
function distState(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, "dist", ".build-stamp.json"), "utf8"));
  } catch {
    return "missing";
  }
  if (typeof stamp.newestInput !== "number" || !fs.existsSync(path.join(root, "dist", "cli", "main.js"))) return "missing";
  // Whole milliseconds: copies (fs.cpSync's preserveTimestamps, cp -p, tar) round times to them.
  return Math.floor(newestSourceMtimeMs(root)) <= Math.ceil(stamp.newestInput) ? "fresh" : "stale";
}

function writeStamp(newestInput, root = ROOT) {
  fs.writeFileSync(path.join(root, "dist", ".build-stamp.json"), `${JSON.stringify({ newestInput, builtAt: new Date().toISOString() })}\n`);
}

module.exports = { ROOT, DIST, STAMP, SOURCE_DIRS, SOURCE_FILES, newestSourceMtimeMs, distState, writeStamp };
