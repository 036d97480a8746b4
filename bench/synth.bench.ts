/**
 * `npm run bench`: median wall time and peak memory of synthesis, each sample in a fresh process.
 * Targets (issue #2, 2-core machine): shipped environments <= 1.0 s; 1,000 machines <= 4 s and
 * <= 400 MB; ten times the machines costs at most eleven times the time.
 * Time is measured inside the process from loading the configuration to the written cdk.tf.json
 * (node and tsx start-up excluded); the process's total wall time is printed beside it.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

interface Sample {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly machines: number;
  readonly processMs: number;
}

const root = path.join(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const runs = Number(process.argv[2] ?? 5);

function sample(which: string): Sample {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bench-"));
  try {
    const start = performance.now();
    const out = execFileSync(tsx, [path.join(__dirname, "synth-once.ts"), which, outdir], { cwd: root, encoding: "utf8" });
    const processMs = performance.now() - start;
    return { ...(JSON.parse(out.trim().split("\n").pop() ?? "{}") as Omit<Sample, "processMs">), processMs };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Result {
  readonly name: string;
  readonly machines: number;
  readonly medianMs: number;
  readonly medianProcessMs: number;
  readonly peakRssMb: number;
}

function measure(name: string, which: string): Result {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(sample(which));
    process.stderr.write(`  ${name}: run ${i + 1}/${runs} ${samples[i].ms.toFixed(0)} ms\n`);
  }
  return {
    name,
    machines: samples[0].machines,
    medianMs: median(samples.map((s) => s.ms)),
    medianProcessMs: median(samples.map((s) => s.processMs)),
    peakRssMb: Math.max(...samples.map((s) => s.maxRssMb)),
  };
}

function main(): number {
  process.stderr.write(`synthesis benchmark, ${runs} runs per case, each in a fresh process\n`);
  const shipped = measure("shipped environments", "shipped");
  const small = measure("10 apps x 10 machines", "generated:10x10");
  const large = measure("100 apps x 10 machines", "generated:100x10");
  const results = [shipped, small, large];
  console.log("| case | machines | median synth | median process wall | peak RSS |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const r of results) {
    console.log(`| ${r.name} | ${r.machines} | ${(r.medianMs / 1000).toFixed(3)} s | ${(r.medianProcessMs / 1000).toFixed(3)} s | ${r.peakRssMb.toFixed(0)} MB |`);
  }
  const ratio = large.medianMs / small.medianMs;
  const checks = [
    [`shipped environments <= 1.0 s`, shipped.medianMs <= 1000],
    [`1,000 machines <= 4 s`, large.medianMs <= 4000],
    [`1,000 machines <= 400 MB`, large.peakRssMb <= 400],
    [`10x machines <= 11x time (measured ${ratio.toFixed(2)}x)`, ratio <= 11],
  ] as const;
  console.log("");
  for (const [label, ok] of checks) console.log(`${ok ? "met" : "MISSED"}: ${label}`);
  return checks.every(([, ok]) => ok) ? 0 : 1;
}

process.exitCode = main();
