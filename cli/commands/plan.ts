import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { Progress } from "../progress";
import { synthesize } from "../synth";
import { readManifest, selectStacks } from "../stacks";
import { missingVariables, readStackFile } from "../stack-files";
import { planTimeEnvironment } from "../plan-secrets";
import { currentCommit, type PlanSynthesis, writeStamp } from "../plan-file";
import { assertKeyGiven, BUNDLE_FILE, collectBundle, SealError, sealBundle } from "../plan-crypto";
import { terraformFor } from "../terraform-binary";
import { errorSummary, type Terraform } from "../../src/features/terraform/terraform";
import { parsePlanJson } from "../../src/features/plan/plan-json";
import { summarizePlan } from "../../src/features/plan/summarize";
import { planFacts } from "../../src/features/plan/facts";
import { costReport } from "../cost-report";
import type { SynthesizedRevision } from "../base-revision";
import { assertCommit, compareWithRevision, synthesizeChangedSince, type StackChanges } from "../changed-stacks";
import { mapLimit, MAX_PARALLEL, parseParallel } from "../parallel";
import { pluginCacheProblem, StackInits } from "../stack-init";
import { resolveCommit } from "../base-revision";
import { fileDigest, readRecord, type SynthesisRecord, SynthesisRecordError } from "../../src/features/synth/synthesis-record";
import { type CostData, removedReason, type StackPlanResult, unchangedReason, writeSummary } from "../plan-summary";
import type { CliContext } from "../command";
import { auditStack } from "../../src/features/audit/audit";
import { driftAudit } from "../../src/features/drift/report";
import type { FlyClient } from "../../src/fly/api/client";
import { flyClientFromEnv } from "../fly-client";
import { InterruptedError } from "../../src/process/signals";

/** Audit fields of a machine's config that only a replacement puts back (Terraform's refresh does not see them). */
const RECONCILED = /^(image|guest\.|env$|services$|checks|restart\.|mounts$|containers)/;

export type { StackPlanResult } from "../plan-summary";

