/**
 * `npm run bench [-- FILTER…]`: runs the exported `run(): Promise<BenchRow[]>` of every
 * `bench/*.bench.ts` module (those whose file name contains one of the FILTERs, e.g.
 * `npm run bench -- synth`), prints one table (name, median, peak RSS, target, met) and writes
 * the same rows as JSON to bench/results.json (gitignored: results are reported, not committed).
 * Exit code 1 when any target is missed, 2 when a module fails or none matches.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchModule, BenchRow } from "./bench-row";

function formatMs(ms: number): string {
  return Number.isFinite(ms) ? (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`) : "-";
}

function formatMb(mb: number): string {
  return Number.isFinite(mb) && mb > 0 ? `${mb.toFixed(0)} MB` : "-";
}

function table(rows: readonly BenchRow[]): string {
  const header = ["name", "median", "peak RSS", "target", "met", "note"];
  const cells = rows.map((r) => [r.name, formatMs(r.medianMs), formatMb(r.peakRssMb), r.target, r.met ? "yes" : "NO", r.note ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const right = new Set([1, 2]);
  const line = (c: readonly string[]) => `| ${c.map((x, i) => (right.has(i) ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, i) => (right.has(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`, ...cells.map(line)].join("\n");
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((a) => a !== "--");
  const modules = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".bench.ts"))
    .sort()
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
  if (modules.length === 0) {
    process.stderr.write(`no bench/*.bench.ts matches ${filters.join(", ")}\n`);
    return 2;
  }
  const rows: BenchRow[] = [];
  let failed = false;
  for (const file of modules) {
    process.stderr.write(`== ${file}\n`);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- tsx compiles each module on demand
      const mod = require(path.join(__dirname, file)) as Partial<BenchModule>;
      if (typeof mod.run !== "function") throw new Error(`${file} exports no run(): Promise<BenchRow[]>`);
      rows.push(...(await mod.run()));
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`${file} failed: ${message}\n`);
      rows.push({ name: `${file} (failed)`, medianMs: NaN, peakRssMb: NaN, target: "runs", met: false, note: message.split("\n")[0].slice(0, 200) });
    }
  }
  console.log(table(rows));
  const results = path.join(__dirname, "results.json");
  fs.writeFileSync(results, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, filters, rows }, null, 2)}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), results)}\n`);
  if (failed) return 2;
  return rows.every((r) => r.met) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
