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
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectWithEnvironments, writeEnvironmentFile } from "../__tests__/cli/harness";
import { Loop } from "../__tests__/fly-in-the-loop/loop";
import { loopProviders, standInCloudflareRc } from "../__tests__/fly-in-the-loop/providers";
import type { EnvironmentConfig } from "../src/config/types";

import { type BenchRow, median } from "./bench-row";
import { flystackSample as flystack, git, must, type Sample } from "./process-sample";

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
