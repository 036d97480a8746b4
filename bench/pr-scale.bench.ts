/**
 * Pull requests and deploys of a 10,000-app per-app repository (issue #27), through `npm run bench
 * [-- pr-scale]`, never in a timed test. On a generated repository (bench/generated-repository.ts)
 * with this checkout's built CLI, each row runs the workflows' own commands:
 *
 *   - the deploy's stacks job (synthesize every stack, keep the synthesis for pull requests);
 *   - a pull request's stacks job (plan.yml) with the base revision's synthesis cached: one app
 *     changed (target <= 15 s and one plan job), 40 apps changed, the shared preset changed (target
 *     <= 120 s in at most 32 jobs); and, for the "before" figures, the same without the cache;
 *   - one plan job's batch: 313 per-app stacks (10,000 / 32) planned with `--parallel 8` and a plugin
 *     cache against the fake Fly API answering every request after 100 ms, after applying them once
 *     (so every plan refreshes real resources); and one stack alone;
 *   - npm ci and the test suite, the fixed costs of a job;
 *
 * and sets the runner-minutes of a pull request before (every plan job installed, tested,
 * synthesized everything and planned one stack) and after (one test job, one stacks job, batches)
 * against each other, from those measurements (bench/runner-minutes.md, gitignored, has the table).
 * Every figure is this machine's (os.cpus() in the notes); GitHub's runners differ.
 *
 * BENCH_APPS (default 10000), BENCH_RUNS_LARGE (default 3) runs of each selection,
 * BENCH_BATCH_STACKS (default 313), BENCH_PLAN_RUNS (default 1) runs of the batch's plan,
 * BENCH_SKIP_TEST_SUITE=1 leaves the test suite out (and the runner-minutes rows with it).
 * Runs alone: npx tsx bench/pr-scale.bench.ts
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type BenchRow, median } from "./bench-row";
import { flystackSample, git, must, sample, type Sample } from "./process-sample";
import { CUSTOMERS_FILE, type Customer, PRESET_FILE, presetSource, writeGeneratedRepository } from "./generated-repository";
import { Loop } from "../__tests__/fly-in-the-loop/loop";
import { loopProviders } from "../__tests__/fly-in-the-loop/providers";
import type { EnvironmentConfig } from "../src/config/types";

const root = path.join(__dirname, "..");
const APPS = Number(process.env.BENCH_APPS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS_LARGE ?? 3);
const BATCH = Number(process.env.BENCH_BATCH_STACKS ?? 313);
const PLAN_RUNS = Number(process.env.BENCH_PLAN_RUNS ?? 1);
const LATENCY_MS = 100;
const MAX_JOBS = 32;
const PARALLEL = 8;
const CACHE = ".flystack-cache/synthesis";

const log = (line: string) => process.stderr.write(`  pr-scale: ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const minutes = (ms: number) => (ms / 60_000).toFixed(1);

interface Batch {
  readonly batch: string;
  readonly stacks: readonly string[];
}

/** Runs `once` `n` times, logging each; all must succeed. */
async function repeat(name: string, n: number, once: () => Promise<Sample>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) {
    samples.push(must(name, await once()));
    log(`${name}: run ${i + 1}/${n} ${seconds(samples[i].ms)}, ${samples[i].peakRssMb.toFixed(0)} MB (load average ${os.loadavg()[0].toFixed(1)})`);
  }
  return samples;
}

const medianMs = (samples: readonly Sample[]) => median(samples.map((s) => s.ms));
const peakMb = (samples: readonly Sample[]) => Math.max(...samples.map((s) => s.peakRssMb));
const batchesOf = (s: Sample) => JSON.parse(s.stdout.trim().split("\n").pop() ?? "[]") as Batch[];

