/**
 * One measured synthesis in a fresh process, so every sample pays the same start-up and the peak
 * memory is this synthesis's alone. Prints one JSON line: { ms, stacks, maxRssMb, machines }.
 * Usage: tsx bench/synth-once.ts shipped|generated:<apps>x<machines>[:per-app] <outdir>
 * Measures main.ts's own path (synthesizeSources: validate, build, guardrails, write), as the CLI runs it.
 */
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { synthesizeSources } from "../main";
import { loadEnvironmentSources } from "../src/config/load";
import type { EnvironmentSource } from "../src/config/validate";
import type { ConfigIssue } from "../src/config/issue";
import type { EnvironmentConfig } from "../src/config/types";
import { stacksOf } from "../stacks/stack-names";
import { generatedEnvironment } from "./generated-environment";

function main(): number {
  const [which, outdir] = process.argv.slice(2);
  if (!which || !outdir) {
    process.stderr.write("usage: synth-once.ts shipped|generated:<apps>x<machines>[:per-app] <outdir>\n");
    return 2;
  }
  const start = performance.now();
  let sources: EnvironmentSource[];
  let issues: ConfigIssue[];
  if (which === "shipped") {
    const loaded = loadEnvironmentSources(path.join(__dirname, "..", "environments"));
    sources = [...loaded.sources];
    issues = [...loaded.issues];
  } else {
    const match = /^generated:(\d+)x(\d+)(:per-app)?$/.exec(which);
    if (!match) {
      process.stderr.write(`unknown case "${which}"; use shipped or generated:<apps>x<machines>[:per-app]\n`);
      return 2;
    }
    const env = generatedEnvironment(Number(match[1]), Number(match[2]), { perAppStacks: match[3] !== undefined });
    sources = [{ name: env.name, value: env }];
    issues = [];
  }
  const { environments, report } = synthesizeSources(sources, { outdir }, issues);
  if (report.findings.some((f) => f.level === "error")) {
    process.stderr.write(`guardrail errors: ${report.findings.filter((f) => f.level === "error").length}\n`);
    return 1;
  }
  const ms = performance.now() - start;
  const all = environments as readonly EnvironmentConfig[];
  const machines = all.reduce((n, e) => n + Object.values(e.apps).reduce((m, a) => m + Object.values(a.groups).reduce((k, g) => k + g.regions.length * (g.count ?? 1), 0), 0), 0);
  const stacks = all.reduce((n, e) => n + stacksOf(e).length, 0);
  process.stdout.write(`${JSON.stringify({ ms, stacks, maxRssMb: process.resourceUsage().maxRSS / 1024, machines })}\n`);
  return 0;
}

process.exitCode = main();
