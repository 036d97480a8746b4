/**
 * Start-up (issue #13): wall time and peak memory of whole flystack processes, each sample a fresh
 * process, the commands measured side by side in one run, alternating (so machine noise hits all alike).
 *
 *   npx tsx bench/startup.bench.ts [RUNS]     # default 7 runs each; or `run()` from the bench runner
 *
 * Targets:
 * - the main job exactly as the README runs it (`bin/flystack preview`, after `npm ci` built dist/,
 *   synthesizing the shipped environments): at most 2.5x the floor `node -e "require('cdktf'); require('constructs')"`;
 * - `bin/flystack --help`: at most 1.5x `node -e 0` plus 50 ms.
 * For context (no target): `npx flystack preview` (npm's start-up on top) and `node bin/flystack.js preview`
 * (the TypeScript sources through tsx, as before #13).
 *
 * The commands that synthesize run in a copy of the project (node_modules linked, times kept so dist/
 * stays current there): the same files as the README's checkout, without writing this checkout's cdktf.out.
 * Peak memory is the process's maximum resident set size from /usr/bin/time -f %M (GNU time), or
 * else from a preloaded script reporting process.resourceUsage().maxRSS on exit.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import type { BenchRow } from "./bench-row";

const root = path.join(__dirname, "..");

interface Command {
  readonly name: string;
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Printed when the process exits non-zero, to show the run is not measuring a failure. */
  readonly expectOk: boolean;
}

interface Sample {
  readonly ms: number;
  readonly rssMb: number;
}

const GNU_TIME = "/usr/bin/time";
const hasGnuTime = (() => {
  if (!fs.existsSync(GNU_TIME)) return false;
  const probe = spawnSync(GNU_TIME, ["-f", "%M", "true"], { encoding: "utf8" });
  return probe.status === 0 && /^\d+\s*$/.test(probe.stderr.trim().split("\n").pop() ?? "");
})();