/** The repository's selection rows: each workflow command as it runs in the stacks jobs. */
async function selections(repo: string) {
  const cli = (args: string[]) => flystackSample(repo, args, {}, path.join(repo, "bin", "flystack.js"));
  const base = git(repo, "rev-parse", "HEAD");
  const floor = median((await repeat("floor: flystack --help", 3, () => cli(["stacks", "--help"]))).map((s) => s.ms));

  log(`synthesizing the ${APPS} apps as the deploy's stacks job does, keeping the synthesis (the pull requests' cached base)…`);
  const deploy = await repeat("deploy stacks job", 1, () => cli(["stacks", "--json", "--max-jobs", String(MAX_JOBS), "--save-cache", CACHE, "--artifact", "synthesized"]));
  const synthOnly = await repeat("synthesis alone (bin/flystack stacks)", 1, () => cli(["stacks"]));

  const list = JSON.parse(fs.readFileSync(path.join(repo, CUSTOMERS_FILE), "utf8")) as Customer[];
  const writeCustomers = (changed: number) =>
    fs.writeFileSync(path.join(repo, CUSTOMERS_FILE), `${JSON.stringify(list.map((c, i) => (i < changed ? { ...c, domain: `www.${c.domain}` } : c)), null, 1)}\n`);
  const select = (cached: boolean) => () =>
    cli(["stacks", "--json", "--max-jobs", String(MAX_JOBS), "--changed-since", base, ...(cached ? ["--base-cache", CACHE] : []), "--summary-out", "plans", "--artifact", "synthesized"]);

  writeCustomers(1);
  const one = await repeat("one app changed, base cached", RUNS, select(true));
  const oneBefore = await repeat("one app changed, base not cached", 1, select(false));
  writeCustomers(40);
  const forty = await repeat("40 apps changed, base cached", RUNS, select(true));
  writeCustomers(0);
  fs.writeFileSync(path.join(repo, PRESET_FILE), presetSource("v1.0.1"));
  const preset = await repeat("the shared preset changed, base cached", RUNS, select(true));
  const presetBefore = await repeat("the shared preset changed, base not cached", 1, select(false));
  fs.writeFileSync(path.join(repo, PRESET_FILE), presetSource());
  return { floor, deploy, synthOnly, one, oneBefore, forty, preset, presetBefore };
}

/** One per-app environment of `n` one-machine apps with their IP addresses, as a plan job's batch holds them. */
function batchEnvironment(n: number): EnvironmentConfig {
  const apps = Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      `a${String(i).padStart(3, "0")}`,
      {
        name: `bench-batch-${i}`,
        ips: { sharedIpv4: true, ipv6: true },
        groups: { app: { image: `registry.fly.io/bench@sha256:${"5".repeat(64)}`, guest: { cpuKind: "shared", cpus: 1, memoryMb: 256 }, regions: ["iad"] } },
      },
    ]),
  );
  return { name: "batch", project: "bench", fly: { org: "bench-org" }, dns: { zone: "example.net", cloudflareZoneId: "0123456789abcdef0123456789abcdef" }, state: { backend: "local" }, stacks: "per-app", apps } as unknown as EnvironmentConfig;
}

