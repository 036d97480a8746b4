import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { Progress } from "../progress";
import { synthesize } from "../synth";
import { readManifest, selectStacks } from "../stacks";
import { missingVariables, readStackFile } from "../stack-files";
import { planTimeEnvironment } from "../plan-secrets";
import { terraformFor } from "../terraform-binary";
import { errorSummary, type Terraform } from "../../src/features/terraform/terraform";
import { parsePlanJson, type TerraformPlan } from "../../src/features/plan/plan-json";
import { type DriftAudit, driftAudit, renderDriftMarkdown, type StackDrift, stackDrift, stackError, withAudit } from "../../src/features/drift/report";
import { auditStack } from "../../src/features/audit/audit";
import { flyClientFromEnv } from "../fly-client";
import { mapLimit, MAX_PARALLEL, parseParallel } from "../parallel";
import { pluginCacheProblem, StackInits } from "../stack-init";
import { InterruptedError } from "../../src/process/signals";

export const drift: Command = {
  name: "drift",
  summary: "Detect changes made outside Terraform and code not yet applied",
  help: `Usage: flystack drift [STACK…] [--report FILE] [--json] [--skip-synth] [--terraform BIN]
                      [--no-audit | --require-audit] [--parallel N]

Per stack: a refresh-only plan (what changed outside Terraform) and a normal plan (code not yet
applied), both with -detailed-exitcode, and the audit of "flystack audit" (what Fly's API shows
against the synthesized stack: env, services, guest, mounts, unmanaged machines… which Terraform's
refresh does not see). Nothing is applied and no state is written.
Changes Fly makes by design (a machine's state under autostop, a new instance_id, a volume's
attachment, certificate renewal fields) are listed as Fly-managed, not drift. Drift the
environment accepts (acceptedDrift, recorded in cdk.tf.json at synthesis) is listed as accepted
until its expiry date has passed; then it is drift again. An acceptedDrift entry also covers the
audit findings whose resource is its address (and whose field lies under its field, when given).

Arguments:
  STACK…             Stacks to check; globs work. Default: every stack.
Options:
  --report FILE      Also write the Markdown report to FILE.
  --json             Print { stacks: [ { stack, status, drift, pending, reverts, noise, accepted,
                     audit: { status, findings, accepted?, reason?, error? }, error? } ] } instead of Markdown.
  --skip-synth       Check the stacks already in cdktf.out.
  --terraform BIN    Terraform binary. Default: $TERRAFORM_BINARY_NAME or terraform.
  --no-audit         Skip the audit (Terraform's plans only).
  --require-audit    Without FLY_API_TOKEN, fail (exit 1) instead of skipping the audit.
  --parallel N       Check up to N stacks at once (1 to ${MAX_PARALLEL}; default 1); the report lists them in
                     order either way. One stack's error never stops the others.
  --help             Show this help.

Environment:
  FLY_API_TOKEN      Read access to the apps, for the audit. Unset: the audit is skipped (reported).
  FLYSTACK_FLY_API_URL and the retry variables: as for flystack audit.

Exit codes: 0 no drift and nothing pending (Fly-managed and accepted changes allowed); 2 drift or
pending code or audit findings; 1 an error in either (never read as "no drift").`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, {
      report: { kind: "string" },
      json: { kind: "boolean" },
      "skip-synth": { kind: "boolean" },
      terraform: { kind: "string" },
      "no-audit": { kind: "boolean" },
      "require-audit": { kind: "boolean" },
      parallel: { kind: "string" },
    });
    const parallel = parseParallel(options.parallel);
    const cacheProblem = pluginCacheProblem(ctx.env);
    if (cacheProblem) {
      ctx.stderr.write(`flystack drift: ${cacheProblem}\n`);
      return EXIT.error;
    }
    if (!options["skip-synth"] && !(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
    const stacks = selectStacks(readManifest(path.join(ctx.cwd, "cdktf.out")), positionals);
    // Drift needs no secret values: their variables get a placeholder (see plan-secrets.ts).
    const env = planTimeEnvironment(stacks.map((s) => s.dir), ctx.env);
    const terraform = terraformFor({ ...ctx, env }, options.terraform);
    const progress = new Progress(ctx.stderr);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-drift-"));
    const inits = new StackInits(ctx, terraform, progress, env, parallel > 1 && stacks.length > 1);
    let results: StackDrift[] = [];
    const now = new Date();
    try {
      const client = options["no-audit"] ? undefined : flyClientFromEnv(ctx, "drift");
      const skipped: DriftAudit | undefined = options["no-audit"]
        ? { status: "skipped", findings: [], reason: "--no-audit" }
        : client
          ? undefined
          : options["require-audit"]
            ? { status: "error", findings: [], error: "FLY_API_TOKEN is not set and --require-audit was given" }
            : { status: "skipped", findings: [], reason: "FLY_API_TOKEN is not set" };
      if (skipped && skipped.status === "skipped" && !options["no-audit"]) ctx.stderr.write("drift: FLY_API_TOKEN is not set: the audit is skipped (Terraform's plans only)\n");
      const checked = await mapLimit(stacks, parallel, async (stack): Promise<StackDrift | undefined> => {
        if (ctx.runner.interruption?.interrupted) return undefined;
        let result: StackDrift;
        try {
          result = await checkStack(stack.name, stack.dir, work, terraform, progress, env, now, inits);
        } catch (error) {
          // One stack's surprise never stops the others (an interruption still ends the run).
          if (parallel === 1 || error instanceof InterruptedError) throw error;
          return withAudit(stackError(stack.name, error instanceof Error ? error.message : String(error)), { status: "skipped", findings: [], reason: "the stack's check failed" });
        }
        let audit = skipped;
        if (!audit && client) {
          const json: unknown = JSON.parse(fs.readFileSync(path.join(stack.dir, "cdk.tf.json"), "utf8"));
          const raw = await progress.step(stack.name, "audit", () => auditStack(stack.name, json, client, now), (r) => r.status);
          audit = driftAudit(raw, readStackFile(stack.dir).metadata?.acceptedDrift ?? [], now);
          if (audit.findings.length > 0) progress.note(stack.name, `audit: ${audit.findings.length} finding(s)${audit.accepted ? `, ${audit.accepted.length} accepted` : ""}`);
        }
        return withAudit(result, audit!);
      });
      results = checked.filter((r): r is StackDrift => r !== undefined);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }

    const markdown = renderDriftMarkdown(results);
    if (options.report) fs.writeFileSync(path.resolve(ctx.cwd, options.report), `${markdown}\n`);
    ctx.stdout.write(options.json ? `${JSON.stringify({ stacks: results }, null, 2)}\n` : `${markdown}\n`);
    if (results.some((r) => r.status === "error")) return EXIT.error;
    return results.some((r) => r.status === "drift") ? EXIT.changes : EXIT.ok;
  },
};