export const plan: Command = {
  name: "plan",
  summary: "Synthesize, then plan each stack and save the plans for review and apply",
  help: `Usage: flystack plan [STACK…] [--out DIR] [--skip-synth] [--marker LABEL] [--encrypt-to KEY] [--terraform BIN]
                     [--reconcile] [--changed-since REF] [--cost-base REF [--base-from DIR]] [--parallel N]

Synthesizes every environment (unless --skip-synth), then for each selected stack in
cdktf.out/stacks/<stack>: terraform init, plan -detailed-exitcode -lock-timeout=5m -out, show -json,
and show (the whole plan as text, for the comment).

Arguments:
  STACK…             Stacks to plan; globs such as "production*" work. Default: every stack.
Options:
  --out DIR          Where plans and summaries go. Default: plans
  --skip-synth       Plan the stacks already in cdktf.out (as listed in its manifest.json), as synthesized:
                     when cdktf.out has flystack's synthesis record, a stack whose cdk.tf.json changed
                     since is not planned (it fails), and a synthesis of another commit than the one
                     checked out is refused.
  --marker LABEL     Hidden marker on summary.md's first line, <!-- flystack-plan:LABEL -->, so a
                     workflow can find and update its pull-request comment. Default: the stacks' names.
  --cost-base REF    Add the monthly cost change against git revision REF (e.g. origin/main) to
                     summary.md, for the stacks planned. Without it, summary.md carries the cost estimate alone.
  --base-from DIR    REF's synthesis, already made (DIR/manifest.json…, as "flystack stacks --artifact"
                     writes DIR/base.out), for --cost-base REF instead of synthesizing REF again. Its
                     synthesis record must name REF's commit.
  --encrypt-to KEY   Seal the plans for apply: DIR/<stack>.tfplan, DIR/<stack>.plan.json and cdktf.out/
                     (without .terraform/) go into DIR/${BUNDLE_FILE}, encrypted with openssl to the RSA
                     public key KEY (a PEM file, or env:NAME for a PEM in $NAME), and the plaintext
                     plan files are removed from DIR. "flystack unseal" or "flystack apply
                     --decrypt-with" opens it with the private key.
  --terraform BIN    Terraform binary (terraform, tofu, or a path). Default: $TERRAFORM_BINARY_NAME or terraform.
  --changed-since REF
                     Plan only the stacks whose synthesized JSON (cdktf.out/stacks/<stack>/cdk.tf.json)
                     differs from the one git revision REF synthesizes (in a temporary worktree, as
                     cost --base does), and stacks REF does not have. Exact, whatever file changed:
                     only the checkout's own path may differ. The summaries list the stacks skipped as
                     unchanged, and stacks REF has that no longer exist (never planned: nothing
                     destroys their resources). REF not a commit: exit 1.
  --parallel N       Plan up to N stacks at once (1 to ${MAX_PARALLEL}; default 1). Progress lines keep their
                     [stack] prefix; results, summaries and exit code are as with 1. With a Terraform
                     plugin cache (TF_PLUGIN_CACHE_DIR or plugin_cache_dir), which is not safe for
                     concurrent use, the stacks' terraform init runs one at a time.
                     With a plugin cache, every stack starts from one dependency lock file (the committed
                     ${"providers/terraform.lock.hcl"}, else the first stack's), so each provider is installed once
                     and every cached one is checked against the lock; docs/deploying.md, "Plugin cache".
  --reconcile        Put back what was changed with flyctl: run the audit first (needs FLY_API_TOKEN;
                     FLYSTACK_FLY_API_URL as for flystack audit) and plan with -replace=<address> for
                     every machine whose live image, guest, env, services, checks, restart, mounts
                     or containers differ from the declared ones, in the order the audit lists them
                     (each group's machines in order). A difference the environment accepts
                     (acceptedDrift, not expired) is kept, not replaced. Prints which machines are
                     replaced and why, and which accepted differences are kept (stderr).
  --help             Show this help.

Writes DIR/<stack>.tfplan, DIR/<stack>.plan.json, DIR/summary.md (one pull-request comment for all
stacks) and DIR/summary.json, and prints summary.md. The comment shows what changes on each updated,
replaced or imported resource (before → after; sensitive and write-only values masked, computed
attributes known only after apply counted, not listed), one row for resources that change alike
(a process group's machines: "api/web: 10 machines", the canary named), and each stack's whole
plan in a fold, trimmed first when the comment would pass GitHub's 65,536 characters.
summary.json carries the same changes per resource. Needs no secret value: the secrets' variables
(TF_VAR_<app>_<NAME>) get a placeholder, which Terraform never stores in a plan; apply needs the real ones.
Only summary.md and summary.json are fit to share: the plan files hold prior state and settings.

Each plan is stamped with its stack, environment, protection, the git commit checked out (HEAD) and
the synthesis it was made from (the synthesis record's id and commit, and the sha256 of the stack's
cdk.tf.json): before planning, flystack writes cdktf.out/stacks/<stack>/flystack-stamp.tf.json (a
variable whose default is that record), which Terraform embeds in the saved plan. "flystack apply"
reads it from the plan and refuses a plan applied under another stack's name, at another commit, or
with another synthesis of the stack in cdktf.out.

Exit codes: 0 every plan succeeded, with or without changes; 1 any failed (the others still run,
and the summary says which failed and why).`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, {
      out: { kind: "string" },
      "skip-synth": { kind: "boolean" },
      marker: { kind: "string" },
      "cost-base": { kind: "string" },
      "encrypt-to": { kind: "string" },
      terraform: { kind: "string" },
      reconcile: { kind: "boolean" },
      "changed-since": { kind: "string" },
      "base-from": { kind: "string" },
      parallel: { kind: "string" },
    });
    const parallel = parseParallel(options.parallel);
    if (options["base-from"] !== undefined && options["cost-base"] === undefined) throw new UsageError("--base-from goes with --cost-base REF (it is REF's synthesis)");
    const cacheProblem = pluginCacheProblem(ctx.env);
    if (cacheProblem) {
      ctx.stderr.write(`flystack plan: ${cacheProblem}\n`);
      return EXIT.error;
    }
    const changedSince = options["changed-since"];
    let client: FlyClient | undefined;
    if (options.reconcile) {
      client = flyClientFromEnv(ctx, "reconcile");
      if (!client) {
        ctx.stderr.write("flystack plan --reconcile needs FLY_API_TOKEN: a token with read access to the apps, for the audit.\n");
        return EXIT.error;
      }
    }
    if (options["encrypt-to"]) {
      try {
        assertKeyGiven(ctx, options["encrypt-to"], "public key");
      } catch (error) {
        if (error instanceof SealError) throw new UsageError(`--encrypt-to: ${error.message}`);
        throw error;
      }
    }
    if (changedSince !== undefined) await assertCommit(ctx, changedSince, "--changed-since");
    if (!options["skip-synth"] && !(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
    const selected = selectStacks(readManifest(path.join(ctx.cwd, "cdktf.out")), positionals);
    const synthesis = await synthesisToPlan(ctx, options["skip-synth"]);
    if (typeof synthesis === "string") {
      ctx.stderr.write(`flystack plan: ${synthesis}\n`);
      return EXIT.error;
    }
    const costBaseOut = options["base-from"] === undefined ? undefined : await baseFrom(ctx, options["base-from"], options["cost-base"]!);
    if (typeof costBaseOut === "object") {
      ctx.stderr.write(`flystack plan: ${costBaseOut.problem}\n`);
      return EXIT.error;
    }
    let base: SynthesizedRevision | undefined;
    try {
      let changes: StackChanges | undefined;
      if (changedSince !== undefined) {
        base = await synthesizeChangedSince(ctx, changedSince);
        changes = compareWithRevision(ctx, selected, base, changedSince, positionals);
        for (const name of changes.unchanged) ctx.stderr.write(`[${name}] ${unchangedReason(changedSince)}: not planned\n`);
        for (const name of changes.removed) ctx.stderr.write(`[${name}] ${removedReason(changedSince)}: not planned\n`);
        ctx.stderr.write(`${changes.changed.length} of ${selected.length} stacks changed since ${changedSince}${changes.changed.length > 0 ? `: ${changes.changed.map((s) => s.name).join(", ")}` : ""}\n`);
      }
      const stacks = changes?.changed ?? selected;
      const outDir = path.resolve(ctx.cwd, options.out ?? "plans");
      fs.mkdirSync(outDir, { recursive: true });
      // Plans need no secret values: their variables get a placeholder (see ../plan-secrets.ts).
      const env = planTimeEnvironment(stacks.map((s) => s.dir), ctx.env);
      const terraform = terraformFor({ ...ctx, env }, options.terraform);
      const progress = new Progress(ctx.stderr);
      // The commit is asked for once, and only when a stack gets as far as planning.
      let commit: Promise<string> | undefined;
      const stampCommit = () =>
        (commit ??= currentCommit(ctx).then((sha) => {
          if (!sha) ctx.stderr.write("not a git checkout: the plans are stamped without a commit\n");
          return sha ?? "";
        }));
      // One lock for the run's stacks, and with a plugin cache, inits that take turns (../stack-init.ts).
      const inits = new StackInits(ctx, terraform, progress, env, parallel > 1 && stacks.length > 1);
      if (inits.takesTurns) ctx.stderr.write(`the Terraform plugin cache ${inits.takesTurns} is not safe for concurrent init: the stacks initialize one at a time\n`);

      const results = await mapLimit(stacks, parallel, async (stack): Promise<StackPlanResult> => {
        try {
          const replace = client ? await reconcileAddresses(ctx, stack.name, stack.dir, client) : [];
          if (typeof replace === "string") {
            progress.note(stack.name, `failed: ${replace}`);
            return { stack: stack.name, status: "failed", error: replace };
          }
          return await planStack(stack.name, stack.dir, outDir, terraform, progress, env, stampCommit, inits, synthesis, replace);
        } catch (error) {
          // One stack's surprise never stops the others (an interruption still ends the run).
          if (parallel === 1 || error instanceof InterruptedError) throw error;
          const message = error instanceof Error ? error.message : String(error);
          progress.note(stack.name, `failed: ${message}`);
          return { stack: stack.name, status: "failed", error: message };
        }
      });

      const marker = `<!-- flystack-plan:${options.marker ?? selected.map((s) => s.name).join("+")} -->`;
      const cost = await costData(ctx, stacks.map((s) => s.name), options["cost-base"], costBaseOut ?? (options["cost-base"] === changedSince ? base?.outdir : undefined));
      const markdown = writeSummary(
        outDir,
        {
          stacks: results,
          ...(changes
            ? {
                changedSince: changes.ref,
                skipped: changes.unchanged.map((stack) => ({ stack, reason: unchangedReason(changes!.ref) })),
                removed: changes.removed.map((stack) => ({ stack, reason: removedReason(changes!.ref) })),
              }
            : {}),
          cost,
        },
        marker,
      );
      ctx.stdout.write(`${markdown}\n`);
      const failed = results.filter((r) => r.status === "failed");
      const sealed = options["encrypt-to"] && stacks.length > 0 ? await seal(ctx, outDir, options["encrypt-to"], stacks.map((s) => s.name)) : true;
      ctx.stderr.write(`plans and summaries in ${path.relative(ctx.cwd, outDir) || "."}/\n`);
      return failed.length > 0 || !sealed ? EXIT.error : EXIT.ok;
    } finally {
      await base?.cleanup();
    }
  },
};

