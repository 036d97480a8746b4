import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { synthesize } from "../synth";
import { readSynthesizedStacks } from "../synthesized";
import { diagramPages } from "./diagram";
import { renderFindingsTable } from "../findings-table";
import { estimateEnvironment, formatRange } from "../../src/features/cost";
import { isObject } from "../../src/util/json-object";

/** `{ fly_machine: 8, fly_volume: 2, … }` of a parsed cdk.tf.json. */
function resourceCounts(json: unknown): [string, number][] {
  const resources = isObject(json) ? json.resource : undefined;
  if (!isObject(resources)) return [];
  return Object.entries(resources)
    .map(([type, byName]): [string, number] => [type, isObject(byName) ? Object.keys(byName).length : 0])
    .sort(([a], [b]) => a.localeCompare(b));
}

export const preview: Command = {
  name: "preview",
  summary: "Synthesize every environment and show resources, guardrail findings, monthly cost and diagrams (offline)",
  help: `Usage: flystack preview [ENV…]

The offline main job: needs no credentials and no Terraform. Synthesizes every environment into
cdktf.out (as npm run synth does) and prints, per environment: its resources by type, the
guardrail findings, the estimated monthly cost, and where its diagram is (and whether it is current).

Arguments:
  ENV…      Environments to show; globs work. Default: every environment.
Options:
  --help    Show this help.

Exit codes: 0 synthesized; 1 invalid configuration or a guardrail error (every finding is listed).`,
  async run(args, ctx) {
    const { positionals } = parseArgs(args, {});
    const result = await synthesize(ctx, { select: positionals });
    if (!result.ok) {
      if (result.report) ctx.stdout.write(`${renderFindingsTable(result.report.findings, result.report.suppressions)}\n`);
      return EXIT.error;
    }
    const stacks = readSynthesizedStacks(path.join(ctx.cwd, "cdktf.out"), positionals);
    const pages = diagramPages(stacks);
    const diagramDir = path.join(ctx.cwd, "docs", "diagrams");
    for (const stack of stacks) {
      const counts = resourceCounts(stack.json);
      const total = counts.reduce((n, [, c]) => n + c, 0);
      const cost = estimateEnvironment(stack.name, stack.json);
      const findings = result.report?.findings.filter((f) => f.stack === stack.name) ?? [];
      const suppressed = result.report?.suppressions.filter((s) => s.stack === stack.name) ?? [];
      const page = `${stack.name}.md`;
      const current = fs.existsSync(path.join(diagramDir, page)) && fs.readFileSync(path.join(diagramDir, page), "utf8") === pages.get(page);
      const lines = [
        `## ${stack.name}`,
        "",
        `Synthesized: cdktf.out/stacks/${stack.name}/cdk.tf.json (${total} resources)`,
        ...counts.map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`),
        "",
        `Guardrails: ${findings.length === 0 ? "no findings" : `${findings.length} finding${findings.length === 1 ? "" : "s"}`}${suppressed.length > 0 ? `, ${suppressed.length} suppressed` : ""}`,
        ...(findings.length + suppressed.length > 0 ? [renderFindingsTable(findings, suppressed)] : []),
        "",
        `Monthly cost: ${formatRange(cost.monthly, cost.monthly_max)} (details: bin/flystack cost ${stack.name})`,
        `Diagram: docs/diagrams/${page} (${current ? "current" : "out of date: run bin/flystack generate"})`,
        "",
      ];
      ctx.stdout.write(`${lines.join("\n")}\n`);
    }
    return EXIT.ok;
  },
};
