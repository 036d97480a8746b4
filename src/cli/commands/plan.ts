import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { Progress } from "../progress";
import { synthesize } from "../synth";
import { readManifest, selectStacks } from "../stacks";
import { missingVariables, readStackFile } from "../stack-files";
import { terraformFor } from "../terraform-binary";
import { errorSummary, type Terraform } from "../../terraform/terraform";
import { parsePlanJson } from "../../plan/plan-json";
import { summarizePlan, type PlanSummary } from "../../plan/summarize";
import { planFacts, type PlanFacts } from "../../plan/facts";
import { DEFAULT_MAX_LENGTH, renderPlanMarkdown } from "../../plan/markdown";
import { costReport } from "../cost-report";
import { renderCostMarkdown } from "../../cost";
import type { CliContext } from "../command";

export interface StackPlanResult {
  readonly stack: string;
  readonly status: "changes" | "no-changes" | "failed";
  readonly summary?: PlanSummary;
  readonly facts?: PlanFacts;
  readonly error?: string;
}

export const plan: Command = {
  name: "plan",
  summary: "Synthesize, then plan each stack and save the plans for review and apply",
  help: `Usage: flystack plan [STACK…] [--out DIR] [--skip-synth] [--marker LABEL] [--terraform BIN]

Synthesizes every environment (unless --skip-synth), then for each selected stack in
cdktf.out/stacks/<stack>: terraform init, plan -detailed-exitcode -lock-timeout=5m -out, show -json.

Arguments:
  STACK…             Stacks to plan; globs such as "production*" work. Default: every stack.
Options:
  --out DIR          Where plans and summaries go. Default: plans
  --skip-synth       Plan the stacks already in cdktf.out (as listed in its manifest.json).
  --marker LABEL     Hidden marker on summary.md's first line, <!-- flystack-plan:LABEL -->, so a
                     workflow can find and update its pull-request comment. Default: the stacks' names.
  --cost-base REF    Add the monthly cost change against git revision REF (e.g. origin/main) to
                     summary.md. Without it, summary.md carries the cost estimate alone.
  --terraform BIN    Terraform binary (terraform, tofu, or a path). Default: $TERRAFORM_BINARY_NAME or terraform.
  --help             Show this help.

Writes DIR/<stack>.tfplan, DIR/<stack>.plan.json, DIR/summary.md (one pull-request comment for all
stacks) and DIR/summary.json, and prints summary.md. Secrets come from TF_VAR_<app>_<NAME>.

Exit codes: 0 every plan succeeded, with or without changes; 1 any failed (the others still run,
and the summary says which failed and why).`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, {
      out: { kind: "string" },
      "skip-synth": { kind: "boolean" },
      marker: { kind: "string" },
      "cost-base": { kind: "string" },
      terraform: { kind: "string" },
    });
    if (!options["skip-synth"] && !(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
    const stacks = selectStacks(readManifest(path.join(ctx.cwd, "cdktf.out")), positionals);
    const outDir = path.resolve(ctx.cwd, options.out ?? "plans");
    fs.mkdirSync(outDir, { recursive: true });
    const terraform = terraformFor(ctx, options.terraform);
    const progress = new Progress(ctx.stderr);

    const results: StackPlanResult[] = [];
    for (const stack of stacks) {
      results.push(await planStack(stack.name, stack.dir, outDir, terraform, progress, ctx.env));
    }

    const marker = `<!-- flystack-plan:${options.marker ?? stacks.map((s) => s.name).join("+")} -->`;
    const planned = results.filter((r) => r.summary).map((r) => ({ stack: r.stack, summary: r.summary!, facts: r.facts }));
    const failed = results.filter((r) => r.status === "failed").map((r) => ({ stack: r.stack, message: r.error ?? "failed" }));
    const costSection = await costMarkdown(ctx, stacks.map((s) => s.name), options["cost-base"]);
    // The plan keeps its room; the cost section goes after it only when the comment stays under GitHub's limit.
    const planMarkdown = renderPlanMarkdown(planned, { failed, marker, maxLength: DEFAULT_MAX_LENGTH - Math.min(costSection.length + 2, 20_000) });
    const markdown = planMarkdown.length + costSection.length + 2 <= DEFAULT_MAX_LENGTH ? `${planMarkdown}\n\n${costSection}` : `${planMarkdown}\n\n_The cost estimate did not fit in this comment: run \`npx flystack cost\`._`;
    fs.writeFileSync(path.join(outDir, "summary.md"), `${markdown}\n`);
    fs.writeFileSync(
      path.join(outDir, "summary.json"),
      `${JSON.stringify({ stacks: results.map(({ stack, status, summary, error }) => ({ stack, status, summary, error })) }, null, 2)}\n`,
    );
    ctx.stdout.write(`${markdown}\n`);
    ctx.stderr.write(`plans and summaries in ${path.relative(ctx.cwd, outDir) || "."}/\n`);
    return failed.length > 0 ? EXIT.error : EXIT.ok;
  },
};

async function planStack(
  stack: string,
  dir: string,
  outDir: string,
  terraform: Terraform,
  progress: Progress,
  env: CliEnv,
): Promise<StackPlanResult> {
  const missing = missingVariables(readStackFile(dir), env);
  if (missing.length > 0) {
    const error = `secret variables not set: ${missing.join(", ")}`;
    progress.note(stack, `failed: ${error}`);
    return { stack, status: "failed", error };
  }
  const init = await progress.step(stack, "init", () => terraform.init(dir), (r) => (r.code === 0 ? "done" : "failed"));
  if (init.code !== 0) return { stack, status: "failed", error: `terraform init failed:\n${errorSummary(init)}` };

  const planFile = path.join(outDir, `${stack}.tfplan`);
  const planned = await progress.step(stack, "plan", () => terraform.plan(dir, planFile), (r) => r.outcome);
  if (planned.outcome === "error") {
    fs.rmSync(planFile, { force: true });
    return { stack, status: "failed", error: `terraform plan failed:\n${errorSummary(planned.step)}` };
  }
  const shown = await progress.step(stack, "show -json", () => terraform.showJson(dir, planFile), (r) => (r.code === 0 ? "done" : "failed"));
  if (shown.code !== 0) return { stack, status: "failed", error: `terraform show -json failed:\n${errorSummary(shown)}` };
  const jsonFile = path.join(outDir, `${stack}.plan.json`);
  fs.writeFileSync(jsonFile, shown.stdout);
  const parsed = parsePlanJson(shown.stdout, path.basename(jsonFile));
  return { stack, status: planned.outcome, summary: summarizePlan(parsed, path.basename(jsonFile)), facts: planFacts(parsed) };
}

type CliEnv = Readonly<Record<string, string | undefined>>;

/** The cost section of the pull-request comment; a failed estimate is reported there, never fails the plan. */
async function costMarkdown(ctx: CliContext, stacks: readonly string[], baseRef: string | undefined): Promise<string> {
  try {
    const report = await costReport(ctx, stacks, baseRef);
    return renderCostMarkdown(report.head, report.diff);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.stderr.write(`cost estimate unavailable: ${reason}\n`);
    return `## Fly.io cost estimate\n\nUnavailable: ${reason.split("\n")[0]}`;
  }
}