async function planStack(
  stack: string,
  dir: string,
  outDir: string,
  terraform: Terraform,
  progress: Progress,
  env: CliEnv,
  stampCommit: () => Promise<string>,
  inits: StackInits,
  synthesis: SynthesisToPlan,
  replace: readonly string[] = [],
): Promise<StackPlanResult> {
  const stackFile = readStackFile(dir);
  const missing = missingVariables(stackFile, env);
  if (missing.length > 0) {
    const error = `secret variables not set: ${missing.join(", ")}`;
    progress.note(stack, `failed: ${error}`);
    return { stack, status: "failed", error };
  }
  // The stack as synthesized, or not at all: a cdk.tf.json changed since would be planned unreviewed.
  const digest = fileDigest(path.join(dir, "cdk.tf.json"));
  const recorded = synthesis?.stacks[stack]?.output;
  if (synthesis && recorded !== digest) {
    const error = recorded
      ? `cdktf.out/stacks/${stack}/cdk.tf.json changed after it was synthesized (synthesis ${synthesis.id.slice(0, 12)}): synthesize again, or plan without --skip-synth`
      : `cdktf.out's synthesis record (${synthesis.id.slice(0, 12)}) has no output for ${stack}: synthesize again, or plan without --skip-synth`;
    progress.note(stack, `failed: ${error}`);
    return { stack, status: "failed", error };
  }
  const stampSynthesis: PlanSynthesis | undefined = synthesis ? { id: synthesis.id, commit: synthesis.commit ?? "", digest } : undefined;
  // What apply checks travels inside the plan: see ../plan-file.ts.
  const { metadata } = stackFile;
  writeStamp(dir, { stack, environment: metadata?.environment ?? "", protected: metadata?.protected ?? false, commit: await stampCommit(), ...(stampSynthesis ? { synthesis: stampSynthesis } : {}) });
  const init = await inits.init(stack, dir);
  if (init.code !== 0) return { stack, status: "failed", error: `terraform init failed:\n${errorSummary(init)}` };

  const planFile = path.join(outDir, `${stack}.tfplan`);
  const planned = await progress.step(stack, "plan", () => terraform.plan(dir, planFile, false, replace), (r) => r.outcome);
  if (planned.outcome === "error") {
    fs.rmSync(planFile, { force: true });
    return { stack, status: "failed", error: `terraform plan failed:\n${errorSummary(planned.step)}` };
  }
  const shown = await progress.step(stack, "show -json", () => terraform.showJson(dir, planFile), (r) => (r.code === 0 ? "done" : "failed"));
  if (shown.code !== 0) return { stack, status: "failed", error: `terraform show -json failed:\n${errorSummary(shown)}` };
  const jsonFile = path.join(outDir, `${stack}.plan.json`);
  fs.writeFileSync(jsonFile, shown.stdout);
  const parsed = parsePlanJson(shown.stdout, path.basename(jsonFile));
  // The whole plan for the comment's fold; the comment is complete without it, so a failure only drops the fold.
  const text = planned.outcome === "changes" ? await progress.step(stack, "show", () => terraform.showText(dir, planFile), (r) => (r.code === 0 ? "done" : "failed (the comment leaves out the whole plan)")) : undefined;
  return {
    stack,
    status: planned.outcome,
    summary: summarizePlan(parsed, path.basename(jsonFile)),
    facts: planFacts(parsed),
    ...(metadata?.groups && metadata.groups.length > 0 ? { groups: metadata.groups } : {}),
    ...(text && text.code === 0 && text.stdout.trim() !== "" ? { planText: text.stdout } : {}),
  };
}