/** The plan job's batch against the fake Fly API with latency; undefined when terraform or the double is missing. */
async function planning() {
  const built = spawnSync("bash", [path.join(root, "scripts", "build-provider-double.sh")], { encoding: "utf8" });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bench-batch-"));
  const providers = built.status === 0 ? loopProviders(work) : undefined;
  if (!providers || spawnSync("terraform", ["version"], { encoding: "utf8" }).status !== 0) {
    fs.rmSync(work, { recursive: true, force: true });
    return undefined;
  }
  const loop = new Loop({ binary: "terraform", providers, startDelayMs: 5 });
  await loop.start();
  try {
    const stacks = loop.synthesize([batchEnvironment(BATCH)]);
    if (stacks.length !== BATCH) throw new Error(`expected ${BATCH} stacks, synthesized ${stacks.length}`);
    const env = { ...loop.env(), TF_PLUGIN_CACHE_DIR: path.join(work, "plugin-cache") };
    fs.mkdirSync(env.TF_PLUGIN_CACHE_DIR);
    const cli = (args: string[]) => flystackSample(loop.project, args, env);
    log(`${BATCH} stacks: planning and applying them once, no latency (--parallel ${PARALLEL})…`);
    await repeat("setup plan", 1, () => cli(["plan", "--skip-synth", "--parallel", String(PARALLEL), "--out", "plans-setup"]));
    await repeat("setup apply", 1, () => cli(["apply", "--plans", "plans-setup", "--parallel", String(PARALLEL)]));
    loop.fly.setLatency(LATENCY_MS);
    const before = loop.fly.requests.length;
    let run = 0;
    const batch = await repeat(`plan the batch of ${BATCH}, --parallel ${PARALLEL}, ${LATENCY_MS} ms/request`, PLAN_RUNS, () => cli(["plan", ...stacks, "--skip-synth", "--parallel", String(PARALLEL), "--out", `plans-batch-${run++}`]));
    const requests = Math.round((loop.fly.requests.length - before) / PLAN_RUNS);
    const summary = JSON.parse(fs.readFileSync(path.join(loop.project, "plans-batch-0", "summary.json"), "utf8")) as { stacks: { status: string }[] };
    const single = await repeat(`plan one stack, ${LATENCY_MS} ms/request`, 3, () => cli(["plan", stacks[0], "--skip-synth", "--out", `plans-one-${run++}`]));
    return { batch, single, requests, planned: summary.stacks.length, failed: summary.stacks.filter((s) => s.status === "failed").length };
  } finally {
    await loop.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** npm ci of this project's committed files in a fresh folder (its prepare script builds dist/), and the test suite: a job's fixed costs. */
async function fixedCosts() {
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bench-npm-ci-"));
  try {
    // What a job checks out: this project's committed files.
    const archived = spawnSync("sh", ["-c", `git archive HEAD | tar -x -C "${fresh}"`], { cwd: root, encoding: "utf8" });
    if (archived.status !== 0) throw new Error(`git archive HEAD failed: ${archived.stderr}`);
    const ci = await repeat("npm ci", 1, () => sample("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], fresh));
    if (process.env.BENCH_SKIP_TEST_SUITE === "1") return { ci, test: undefined };
    log("the test suite (npx jest --ci), as the test job runs it: about ten minutes…");
    const test = await repeat("the test suite", 1, () => sample(process.execPath, [path.join(root, "node_modules", "jest", "bin", "jest.js"), "--ci"], root));
    return { ci, test };
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRow[]> {
  must("npm run build", await sample("npm", ["run", "build"], root));
  log(`generating a repository of ${APPS} customers, one app and one stack each…`);
  const repo = writeGeneratedRepository(APPS);
  try {
    const s = await selections(repo);
    const plans = await planning();
    const fixed = await fixedCosts();
    const cores = `${os.cpus().length} cores`;
    const oneBatches = batchesOf(s.one[0]);
    const presetBatches = batchesOf(s.preset[0]);
    const rows: BenchRow[] = [
      {
        name: `deploy stacks job: synthesize ${APPS} apps, keep for pull requests`,
        medianMs: medianMs(s.deploy),
        peakRssMb: peakMb(s.deploy),
        target: "reference",
        met: true,
        floorMs: s.floor,
        note: `${batchesOf(s.deploy[0]).length} batches; synthesis alone ${seconds(medianMs(s.synthOnly))}; 1 run`,
      },
      {
        name: `pull request, one app changed: select (base cached)`,
        medianMs: medianMs(s.one),
        peakRssMb: peakMb(s.one),
        target: "<= 15 s, 1 plan job",
        met: medianMs(s.one) <= 15_000 && oneBatches.length === 1 && oneBatches[0].stacks.length === 1,
        floorMs: s.floor,
        note: `${oneBatches.length} job(s): ${oneBatches.flatMap((b) => b.stacks).join(", ")}; floor (flystack start) ${seconds(s.floor)}; without the cache ${seconds(medianMs(s.oneBefore))} (1 run)`,
      },
      {
        name: `pull request, 40 apps changed: select (base cached)`,
        medianMs: medianMs(s.forty),
        peakRssMb: peakMb(s.forty),
        target: "reference",
        met: true,
        note: `${batchesOf(s.forty[0]).length} jobs`,
      },
      {
        name: `pull request, shared preset changed: select all ${APPS} (base cached)`,
        medianMs: medianMs(s.preset),
        peakRssMb: peakMb(s.preset),
        target: `<= 120 s, <= ${MAX_JOBS} jobs`,
        met: medianMs(s.preset) <= 120_000 && presetBatches.length <= MAX_JOBS && presetBatches.reduce((n, b) => n + b.stacks.length, 0) === APPS,
        floorMs: s.floor,
        note: `${presetBatches.length} jobs of ${Math.min(...presetBatches.map((b) => b.stacks.length))}–${Math.max(...presetBatches.map((b) => b.stacks.length))} stacks; without the cache ${seconds(medianMs(s.presetBefore))} (1 run)`,
      },
    ];
    if (plans) {
      rows.push({
        name: `plan job: a batch of ${BATCH} stacks, --parallel ${PARALLEL}, fake API ${LATENCY_MS} ms/request`,
        medianMs: medianMs(plans.batch),
        peakRssMb: peakMb(plans.batch),
        target: "within the job's 60-minute timeout",
        met: medianMs(plans.batch) < 60 * 60_000 && plans.failed === 0 && plans.planned === BATCH,
        note: `${plans.planned} planned, ${plans.failed} failed; ${plans.requests} API requests; one stack alone ${seconds(medianMs(plans.single))}; ${cores}; ${PLAN_RUNS} run(s)`,
      });
    } else {
      rows.push({ name: `plan job: a batch of ${BATCH} stacks`, medianMs: NaN, peakRssMb: NaN, target: "needs terraform and the provider double", met: false });
    }
    if (plans && fixed.test) rows.push(...runnerMinutes(s, plans, { ci: medianMs(fixed.ci), test: medianMs(fixed.test) }));
    return rows;
  } finally {
    spawnSync("git", ["worktree", "prune"], { cwd: repo });
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

type Selections = Awaited<ReturnType<typeof selections>>;
type Planning = NonNullable<Awaited<ReturnType<typeof planning>>>;

/**
 * Runner time of one pull request's run, from the measurements. Before: the stacks job, then a plan
 * job per changed stack (npm ci, the test suite, synthesis of everything, one plan), then the
 * comment job. After: the test job, the stacks job (with the cached base), a plan job per batch
 * (npm ci, a plan of its stacks at --parallel 8), the comment job. Downloading artifacts and
 * caches, and GitHub's rounding of each job up to a minute, are left out.
 */
function runnerMinutes(s: Selections, plans: Planning, fixed: { ci: number; test: number }): BenchRow[] {
  const perStack = medianMs(plans.batch) / BATCH;
  const plan1 = medianMs(plans.single);
  const synthAll = medianMs(s.synthOnly);
  const scenarios: [string, number, number, number][] = [
    // [name, stacks changed, select before, select after]
    ["1 app changed", 1, medianMs(s.oneBefore), medianMs(s.one)],
    ["40 apps changed", 40, medianMs(s.oneBefore), medianMs(s.forty)],
    [`shared preset changed (${APPS} stacks)`, APPS, medianMs(s.presetBefore), medianMs(s.preset)],
  ];
  const lines = [
    "| pull request | jobs before | runner-minutes before | jobs after | runner-minutes after |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  const rows: BenchRow[] = [];
  for (const [name, changed, selectBefore, selectAfter] of scenarios) {
    const before = fixed.ci + selectBefore + changed * (fixed.ci + fixed.test + synthAll + plan1) + fixed.ci;
    const jobs = Math.min(MAX_JOBS, changed);
    const batchMs = (size: number) => Math.max(plan1, size * perStack);
    const sizes = Array.from({ length: jobs }, (_, k) => Math.floor(changed / jobs) + (k < changed % jobs ? 1 : 0));
    const after = fixed.ci + fixed.test + (fixed.ci + selectAfter) + sizes.reduce((n, size) => n + fixed.ci + batchMs(size), 0) + fixed.ci;
    const overLimit = changed + 2 > 256 ? " (over GitHub's 256 jobs per matrix: the run fails)" : "";
    lines.push(`| ${name} | ${changed + 2}${overLimit} | ${minutes(before)} | ${jobs + 3} | ${minutes(after)} |`);
    rows.push({
      name: `runner-minutes per pull request, ${name}`,
      medianMs: after,
      peakRssMb: NaN,
      target: "fewer than before",
      met: after < before,
      note: `before ${minutes(before)} min in ${changed + 2} jobs${overLimit}; after ${minutes(after)} min in ${jobs + 3} jobs`,
    });
  }
  const components = `Measured here (${os.cpus().length} cores): npm ci ${seconds(fixed.ci)}, the test suite ${seconds(fixed.test)}, synthesis of ${APPS} apps ${seconds(synthAll)}, one stack's plan ${seconds(plan1)}, a ${BATCH}-stack batch ${seconds(medianMs(plans.batch))} (${seconds(perStack)} a stack).`;
  fs.writeFileSync(path.join(__dirname, "runner-minutes.md"), `${lines.join("\n")}\n\n${components}\n`);
  log(`runner-minutes:\n${lines.join("\n")}\n${components}`);
  return rows;
}

if (require.main === module) {
  run().then(
    (rows) => {
      for (const r of rows) console.log(`| ${r.name} | ${(r.medianMs / 1000).toFixed(2)} s | ${r.peakRssMb.toFixed(0)} MB | ${r.target} | ${r.met ? "yes" : "NO"} | ${r.note ?? ""} |`);
      process.exitCode = rows.every((r) => r.met) ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