function sample(command: Command, rssFile: string): Sample {
  const env = { ...process.env };
  let file = command.file;
  let args = [...command.args];
  if (hasGnuTime) {
    // -o: the figure goes to a file, so the command's own stderr stays its own.
    args = ["-o", rssFile, "-f", "%M", file, ...args];
    file = GNU_TIME;
  } else {
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --require ${writeRssReporter()}`.trim();
    env.FLYSTACK_BENCH_RSS_FILE = rssFile;
  }
  const start = performance.now();
  const result = spawnSync(file, args, { cwd: command.cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (command.expectOk && result.status !== 0) {
    throw new Error(`${command.name} exited ${result.status ?? result.signal}:\n${result.stderr}`);
  }
  const kb = Number(fs.readFileSync(rssFile, "utf8").trim().split("\n").pop());
  return { ms, rssMb: kb / 1024 };
}

let rssReporter: string | undefined;
/** Without GNU time: a preloaded script that writes the process's peak RSS (kB) on exit. */
function writeRssReporter(): string {
  if (rssReporter) return rssReporter;
  rssReporter = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bench-rss-")), "rss.js");
  fs.writeFileSync(
    rssReporter,
    'process.on("exit", () => { if (process.env.FLYSTACK_BENCH_RSS_FILE) require("fs").writeFileSync(process.env.FLYSTACK_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n',
  );
  return rssReporter;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const freshness = require(path.join(root, "bin", "dist-freshness.js")) as { distState(root?: string): "fresh" | "stale" | "missing"; newestSourceMtimeMs(root?: string): number };

/** dist/ as `npm ci` leaves it: built (incrementally) when missing or older than the sources. */
function ensureBuilt(log: (line: string) => void): void {
  const state = freshness.distState(root);
  if (state === "fresh") return;
  log(`dist/ is ${state}: npm run build`);
  const built = spawnSync(process.execPath, [path.join(root, "scripts", "build-dist.js")], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (built.status !== 0) throw new Error("npm run build failed");
}

/** A copy of the project for the commands that write cdktf.out: node_modules linked, times kept. */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bench-startup-"));
  const skip = new Set(["node_modules", ".git", "cdktf.out", "plans", ".terraform", "reports"]);
  for (const entry of fs.readdirSync(root)) {
    if (!skip.has(entry)) fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** Cost of bin/flystack's freshness check, in this process (warm: what a second call costs). */
function freshnessCheckMs(): { first: number; warm: number } {
  let start = performance.now();
  freshness.distState(root);
  const first = performance.now() - start;
  start = performance.now();
  for (let i = 0; i < 20; i++) freshness.distState(root);
  return { first, warm: (performance.now() - start) / 20 };
}

export async function run(runs = 7, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<BenchRow[]> {
  ensureBuilt(log);
  const copy = projectCopy();
  const rssDir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bench-rss-"));
  try {
    const copyState = freshness.distState(copy);
    if (copyState !== "fresh") throw new Error(`dist/ in the copy is ${copyState}: an edit landed during the build; run again`);
    const node = process.execPath;
    const commands: Command[] = [
      { name: "floor: node -e \"require('cdktf'); require('constructs')\"", file: node, args: ["-e", "require('cdktf'); require('constructs')"], cwd: root, expectOk: true },
      { name: "README main job: bin/flystack preview", file: path.join(copy, "bin", "flystack"), args: ["preview"], cwd: copy, expectOk: true },
      { name: "node -e 0", file: node, args: ["-e", "0"], cwd: root, expectOk: true },
      { name: "bin/flystack --help", file: path.join(root, "bin", "flystack"), args: ["--help"], cwd: root, expectOk: true },
      { name: "context: npx flystack preview", file: "npx", args: ["--no-install", "flystack", "preview"], cwd: copy, expectOk: true },
      { name: "context: node bin/flystack.js preview (tsx on the sources)", file: node, args: [path.join(copy, "bin", "flystack.js"), "preview"], cwd: copy, expectOk: true },
    ];
    // One warm-up each (file cache, tsx's and the type-check caches), not counted.
    for (const command of commands) sample(command, path.join(rssDir, "warm"));
    const samples = new Map<string, Sample[]>(commands.map((c) => [c.name, []]));
    for (let i = 0; i < runs; i++) {
      for (const command of commands) samples.get(command.name)!.push(sample(command, path.join(rssDir, `${i}`)));
    }
    const stat = (name: string) => {
      const list = samples.get(name)!;
      return { medianMs: median(list.map((s) => s.ms)), peakRssMb: Math.max(...list.map((s) => s.rssMb)) };
    };
    const floor = stat(commands[0].name);
    const main = stat(commands[1].name);
    const bare = stat(commands[2].name);
    const help = stat(commands[3].name);
    const mainLimit = 2.5 * floor.medianMs;
    const helpLimit = 1.5 * bare.medianMs + 50;
    const rows: BenchRow[] = [
      { name: commands[0].name, ...floor, target: "the floor", met: true },
      { name: commands[1].name, ...main, target: `<= 2.5x floor = ${mainLimit.toFixed(0)} ms (${(main.medianMs / floor.medianMs).toFixed(2)}x)`, met: main.medianMs <= mainLimit, floorMs: floor.medianMs },
      { name: commands[2].name, ...bare, target: "the floor", met: true },
      { name: commands[3].name, ...help, target: `<= 1.5x node -e 0 + 50 ms = ${helpLimit.toFixed(0)} ms`, met: help.medianMs <= helpLimit, floorMs: bare.medianMs },
      { name: commands[4].name, ...stat(commands[4].name), target: "context (was 1620 ms in #13)", met: true, floorMs: floor.medianMs },
      { name: commands[5].name, ...stat(commands[5].name), target: "context (was 610 ms in #13)", met: true, floorMs: floor.medianMs },
    ];
    const check = freshnessCheckMs();
    log(`bin/flystack's freshness check (bin/dist-freshness.js): ${check.first.toFixed(1)} ms first call, ${check.warm.toFixed(2)} ms warm; peak RSS from ${hasGnuTime ? "GNU time %M" : "process.resourceUsage()"}; ${runs} runs each`);
    return rows;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
    fs.rmSync(rssDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 7);
  run(runs).then(
    (rows) => {
      const width = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) {
        console.log(`${r.name.padEnd(width)}  ${r.medianMs.toFixed(0).padStart(5)} ms  ${r.peakRssMb.toFixed(0).padStart(4)} MB  ${r.met ? "ok  " : "MISS"}  ${r.target}`);
      }
      if (rows.some((r) => !r.met)) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}
