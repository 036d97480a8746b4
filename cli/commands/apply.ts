import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { Progress } from "../progress";
import { type ManifestStack, readManifest, selectStacks } from "../stacks";
import { missingVariables, readStackFile } from "../stack-files";
import { placeholderSecrets } from "../plan-secrets";
import { terraformFor } from "../terraform-binary";
import { errorSummary, isStalePlanError } from "../../src/features/terraform/terraform";
import { PlanJsonError } from "../../src/features/plan/plan-json";
import { isStatefulType, STATEFUL_TYPE_NAMES, summarizePlan, type PlanSummary } from "../../src/features/plan/summarize";
import { planHeadline } from "../../src/features/plan/markdown";
import { classifyActions, isDestructive } from "../../src/features/plan/actions";
import { currentCommit, readSavedPlan, type SavedPlan, stampProblems } from "../plan-file";
import { BUNDLE_FILE, SealError, unsealInto, verificationFrom } from "../plan-crypto";
import { DEFAULT_SIGNING_PUBLIC_KEY } from "../plan-signature";
import { appendApplyRun, type StackOutcome } from "../apply-record";
import { type StateChanges, stateChanges, stateResources, type StateResource } from "../../src/features/terraform/state-changes";
import type { Terraform } from "../../src/features/terraform/terraform";
import { mapLimit, MAX_PARALLEL, parseParallel } from "../parallel";
import { pluginCacheProblem, StackInits } from "../stack-init";
import { fileDigest } from "../../src/features/synth/synthesis-record";

