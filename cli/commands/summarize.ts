import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { parsePlanJson, PlanJsonError } from "../../src/features/plan/plan-json";
import { summarizePlan } from "../../src/features/plan/summarize";
import { planFacts } from "../../src/features/plan/facts";
import { renderPlanMarkdown } from "../../src/features/plan/markdown";
import { gatherSummaries, GatherError, readSummary, writeSummary } from "../plan-summary";

/** `plans/staging.plan.json` → `staging` */
export function stackNameOfPlanFile(file: string): string {
  return path.basename(file).replace(/\.plan\.json$|\.json$/, "");
}

export const summarize: Command = {
  name: "summarize",
  summary: "Summarize `terraform show -json` plan files, without running Terraform",
  help: `Usage: flystack summarize [--json] PLAN.json…
       flystack summarize --gather DIR… [--out DIR] [--marker LABEL]

Reads the JSON form of saved plans (terraform show -json <planfile>) and prints a summary.

With --gather: merges the summaries that separate "flystack plan" runs wrote (DIR/summary.json of
each, e.g. one workflow job per batch, and the one "flystack stacks --changed-since --summary-out"
wrote) into one summary.md and summary.json in --out (default: plans), and prints summary.md: one
pull-request comment, as one "flystack plan" of all those stacks would have written it (stacks in
name order; skipped and removed stacks merged; the cost section computed again from the estimates).
Exits 1 when a gathered plan failed, as flystack plan would have.

Options:
  --gather DIR      Read DIR/summary.json (repeatable; DIR… after it work too).
  --out DIR         With --gather: where summary.md and summary.json go. Default: plans
  --marker LABEL    With --gather: hidden marker <!-- flystack-plan:LABEL --> on summary.md's first
                    line. Default: the stacks' names joined by +.
  --json    Print, per file, { file, counts, outputs, drift, resources } (one object for one
            file, an array for several). Without it: Markdown for a pull-request comment, with a
            warning first for every delete or replace of a stateful resource.
  --help    Show this help.

Counts: create, update, delete, replace (once, never also create and delete), import, move
(previous_address differs), no-op. Attribute values are never printed.

Exit codes: 0 summarized; 1 a file is missing or is not plan JSON (--gather: a summary.json is
missing or unreadable, a stack is in two of them, or a gathered plan failed).`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { json: { kind: "boolean" }, gather: { kind: "list" }, out: { kind: "string" }, marker: { kind: "string" } });
    if (options.gather.length > 0) {
      if (options.json) throw new UsageError("--gather writes summary.json itself: drop --json");
      const dirs = [...options.gather, ...positionals];
      let gathered;
      try {
        gathered = gatherSummaries(dirs.map((dir) => ({ dir, data: readSummary(path.resolve(ctx.cwd, dir)) })));
      } catch (error) {
        if (!(error instanceof GatherError)) throw error;
        ctx.stderr.write(`flystack summarize --gather: ${error.message}\n`);
        return EXIT.error;
      }
      const names = [...gathered.stacks.map((s) => s.stack), ...(gathered.skipped ?? []).map((s) => s.stack)].sort((a, b) => a.localeCompare(b));
      const outDir = path.resolve(ctx.cwd, options.out ?? "plans");
      const markdown = writeSummary(outDir, gathered, `<!-- flystack-plan:${options.marker ?? (names.join("+") || "none")} -->`);
      ctx.stdout.write(`${markdown}\n`);
      ctx.stderr.write(`gathered ${gathered.stacks.length} planned stacks from ${dirs.length} summaries into ${path.relative(ctx.cwd, outDir) || "."}/\n`);
      return gathered.stacks.some((s) => s.status === "failed") ? EXIT.error : EXIT.ok;
    }
    if (options.out !== undefined || options.marker !== undefined) throw new UsageError("--out and --marker go with --gather");
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
