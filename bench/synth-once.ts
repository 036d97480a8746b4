/**
 * One measured synthesis in a fresh process, so every sample pays the same start-up and the peak
 * memory is this synthesis's alone. Prints one JSON line: { ms, builtMs (configuration and constructs), stacks, maxRssMb, machines }.
 * Usage: tsx bench/synth-once.ts shipped|generated:<apps>x<machines>[:per-app] <outdir>
 */
import { performance } from "node:perf_hooks";
import { buildApp, buildAppFromSources, synthesizeApp } from "../main";
import { generatedEnvironment } from "./generated-environment";

function main(): number {
  const [which, outdir] = process.argv.slice(2);
  if (!which || !outdir) {
    process.stderr.write("usage: synth-once.ts shipped|generated:<apps>x<machines>[:per-app] <outdir>\n");
    return 2;
  }
  const start = performance.now();
  let built;
  if (which === "shipped") {
    built = buildApp({ outdir });
  } else {
    const match = /^generated:(\d+)x(\d+)(:per-app)?$/.exec(which);
    if (!match) {
      process.stderr.write(`unknown case "${which}"; use shipped or generated:<apps>x<machines>[:per-app]\n`);
      return 2;
    }
    const env = generatedEnvironment(Number(match[1]), Number(match[2]), { perAppStacks: match[3] !== undefined });
    built = buildAppFromSources([{ name: env.name, value: env }], { outdir });
  }
  const builtMs = performance.now() - start;
  // What main.ts does: guardrails on every stack, then write.
  synthesizeApp(built);
  const ms = performance.now() - start;
  const machines = built.stacks.reduce((n, s) => n + Object.values(s.apps).reduce((m, a) => m + Object.values(a.groups).reduce((k, g) => k + g.machines.length, 0), 0), 0);
  process.stdout.write(`${JSON.stringify({ ms, builtMs, stacks: built.stacks.length, maxRssMb: process.resourceUsage().maxRSS / 1024, machines })}\n`);
  return 0;
}

process.exitCode = main();
