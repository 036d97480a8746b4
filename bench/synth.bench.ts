/**
 * Synthesis benchmark (issue #13; run through `npm run bench [-- synth]`, never in a timed test).
 * Every sample is a fresh process (bench/synth-once.ts) so each pays the same start-up and its peak
 * memory (max RSS of that process) is its own. Time is measured inside the process from loading the
 * configuration to the written cdk.tf.json (node and tsx start-up excluded).
 *
 * Cases and targets: shipped environments <= 1.0 s (#2); 100 machines (base of the first ratio);
 * 1,000 machines <= 1.5 s; 10,000 machines <= 15 s and <= 600 MB; each 10x step <= 10.5x the time;
 * 10,000 apps of one machine each (the one-app-per-customer shape) in per-app stacks <= 60 s and
 * <= 1 GB (in one stack, marked as such, while `stacks: "per-app"` is not accepted by the schema).
 *
 * Runs: BENCH_RUNS (default 5) for the small cases, BENCH_RUNS_LARGE (default 3) for the 10,000
 * cases; a sample taking longer than BENCH_TIMEOUT_S (default 600) seconds is stopped and reported.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type BenchRow, median } from "./bench-row";
import { generatedEnvironment } from "./generated-environment";

interface Sample {
  readonly ms: number;
  readonly stacks: number;
  readonly maxRssMb: number;
  readonly machines: number;
}

interface Measured {
  readonly name: string;
  readonly samples: readonly Sample[];
  readonly medianMs: number;
  readonly peakRssMb: number;
  readonly failure?: string;
}

const root = path.join(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const runsLarge = Number(process.env.BENCH_RUNS_LARGE ?? 3);
const timeoutMs = Number(process.env.BENCH_TIMEOUT_S ?? 600) * 1000;

function sample(which: string): Promise<Sample> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bench-"));
  return new Promise<Sample>((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(__dirname, "synth-once.ts"), which, outdir],
      { cwd: root, encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        fs.rmSync(outdir, { recursive: true, force: true });
        if (error) {
          const why = error.killed ? `did not finish in ${timeoutMs / 1000} s` : (stderr.trim().split("\n").find((l) => /Error|error/.test(l)) ?? error.message);
          reject(new Error(why.slice(0, 300)));
          return;
        }
        resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Sample);
      },
    );
  });
}

async function measure(name: string, which: string, n: number): Promise<Measured> {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) {
    try {
      samples.push(await sample(which));
    } catch (error) {
      const failure = error instanceof Error ? error.message : String(error);
      process.stderr.write(`  ${name}: run ${i + 1}/${n} failed: ${failure}\n`);
      return { name, samples, medianMs: NaN, peakRssMb: NaN, failure };
    }
    const s = samples[i];
    process.stderr.write(`  ${name}: run ${i + 1}/${n} ${(s.ms / 1000).toFixed(2)} s, ${s.maxRssMb.toFixed(0)} MB, ${s.machines} machines in ${s.stacks} stack(s)\n`);
  }
  return { name, samples, medianMs: median(samples.map((s) => s.ms)), peakRssMb: Math.max(...samples.map((s) => s.maxRssMb)) };
}

function describe(m: Measured): string {
  if (m.failure) return m.failure;
  const s = m.samples[0];
  return `median of ${m.samples.length}; ${s.machines} machines in ${s.stacks} stack${s.stacks === 1 ? "" : "s"}`;
}

function row(m: Measured, target: string, limits: { ms?: number; mb?: number }): BenchRow {
  const met = !m.failure && (limits.ms === undefined || m.medianMs <= limits.ms) && (limits.mb === undefined || m.peakRssMb <= limits.mb);
  return { name: m.name, medianMs: m.medianMs, peakRssMb: m.peakRssMb, target, met, note: describe(m) };
}

function ratioRow(name: string, small: Measured, large: Measured): BenchRow {
  const ratio = large.medianMs / small.medianMs;
  const ok = Number.isFinite(ratio);
  return {
    name,
    medianMs: large.medianMs,
    peakRssMb: large.peakRssMb,
    target: "<= 10.5x the time",
    met: ok && ratio <= 10.5,
    note: ok ? `${ratio.toFixed(2)}x (${(small.medianMs / 1000).toFixed(2)} s -> ${(large.medianMs / 1000).toFixed(2)} s)` : "a case did not finish",
  };
}

/** Whether the environment schema accepts `stacks: "per-app"` (being added beside this benchmark). */
function perAppStacksAccepted(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only here: the runner itself stays light
    const { validateEnvironments } = require("../src/config/validate") as typeof import("../src/config/validate");
    const env = generatedEnvironment(1, 2, { perAppStacks: true });
    validateEnvironments([{ name: env.name, value: env }]);
    return true;
  } catch {
    return false;
  }
}

export async function run(): Promise<BenchRow[]> {
  process.stderr.write(`synthesis: ${runs} runs per case (${runsLarge} for the 10,000 cases), each in a fresh process\n`);
  const shipped = await measure("synth: shipped environments", "shipped", runs);
  const m100 = await measure("synth: 100 machines (10 apps x 10)", "generated:10x10", runs);
  const m1k = await measure("synth: 1,000 machines (100 apps x 10)", "generated:100x10", runs);
  const m10k = await measure("synth: 10,000 machines (1,000 apps x 10)", "generated:1000x10", runsLarge);
  const perApp = perAppStacksAccepted();
  const apps = await measure(
    perApp ? "synth: 10,000 apps x 1 machine, per-app stacks" : "synth: 10,000 apps x 1 machine, one stack",
    perApp ? "generated:10000x1:per-app" : "generated:10000x1",
    runsLarge,
  );
  const appsRow = row(apps, "<= 60 s, <= 1 GB", { ms: 60_000, mb: 1024 });
  return [
    row(shipped, "<= 1.0 s", { ms: 1000 }),
    row(m100, "(base of the 10x steps)", {}),
    row(m1k, "<= 1.5 s", { ms: 1500 }),
    row(m10k, "<= 15 s, <= 600 MB", { ms: 15_000, mb: 600 }),
    ratioRow("synth: 10x step, 100 -> 1,000 machines", m100, m1k),
    ratioRow("synth: 10x step, 1,000 -> 10,000 machines", m1k, m10k),
    perApp ? appsRow : { ...appsRow, met: false, note: `stacks: "per-app" not accepted by the schema yet; ${appsRow.note}` },
  ];
}