export const apply: Command = {
  name: "apply",
  summary: "Apply exactly the saved plans, in stack dependency order",
  help: `Usage: flystack apply --plans DIR [STACK…] [--allow-destroy ADDRESS]… [--decrypt-with KEY]
                     [--verify-with PUBKEY | --allow-unsigned] [--allow-any-commit] [--parallel N]
                     [--terraform BIN]

Applies the saved plans DIR/<stack>.tfplan written by "flystack plan", exactly as reviewed: it never
synthesizes and never plans again. Needs cdktf.out/ from the same run as the plans (Terraform's
working folders; nothing checked is read from it).

Arguments:
  STACK…                   Stacks to apply; globs work. Default: every stack with a plan in DIR.
Options:
  --plans DIR              Folder of the saved plans (required).
  --allow-destroy ADDRESS  In a protected environment, allow this delete or replace of a stateful
                           resource (${STATEFUL_TYPE_NAMES.join(", ")}).
                           Repeat for each address. Without it such a plan is refused.
  --decrypt-with KEY       First open DIR/${BUNDLE_FILE} (flystack plan --encrypt-to) with the RSA
                           private key KEY, a PEM file or env:NAME (as "flystack unseal" does),
                           after verifying its signature (flystack sign); refused unless it verifies.
  --verify-with PUBKEY     With --decrypt-with: the Ed25519 public key the bundle must be signed
                           with. Default: ${DEFAULT_SIGNING_PUBLIC_KEY}, as committed.
  --allow-unsigned         With --decrypt-with: open a bundle without a signature (one you sealed yourself).
  --allow-any-commit       Skip the check that each plan was made from the commit checked out.
  --parallel N             Check and apply up to N stacks at once (1 to ${MAX_PARALLEL}; default 1). A stack
                           starts only after the stacks it depends on applied; after a failure no
                           further stack starts (those running finish), as with 1.
  --terraform BIN          Terraform binary. Default: $TERRAFORM_BINARY_NAME or terraform.
  --help                   Show this help.

The saved plan is the truth: everything checked comes from "terraform show -json" of the .tfplan
about to be applied, never from <stack>.plan.json or cdktf.out. Before applying anything, every
selected stack is initialised and its plan read, and the whole apply is refused when any plan:
  - carries no flystack stamp (it was not made by "flystack plan");
  - was made for another stack or environment than the one it is applied as (a renamed plan file);
  - was made from another commit than the one checked out (git HEAD). When only one side is a git
    checkout this is refused too; when neither is, it is said and allowed. --allow-any-commit skips it;
  - was made from another synthesis of the stack than the cdk.tf.json in cdktf.out (the stamp's
    digest; plans stamped before flystack recorded syntheses carry none);
  - needs secret variables (TF_VAR_<app>_<NAME>) that are not set again;
  - deletes or replaces a stateful resource in an environment its own stamp says is protected,
    unless each such address is named with --allow-destroy.
Stacks are then applied in dependency order, stopping at the first failure. A stale plan (the
state changed since planning) is refused by Terraform: plan again.
Appends this run's record to DIR/applied.md (earlier runs stay) and prints it: per stack, what
Terraform's state shows was created, changed, replaced or destroyed, read from the state before and
after its apply, so a failed or interrupted apply says what it did apply.

Exit codes: 0 every selected plan applied; 1 refused or failed.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, {
      plans: { kind: "string" },
      "allow-destroy": { kind: "list" },
      "allow-any-commit": { kind: "boolean" },
      "decrypt-with": { kind: "string" },
      "verify-with": { kind: "string" },
      "allow-unsigned": { kind: "boolean" },
      terraform: { kind: "string" },
      parallel: { kind: "string" },
    });
    if (!options.plans) throw new UsageError("--plans DIR is required: the folder \"flystack plan\" wrote");
    const parallel = parseParallel(options.parallel);
    const cacheProblem = pluginCacheProblem(ctx.env);
    if (cacheProblem) {
      ctx.stderr.write(`flystack apply: refused, nothing was applied: ${cacheProblem}\n`);
      return EXIT.error;
    }
    const plansDir = path.resolve(ctx.cwd, options.plans);
    if (!fs.existsSync(plansDir)) throw new UsageError(`--plans ${options.plans}: no such folder`);
    if (options["decrypt-with"]) {
      try {
        const verification = verificationFrom(ctx, { verifyWith: options["verify-with"], allowUnsigned: options["allow-unsigned"] });
        const count = await unsealInto(ctx, plansDir, options["decrypt-with"], verification);
        ctx.stderr.write(`unsealed ${count} files from ${path.join(options.plans, BUNDLE_FILE)}\n`);
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
        ctx.stderr.write(`flystack apply: refused, nothing was applied: ${error.message}\n`);
        return EXIT.error;
      }
    }

    const all = readManifest(path.join(ctx.cwd, "cdktf.out"));
    const hasPlan = (s: ManifestStack) => fs.existsSync(path.join(plansDir, `${s.name}.tfplan`));
    let stacks = selectStacks(all, positionals);
    if (positionals.length === 0) stacks = stacks.filter(hasPlan);
    if (stacks.length === 0) {
      ctx.stderr.write(`flystack apply: no saved plan in ${options.plans} (expected <stack>.tfplan from "flystack plan")\n`);
      return EXIT.error;
    }

    const started = new Date();
    const terraform = terraformFor(ctx, options.terraform);
    const progress = new Progress(ctx.stderr);
    const commit = await currentCommit(ctx);
    if (!commit) ctx.stderr.write("not a git checkout: a plan stamped with a commit is refused (unless --allow-any-commit)\n");

    // Check every stack before applying any: a refusal must not leave half an environment applied.
    // Reading a plan needs an initialised working folder; init changes no infrastructure.
    const allowed = new Set(options["allow-destroy"]);
    const planned = new Map<string, PlanSummary>();
    const inits = new StackInits(ctx, terraform, progress, ctx.env, parallel > 1 && stacks.length > 1);
    const checked = await mapLimit(stacks, parallel, async (stack): Promise<string[]> => {
      const problems: string[] = [];
      const planFile = path.join(plansDir, `${stack.name}.tfplan`);
      if (!fs.existsSync(planFile)) return [`${stack.name}: no saved plan ${path.relative(ctx.cwd, planFile)}`];
      const init = await inits.init(stack.name, stack.dir);
      if (init.code !== 0) return [`${stack.name}: terraform init failed:\n${errorSummary(init)}`];
      const shown = await progress.step(stack.name, "read the saved plan", () => terraform.showJson(stack.dir, planFile), (r) => (r.code === 0 ? "done" : "failed"));
      if (shown.code !== 0) return [`${stack.name}: terraform show -json of the saved plan failed (not a plan of this Terraform, or corrupt):\n${errorSummary(shown)}`];
      let saved: SavedPlan;
      try {
        saved = readSavedPlan(shown.stdout, path.basename(planFile));
      } catch (error) {
        if (!(error instanceof PlanJsonError) && !(error instanceof SyntaxError)) throw error;
        return [`${stack.name}: the saved plan does not read as a Terraform plan: ${error.message}`];
      }
      const summary = summarizePlan(saved.plan, path.basename(planFile));
      planned.set(stack.name, summary);
      const synthesized = path.join(stack.dir, "cdk.tf.json");
      problems.push(
        ...stampProblems(saved, {
          stack: stack.name,
          environment: readStackFile(stack.dir).metadata?.environment,
          commit,
          allowAnyCommit: options["allow-any-commit"],
          ...(fs.existsSync(synthesized) ? { synthesizedDigest: fileDigest(synthesized) } : {}),
        }).map((p) => `${stack.name}: ${p}`),
      );
      const missing = missingVariables({ requiredVariables: saved.requiredVariables }, ctx.env);
      if (missing.length > 0) problems.push(`${stack.name}: secret variables not set: ${missing.join(", ")}`);
      const placeholders = placeholderSecrets(stack.dir, ctx.env);
      if (placeholders.length > 0) problems.push(`${stack.name}: secret variables hold the plan placeholder, not a secret: ${placeholders.join(", ")}`);
      if (saved.stamp?.protected) {
        const destroys = summary.resources.filter((r) => isStatefulType(r.type) && isDestructive(classifyActions(r.actions)));
        const unallowed = destroys.filter((r) => !allowed.has(r.address));
        if (unallowed.length > 0) {
          problems.push(
            `${stack.name}: the plan deletes or replaces stateful resources in the protected environment "${saved.stamp.environment}": ` +
              `${unallowed.map((r) => `${r.address} (${r.actions.join(", ")})`).join("; ")}. ` +
              `If that is intended, name each with --allow-destroy ADDRESS.`,
          );
        }
      }
      return problems;
    });
    const problems = checked.flat();
    if (problems.length > 0) {
      ctx.stderr.write(`flystack apply: refused, nothing was applied:\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
      appendApplyRun(plansDir, { at: started, stacks: [], refused: problems });
      return EXIT.error;
    }

    const applied = await inDependencyOrder(stacks, parallel, async (stack): Promise<{ outcome: StackOutcome; failure?: string }> => {
      const planFile = path.join(plansDir, `${stack.name}.tfplan`);
      // The state before and after: what the apply did, whatever its exit code says.
      const before = await readState(terraform, stack.dir);
      const result = await progress.step(stack.name, "apply", () => terraform.apply(stack.dir, planFile, (line) => progress.note(stack.name, line)), (r) => (r.code === 0 ? "applied" : "failed"));
      const after = await readState(terraform, stack.dir);
      const changes: StateChanges | undefined = "resources" in before && "resources" in after ? stateChanges(before.resources, after.resources) : undefined;
      const unreadable = "error" in before ? before.error : "error" in after ? after.error : undefined;
      if (result.code === 0) return { outcome: { stack: stack.name, status: "applied", headline: planHeadline(planned.get(stack.name)!), ...(changes ? { changes } : {}) } };
      const stale = isStalePlanError(result.stderr);
      const interrupted = ctx.runner.interruption?.interrupted ?? false;
      // A canary gate (constructs/canary-gate.ts) that failed: Terraform names its null_resource.
      const canary = !stale && !interrupted && /with null_resource\.[\w-]+_canary_gate\b/.test(result.stderr);
      const failure = stale
        ? `${stack.name}: the saved plan is stale: the state changed after it was made. Nothing of it was applied; run "flystack plan" again and have the new plan reviewed.`
        : interrupted
          ? `${stack.name}: terraform apply was interrupted; what it had applied is in the state (listed above).`
          : canary
            ? `${stack.name}: the canary gate failed: the canary was judged worse than the rest of its group, which stays on the old release (docs/runbook.md, "A failed canary").`
            : `${stack.name}: terraform apply failed:\n${errorSummary(result)}`;
      return {
        outcome: { stack: stack.name, status: stale ? "stale" : interrupted ? "interrupted" : canary ? "canary failed" : "failed", ...(changes ? { changes } : { stateUnreadable: unreadable }) },
        failure,
      };
    });
    const outcomes: StackOutcome[] = applied.map((a, i) => a?.outcome ?? { stack: stacks[i].name, status: "not attempted" });
    const failures = applied.flatMap((a) => (a?.failure ? [a.failure] : []));
    const failure = failures.length > 0 ? failures.join("\n") : undefined;

    const report = appendApplyRun(plansDir, { at: started, stacks: outcomes, failure });
    ctx.stdout.write(`${report}\n`);
    if (failure) ctx.stderr.write(`flystack apply: ${failure}\n`);
    return failure ? EXIT.error : EXIT.ok;
  },
};

