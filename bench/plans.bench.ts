/**
 * Plans of many stacks (issue #13, part 4): `flystack plan --skip-synth` of 20 per-app stacks (one
 * environment, `stacks: "per-app"`, 20 one-machine apps; 20 one-app environments where the schema
 * has no `stacks`) with real terraform, the provider double and the fake Fly API answering every
 * request after 100 ms, like a remote API. Serial against `--parallel 4`, 3 runs each, alternating;
 * medians and the peak RSS of the whole process tree (flystack, terraform, providers), sampled
 * from /proc. Target: parallel <= 50% of serial on a 2-core machine. Then `--changed-since HEAD`
 * with one app changed must plan exactly one stack.
 *
 * The timed stacks are synthesized as the Fly-in-the-loop tests have them (Loop.synthesize: local
 * state, DNS records and the Cloudflare provider left out) and applied first (without latency), so
 * every plan refreshes real resources through the API. The --changed-since case needs what plan
 * synthesizes itself, in a git repository: a copy of the project, with the double's null provider
 * standing in for Cloudflare (the apps have no domains). Each flystack run is its own process
 * (node bin/flystack.js); the fake API runs in this one.
 * Runs alone: npx tsx bench/plans.bench.ts
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { projectWithEnvironments, writeEnvironmentFile } from "../__tests__/cli/harness";
import { Loop } from "../__tests__/fly-in-the-loop/loop";
import { loopProviders, standInCloudflareRc } from "../__tests__/fly-in-the-loop/providers";
import type { EnvironmentConfig } from "../src/config/types";

import type { BenchRow } from "./bench-row";

const root = path.join(__dirname, "..");
const STACKS = 20;
const RUNS = 3;
const LATENCY_MS = 100;
const PARALLEL = 4;

/** Whether src/config/schema.ts knows `stacks` ("per-app"), checked when the bench runs. */
function perAppSupported(): boolean {
  return /\bstacks:\s*z\.enum\(\[[^\]]*"per-app"/.test(fs.readFileSync(path.join(root, "src", "config", "schema.ts"), "utf8"));
}

function app(i: number, memoryMb = 256) {
  const n = String(i).padStart(2, "0");
  return {
    name: `bench-app-${n}`,
    ips: { sharedIpv4: false, ipv6: false },
    groups: { app: { image: `registry.fly.io/bench@sha256:${"5".repeat(64)}`, guest: { cpuKind: "shared", cpus: 1, memoryMb }, regions: ["iad"] } },
  };
}

function environments(perApp: boolean, changed?: number): EnvironmentConfig[] {
  const base = { project: "bench", fly: { org: "bench-org" }, dns: { zone: "example.net", cloudflareZoneId: "0123456789abcdef0123456789abcdef" }, state: { backend: "local" } };
  const size = (i: number) => (i === changed ? 512 : 256);
  if (perApp) {
    const apps = Object.fromEntries(Array.from({ length: STACKS }, (_, i) => [`a${String(i).padStart(2, "0")}`, app(i, size(i))]));
    return [{ name: "bench", ...base, stacks: "per-app", apps } as unknown as EnvironmentConfig];
  }
  return Array.from({ length: STACKS }, (_, i) => ({ name: `bench${String(i).padStart(2, "0")}`, ...base, apps: { app: app(i, size(i)) } }) as unknown as EnvironmentConfig);
}

/** Sum of VmRSS over `pid` and its descendants, in MB. */
function treeRssMb(pid: number): number {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of parents) if (tree.has(parent) && !tree.has(child)) (tree.add(child), (grew = true));
  }
  let kb = 0;
  for (const p of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

interface Sample {
  readonly code: number;
  readonly ms: number;
  readonly peakRssMb: number;
  readonly stderr: string;
}

/** `node bin/flystack.js <args>` in `cwd`: wall time and the peak RSS of its process tree. */
function flystack(cwd: string, args: readonly string[], env: Record<string, string | undefined>): Promise<Sample> {
  return new Promise((resolve) => {
    const started = performance.now();
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) clean[k] = v;
    const child = spawn(process.execPath, [path.join(root, "bin", "flystack.js"), ...args], { cwd, env: clean, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRssMb(child.pid!))), 100);
    child.on("close", (code) => {
      clearInterval(timer);
      resolve({ code: code ?? 1, ms: performance.now() - started, peakRssMb: peak, stderr });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync("git", ["-c", "user.name=flystack bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
}

export async function run(): Promise<BenchRow[]> {
  const log = (line: string) => process.stderr.write(`  plans: ${line}\n`);
  const serialName = `plan ${STACKS} stacks, serial (fake API ${LATENCY_MS} ms/request)`;
  const parallelName = `plan ${STACKS} stacks, --parallel ${PARALLEL} (fake API ${LATENCY_MS} ms/request)`;
  const changedName = `plan --changed-since HEAD, one app of ${STACKS} changed`;
  const built = spawnSync("bash", [path.join(root, "scripts", "build-provider-double.sh")], { encoding: "utf8" });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bench-plans-"));
  const providers = built.status === 0 ? loopProviders(work) : undefined;
  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
  if (!providers || !terraform) {
    fs.rmSync(work, { recursive: true, force: true });
    const note = !terraform ? "no terraform on PATH" : "the provider double is not built (scripts/build-provider-double.sh needs Go)";
    return [serialName, parallelName, changedName].map((name) => ({ name, medianMs: 0, peakRssMb: 0, target: "needs terraform and the provider double", met: false, note }));
  }

  const perApp = perAppSupported();
  const loop = new Loop({ binary: "terraform", providers, startDelayMs: 5 });
  await loop.start();
  let project: string | undefined;
  try {
    const must = (what: string, s: Sample) => {
      if (s.code !== 0) throw new Error(`${what} failed (exit ${s.code}):\n${s.stderr.slice(-3000)}`);
      return s;
    };
    // The timed plans: stacks synthesized as every Fly-in-the-loop test has them (the loop's project, local state, no DNS).
    log(`${perApp ? `one environment, stacks: "per-app", ${STACKS} apps` : `${STACKS} one-app environments`}; planning and applying them once (no latency)…`);
    const stacks = loop.synthesize(environments(perApp));
    if (stacks.length !== STACKS) throw new Error(`expected ${STACKS} stacks, synthesized ${stacks.length}`);
    const loopRun = (args: string[]) => flystack(loop.project, args, loop.env());
    must("the first plan", await loopRun(["plan", "--skip-synth", "--parallel", String(PARALLEL), "--out", "plans-setup"]));
    must("apply", await loopRun(["apply", "--plans", "plans-setup"]));

    loop.fly.setLatency(LATENCY_MS);
    const serial: Sample[] = [];
    const parallel: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      serial.push(must("the serial plan", await loopRun(["plan", "--skip-synth", "--out", `plans-serial-${i}`])));
      log(`serial run ${i + 1}/${RUNS}: ${(serial[i].ms / 1000).toFixed(1)} s, ${serial[i].peakRssMb.toFixed(0)} MB (load average ${os.loadavg()[0].toFixed(1)})`);
      parallel.push(must("the parallel plan", await loopRun(["plan", "--skip-synth", "--parallel", String(PARALLEL), "--out", `plans-parallel-${i}`])));
      log(`--parallel ${PARALLEL} run ${i + 1}/${RUNS}: ${(parallel[i].ms / 1000).toFixed(1)} s, ${parallel[i].peakRssMb.toFixed(0)} MB (load average ${os.loadavg()[0].toFixed(1)})`);
    }
    const requests = loop.fly.requests.length;
    // FLYSTACK_BENCH_PLANS_LOG=DIR keeps the last runs' progress (per-step durations) for a look afterwards.
    const logDir = process.env.FLYSTACK_BENCH_PLANS_LOG;
    if (logDir) {
      fs.mkdirSync(logDir, { recursive: true });
      fs.writeFileSync(path.join(logDir, "serial.log"), serial[RUNS - 1].stderr);
      fs.writeFileSync(path.join(logDir, "parallel.log"), parallel[RUNS - 1].stderr);
    }
    const serialMs = median(serial.map((s) => s.ms));
    const parallelMs = median(parallel.map((s) => s.ms));
    const same = fs.readFileSync(path.join(loop.project, "plans-serial-0", "summary.json"), "utf8") === fs.readFileSync(path.join(loop.project, "plans-parallel-0", "summary.json"), "utf8");
    loop.fly.setLatency(0);

    // --changed-since needs what plan synthesizes (Cloudflare provider included) in a git repository:
    // a copy of this project, with the double's null provider standing in for Cloudflare (no domains).
    project = projectWithEnvironments(environments(perApp));
    fs.appendFileSync(path.join(project, ".gitignore"), "\nnode_modules\nplans-*/\n");
    git(project, "init", "-q");
    git(project, "add", "-A");
    git(project, "commit", "-q", "-m", "bench");
    const env = { ...loop.env(), TF_CLI_CONFIG_FILE: standInCloudflareRc(work), FLYSTACK_LOCAL_STATE_DIR: path.join(work, "state-copy"), FLYSTACK_ENVIRONMENTS_DIR: undefined, TF_PLUGIN_CACHE_DIR: undefined };
    for (const e of environments(perApp, 7)) writeEnvironmentFile(project, e);
    const changed: Sample[] = [];
    let planned: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      changed.push(must("the --changed-since plan", await flystack(project, ["plan", "--changed-since", "HEAD", "--parallel", String(PARALLEL), "--out", `plans-changed-${i}`], env)));
      planned = (JSON.parse(fs.readFileSync(path.join(project, `plans-changed-${i}`, "summary.json"), "utf8")) as { stacks: { stack: string }[] }).stacks.map((s) => s.stack);
      log(`--changed-since run ${i + 1}/${RUNS}: ${(changed[i].ms / 1000).toFixed(1)} s, planned ${planned.join(", ") || "nothing"}`);
    }
    return [
      { name: serialName, medianMs: serialMs, peakRssMb: Math.max(...serial.map((s) => s.peakRssMb)), target: "reference for --parallel", met: true },
      {
        name: parallelName,
        medianMs: parallelMs,
        peakRssMb: Math.max(...parallel.map((s) => s.peakRssMb)),
        target: "<= 50% of serial",
        met: parallelMs <= 0.5 * serialMs && same,
        note: `${((100 * parallelMs) / serialMs).toFixed(0)}% of serial on ${os.cpus().length} cores; ${requests} API requests in the ${2 * RUNS + 2} runs${same ? "" : "; summary.json differs from the serial run's"}`,
      },
      {
        name: changedName,
        medianMs: median(changed.map((s) => s.ms)),
        peakRssMb: Math.max(...changed.map((s) => s.peakRssMb)),
        target: "plans exactly one stack",
        met: planned.length === 1,
        note: `planned: ${planned.join(", ") || "nothing"} (includes synthesizing HEAD in a worktree)`,
      },
    ];
  } finally {
    await loop.stop();
    if (project) fs.rmSync(project, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then(
    (rows) => {
      console.log("| case | median | peak RSS | target | met |");
      console.log("| --- | ---: | ---: | --- | --- |");
      for (const r of rows) console.log(`| ${r.name} | ${(r.medianMs / 1000).toFixed(2)} s | ${r.peakRssMb.toFixed(0)} MB | ${r.target} | ${r.met ? "yes" : "NO"}${r.note ? ` (${r.note})` : ""} |`);
      process.exitCode = rows.every((r) => r.met) ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