async function checkStack(
  stack: string,
  dir: string,
  work: string,
  terraform: Terraform,
  progress: Progress,
  env: Readonly<Record<string, string | undefined>>,
  now: Date,
  inits: StackInits,
): Promise<StackDrift> {
  const stackFile = readStackFile(dir);
  const missing = missingVariables(stackFile, env);
  if (missing.length > 0) return stackError(stack, `secret variables not set: ${missing.join(", ")}`);
  const init = await inits.init(stack, dir);
  if (init.code !== 0) return stackError(stack, `terraform init failed:\n${errorSummary(init)}`);

  const plans: TerraformPlan[] = [];
  for (const refreshOnly of [true, false]) {
    const label = refreshOnly ? "refresh-only plan" : "plan";
    const planFile = path.join(work, `${stack}.${refreshOnly ? "refresh" : "normal"}.tfplan`);
    const planned = await progress.step(stack, label, () => terraform.plan(dir, planFile, refreshOnly), (r) => r.outcome);
    if (planned.outcome === "error") return stackError(stack, `terraform ${label} failed:\n${errorSummary(planned.step)}`);
    const shown = await terraform.showJson(dir, planFile);
    if (shown.code !== 0) return stackError(stack, `terraform show -json failed:\n${errorSummary(shown)}`);
    plans.push(parsePlanJson(shown.stdout, `${stack} ${label}`));
  }
  const result = stackDrift(stack, plans[0], plans[1], { acceptedDrift: stackFile.metadata?.acceptedDrift, now });
  const besides = [result.accepted.length > 0 ? `${result.accepted.length} accepted` : "", result.noise.length > 0 ? `${result.noise.length} Fly-managed` : ""].filter(Boolean).join(", ");
  progress.note(stack, `${result.status === "clean" ? "no drift" : `${result.drift.length} drifted, ${result.pending.length} pending`}${besides ? ` (${besides})` : ""}`);
  return result;
}