/**
 * `work` on each stack, up to `limit` at once, each only after the stacks it depends on (among
 * `stacks`) succeeded; after a failure (`failure` set) no further stack starts. The results in the
 * stacks' order; undefined for a stack never started. `stacks` come in dependency order.
 */
async function inDependencyOrder<T extends { failure?: string }>(stacks: readonly ManifestStack[], limit: number, work: (stack: ManifestStack) => Promise<T>): Promise<(T | undefined)[]> {
  const results: (T | undefined)[] = new Array(stacks.length).fill(undefined);
  const names = new Set(stacks.map((s) => s.name));
  const succeeded = new Set<string>();
  const pending = stacks.map((_, i) => i);
  let running = 0;
  let stopped = false;
  return new Promise((resolve, reject) => {
    const launch = () => {
      for (let k = 0; !stopped && running < limit && k < pending.length; ) {
        const i = pending[k];
        const stack = stacks[i];
        if (!stack.dependencies.every((d) => !names.has(d) || succeeded.has(d))) {
          k++;
          continue;
        }
        pending.splice(k, 1);
        running++;
        work(stack).then((result) => {
          results[i] = result;
          running--;
          if (result.failure === undefined) succeeded.add(stack.name);
          else stopped = true;
          launch();
        }, reject);
      }
      if (running === 0) resolve(results);
    };
    launch();
  });
}

/** The stack's state resources, or why they could not be read. */
async function readState(terraform: Terraform, dir: string): Promise<{ resources: Map<string, StateResource> } | { error: string }> {
  try {
    const shown = await terraform.stateJson(dir);
    if (shown.code !== 0) return { error: `terraform show -json exited ${shown.code}` };
    return { resources: stateResources(shown.stdout) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