/**
 * `--reconcile`: the machines to replace, in the audit's order (declared order, so each group's
 * rolling order), printing why; a string when the audit failed.
 */
async function reconcileAddresses(ctx: CliContext, stack: string, dir: string, client: FlyClient): Promise<string[] | string> {
  const json: unknown = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
  ctx.stderr.write(`[${stack}] reconcile: auditing…\n`);
  const audit = await auditStack(stack, json, client);
  if (audit.status === "error") return `the audit failed, nothing planned: ${audit.error ?? "unknown error"}`;
  // A drift the environment accepts (acceptedDrift, not expired) is left running as it is.
  const judged = driftAudit(audit, readStackFile(dir).metadata?.acceptedDrift ?? [], new Date());
  for (const f of judged.accepted ?? []) ctx.stderr.write(`[${stack}] reconcile: keeping ${f.resource} ${f.field}: accepted until ${f.acceptedBy.map((a) => a.expires).join(", ")}\n`);
  const reasons = new Map<string, string[]>();
  for (const f of judged.findings) {
    if (f.severity !== "drift" || !f.resource.startsWith("fly_machine.") || !RECONCILED.test(f.field)) continue;
    const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    reasons.set(f.resource, [...(reasons.get(f.resource) ?? []), `${f.field}: ${show(f.actual)} (declared ${show(f.expected)})`]);
  }
  if (reasons.size === 0) ctx.stderr.write(`[${stack}] reconcile: no machine differs from the code\n`);
  for (const [address, why] of reasons) ctx.stderr.write(`[${stack}] reconcile: replacing ${address}: ${why.join("; ")}\n`);
  return [...reasons.keys()];
}

