import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { Progress } from "../progress";
import { type ManifestStack, readManifest, selectStacks } from "../stacks";
import { missingVariables, readStackFile } from "../stack-files";
import { terraformFor } from "../terraform-binary";
import { errorSummary, isStalePlanError } from "../../terraform/terraform";
import { parsePlanJson } from "../../plan/plan-json";
import { isStatefulType, summarizePlan, type PlanSummary } from "../../plan/summarize";
import { planHeadline } from "../../plan/markdown";
import { classifyActions, isDestructive } from "../../plan/actions";

export const apply: Command = {
  name: "apply",
  summary: "Apply exactly the saved plans, in stack dependency order",
  help: `Usage: flystack apply --plans DIR [STACK…] [--allow-destroy ADDRESS]… [--terraform BIN]

Applies the saved plans DIR/<stack>.tfplan written by "flystack plan", exactly as reviewed: it never
synthesizes and never plans again. Needs cdktf.out/ from the same run as the plans.

Arguments:
  STACK…                   Stacks to apply; globs work. Default: every stack with a plan in DIR.
Options:
  --plans DIR              Folder of the saved plans (required).
  --allow-destroy ADDRESS  In a protected environment, allow this delete or replace of a stateful
                           resource (fly_volume, fly_app, fly_cert, cloudflare_dns_record).
                           Repeat for each address. Without it such a plan is refused.
  --terraform BIN          Terraform binary. Default: $TERRAFORM_BINARY_NAME or terraform.
  --help                   Show this help.

Before applying anything, every selected stack is checked: its plan and plan JSON exist, its
secret variables (TF_VAR_<app>_<NAME>) are set again, and no unallowed destroy is planned in a
protected environment. Stacks are then applied in dependency order, stopping at the first failure.
A stale plan (the state changed since planning) is refused by Terraform: plan again.
Writes DIR/applied.md and prints it.

Exit codes: 0 every selected plan applied; 1 refused or failed.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, {
      plans: { kind: "string" },
      "allow-destroy": { kind: "list" },
      terraform: { kind: "string" },
    });
    if (!options.plans) throw new UsageError("--plans DIR is required: the folder \"flystack plan\" wrote");
    const plansDir = path.resolve(ctx.cwd, options.plans);
    if (!fs.existsSync(plansDir)) throw new UsageError(`--plans ${options.plans}: no such folder`);

    const all = readManifest(path.join(ctx.cwd, "cdktf.out"));
    const hasPlan = (s: ManifestStack) => fs.existsSync(path.join(plansDir, `${s.name}.tfplan`));
    let stacks = selectStacks(all, positionals);
    if (positionals.length === 0) stacks = stacks.filter(hasPlan);
    if (stacks.length === 0) {
      ctx.stderr.write(`flystack apply: no saved plan in ${options.plans} (expected <stack>.tfplan from "flystack plan")\n`);
      return EXIT.error;
    }

    // Check every stack before applying any: a refusal must not leave half an environment applied.
    const allowed = new Set(options["allow-destroy"]);
    const problems: string[] = [];
    const planned = new Map<string, PlanSummary>();
    for (const stack of stacks) {
      const planFile = path.join(plansDir, `${stack.name}.tfplan`);
      const jsonFile = path.join(plansDir, `${stack.name}.plan.json`);
      if (!fs.existsSync(planFile)) {
        problems.push(`${stack.name}: no saved plan ${path.relative(ctx.cwd, planFile)}`);
        continue;
      }
      if (!fs.existsSync(jsonFile)) {
        problems.push(`${stack.name}: no ${path.relative(ctx.cwd, jsonFile)} beside the plan; it is needed to check what the plan destroys`);
        continue;
      }
      const summary = summarizePlan(parsePlanJson(fs.readFileSync(jsonFile, "utf8"), jsonFile), path.basename(jsonFile));
      planned.set(stack.name, summary);
      const stackFile = readStackFile(stack.dir);
      const missing = missingVariables(stackFile, ctx.env);
      if (missing.length > 0) problems.push(`${stack.name}: secret variables not set: ${missing.join(", ")}`);
      if (stackFile.metadata?.protected) {
        const destroys = summary.resources.filter((r) => isStatefulType(r.type) && isDestructive(classifyActions(r.actions)));
        const unallowed = destroys.filter((r) => !allowed.has(r.address));
        if (unallowed.length > 0) {
          problems.push(
            `${stack.name}: the plan deletes or replaces stateful resources in the protected environment "${stackFile.metadata.environment}": ` +
              `${unallowed.map((r) => `${r.address} (${r.actions.join(", ")})`).join("; ")}. ` +
              `If that is intended, name each with --allow-destroy ADDRESS.`,
          );
        }
      }
    }
    if (problems.length > 0) {
      ctx.stderr.write(`flystack apply: refused, nothing was applied:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
      return EXIT.error;
    }

    const terraform = terraformFor(ctx, options.terraform);
    const progress = new Progress(ctx.stderr);
    const applied: string[] = [];
    let failure: string | undefined;
    for (const stack of stacks) {
      const planFile = path.join(plansDir, `${stack.name}.tfplan`);
      const init = await progress.step(stack.name, "init", () => terraform.init(stack.dir), (r) => (r.code === 0 ? "done" : "failed"));
      if (init.code !== 0) {
        failure = `${stack.name}: terraform init failed:\n${errorSummary(init)}`;
        break;
      }
      const result = await progress.step(stack.name, "apply", () => terraform.apply(stack.dir, planFile), (r) => (r.code === 0 ? "applied" : "failed"));
      if (result.code !== 0) {
        failure = isStalePlanError(result.stderr)
          ? `${stack.name}: the saved plan is stale: the state changed after it was made. Nothing of it was applied; run "flystack plan" again and have the new plan reviewed.`
          : `${stack.name}: terraform apply failed:\n${errorSummary(result)}`;
        break;
      }
      applied.push(`- **${stack.name}**: ${planHeadline(planned.get(stack.name)!)}`);
    }

    const notApplied = stacks.slice(applied.length + (failure ? 1 : 0)).map((s) => s.name);
    const report = [
      "## flystack apply",
      "",
      applied.length > 0 ? applied.join("\n") : "Nothing was applied.",
      ...(failure ? ["", "**Failed**", "", "```", failure, "```"] : []),
      ...(notApplied.length > 0 ? ["", `Not attempted after the failure: ${notApplied.join(", ")}.`] : []),
    ].join("\n");
    fs.writeFileSync(path.join(plansDir, "applied.md"), `${report}\n`);
    ctx.stdout.write(`${report}\n`);
    if (failure) ctx.stderr.write(`flystack apply: ${failure}\n`);
    return failure ? EXIT.error : EXIT.ok;
  },
};
