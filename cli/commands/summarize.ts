import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { parsePlanJson, PlanJsonError } from "../../src/plan/plan-json";
import { summarizePlan } from "../../src/plan/summarize";
import { planFacts } from "../../src/plan/facts";
import { renderPlanMarkdown } from "../../src/plan/markdown";

/** `plans/staging.plan.json` → `staging` */
export function stackNameOfPlanFile(file: string): string {
  return path.basename(file).replace(/\.plan\.json$|\.json$/, "");
}

export const summarize: Command = {
  name: "summarize",
  summary: "Summarize `terraform show -json` plan files, without running Terraform",
  help: `Usage: flystack summarize [--json] PLAN.json…

Reads the JSON form of saved plans (terraform show -json <planfile>) and prints a summary.

Options:
  --json    Print, per file, { file, counts, outputs, drift, resources } (one object for one
            file, an array for several). Without it: Markdown for a pull-request comment, with a
            warning first for every delete or replace of a stateful resource.
  --help    Show this help.

Counts: create, update, delete, replace (once, never also create and delete), import, move
(previous_address differs), no-op. Attribute values are never printed.

Exit codes: 0 summarized; 1 a file is missing or is not plan JSON.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { json: { kind: "boolean" } });
    if (positionals.length === 0) {
      ctx.stderr.write("flystack summarize: name at least one plan JSON file (see flystack summarize --help)\n");
      return EXIT.error;
    }
    const plans = [];
    for (const file of positionals) {
      const full = path.resolve(ctx.cwd, file);
      if (!fs.existsSync(full)) {
        ctx.stderr.write(`flystack summarize: ${file} does not exist\n`);
        return EXIT.error;
      }
      try {
        plans.push({ file, plan: parsePlanJson(fs.readFileSync(full, "utf8"), file) });
      } catch (error) {
        if (!(error instanceof PlanJsonError)) throw error;
        ctx.stderr.write(`flystack summarize: ${error.message}\n`);
        return EXIT.error;
      }
    }
    if (options.json) {
      const summaries = plans.map(({ file, plan }) => summarizePlan(plan, file));
      ctx.stdout.write(`${JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2)}\n`);
    } else {
      const stacks = plans.map(({ file, plan }) => ({ stack: stackNameOfPlanFile(file), summary: summarizePlan(plan, file), facts: planFacts(plan) }));
      ctx.stdout.write(`${renderPlanMarkdown(stacks)}\n`);
    }
    return EXIT.ok;
  },
};