/**
 * Seals the plan files and cdktf.out into DIR/plan-bundle.enc, then removes the plaintext plan files
 * from DIR (also when sealing fails: nothing readable is left to upload). False when sealing failed.
 */
async function seal(ctx: CliContext, outDir: string, publicKey: string, stacks: readonly string[]): Promise<boolean> {
  const target = path.join(outDir, BUNDLE_FILE);
  const plaintext = stacks.flatMap((s) => [path.join(outDir, `${s}.tfplan`), path.join(outDir, `${s}.plan.json`)]);
  try {
    await sealBundle(ctx, collectBundle(plaintext, path.join(ctx.cwd, "cdktf.out")), publicKey, target);
    ctx.stderr.write(`sealed the plans and cdktf.out into ${path.relative(ctx.cwd, target)} (encrypted to ${publicKey})\n`);
    return true;
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    fs.rmSync(target, { force: true });
    ctx.stderr.write(`flystack plan: could not seal the plans: ${error.message}\n`);
    return false;
  } finally {
    for (const file of plaintext) fs.rmSync(file, { force: true });
  }
}

type CliEnv = Readonly<Record<string, string | undefined>>;

/** The synthesis the plans are made from: cdktf.out's record, undefined when it has none. */
type SynthesisToPlan = SynthesisRecord | undefined;

/**
 * cdktf.out's synthesis record, checked: with --skip-synth, a synthesis of another commit than the
 * one checked out is refused (the plan would be stamped with a commit whose code it does not show).
 * A string says why planning must not go on.
 */
async function synthesisToPlan(ctx: CliContext, skipSynth: boolean): Promise<SynthesisToPlan | string> {
  let record: SynthesisRecord | undefined;
  try {
    record = readRecord(path.join(ctx.cwd, "cdktf.out"));
  } catch (error) {
    if (error instanceof SynthesisRecordError) return error.message;
    throw error;
  }
  if (!record) {
    if (skipSynth) ctx.stderr.write("cdktf.out has no synthesis record (flystack-synthesis.json): the plans are stamped without one\n");
    return undefined;
  }
  const head = await currentCommit(ctx);
  if (skipSynth && record.commit && head && record.commit !== head) {
    return `cdktf.out was synthesized at commit ${record.commit.slice(0, 12)}, but ${head.slice(0, 12)} is checked out: plan the synthesis of the commit checked out (synthesize again, or check out ${record.commit.slice(0, 12)})`;
  }
  return record;
}

/** --base-from DIR: the folder, when its synthesis record names REF's commit; else { problem }. */
async function baseFrom(ctx: CliContext, dir: string, ref: string): Promise<string | { problem: string }> {
  const outdir = path.resolve(ctx.cwd, dir);
  if (!fs.existsSync(path.join(outdir, "manifest.json"))) return { problem: `--base-from ${dir}: no synthesized output there (no manifest.json)` };
  let record: SynthesisRecord | undefined;
  try {
    record = readRecord(outdir);
  } catch (error) {
    if (error instanceof SynthesisRecordError) return { problem: `--base-from ${dir}: ${error.message}` };
    throw error;
  }
  const commit = await resolveCommit(ctx, ref);
  if (!commit) return { problem: `--cost-base: "${ref}" is not a commit in this repository` };
  if (record?.commit !== commit) return { problem: `--base-from ${dir} is the synthesis of ${record?.commit?.slice(0, 12) ?? "an unknown commit"}, not of --cost-base ${ref} (${commit.slice(0, 12)})` };
  return outdir;
}

/** The estimates behind the cost section; a failed estimate is reported there, never fails the plan. */
async function costData(ctx: CliContext, stacks: readonly string[], baseRef: string | undefined, baseOutdir: string | undefined): Promise<CostData> {
  if (stacks.length === 0) return { head: [] };
  try {
    const report = await costReport(ctx, stacks, baseRef, baseOutdir);
    return { head: report.head, ...(report.base === undefined ? {} : { base: report.base }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.stderr.write(`cost estimate unavailable: ${reason}\n`);
    return { head: [], error: reason };
  }
}
