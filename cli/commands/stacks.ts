import * as path from "node:path";
import { type CliContext, type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { synthesize } from "../synth";
import { type ManifestStack, readManifest, selectStacks } from "../stacks";
import { readStackEntries } from "../stack-entries";
import { assertCommit, compareWithRevision, synthesizeChangedSince } from "../changed-stacks";
import { removedReason, unchangedReason, writeSummary } from "../plan-summary";
import { BatchError, batchStacks, DEFAULT_MAX_JOBS, GITHUB_MATRIX_LIMIT, parseMaxJobs } from "../batches";
import { BaseRevisionError } from "../base-revision";
import { saveSynthesis } from "../base-cache";
import { writeSynthesizedArtifact } from "../synthesized-artifact";
import { currentCommit } from "../plan-file";

export const stacks: Command = {
  name: "stacks",
  summary: "List the synthesized stacks in deploy order, with environment, protection and secrets (--json: workflow matrix batches)",
  help: `Usage: flystack stacks [STACK…] [--json] [--max-jobs N] [--skip-synth] [--save-cache DIR]
                      [--changed-since REF [--base-cache DIR] [--summary-out DIR]] [--artifact DIR]

Synthesizes every environment (unless --skip-synth), then lists the stacks of cdktf.out in deploy
order: stacks of unprotected environments first, then protected ones (a stack never comes before
one it depends on). For each: its environment, whether that is protected, the TF_VAR_* secrets it
needs (one per Terraform variable without a default: TF_VAR_<app>_<NAME>), and its batch.

Batches are what the workflows' matrices run: at most --max-jobs of them, each one environment's
stacks (never protected with unprotected ones), in deploy order, for one job to plan, apply or
check with --parallel. A run needs one batch per environment at least; the rest go to the
environments with the most stacks. So a repository of any size stays within GitHub's
${GITHUB_MATRIX_LIMIT} jobs per matrix, and adding an environment or an app secret needs no workflow change.
What to create in GitHub for these stacks: flystack setup.

Arguments:
  STACK…        Stacks to list; globs work. Default: every stack.
Options:
  --json        Print one line of JSON, the batches in deploy order, fit for $GITHUB_OUTPUT and fromJSON:
                [ { "batch", "environment", "protected", "stacks": [ "…" ] } ]
                (without the secrets: "flystack with-secrets" reads them from the synthesized stacks).
  --max-jobs N  At most N batches (1 to ${GITHUB_MATRIX_LIMIT}). Default: ${DEFAULT_MAX_JOBS}. Fewer environments
                than N is an error naming them.
  --skip-synth  List the stacks already in cdktf.out.
  --changed-since REF
                List only the stacks "flystack plan --changed-since REF" would plan: those whose
                synthesized JSON differs from git revision REF's, and new ones (stderr names the
                others). For a workflow matrix of changed stacks.
  --base-cache DIR
                With --changed-since: take REF's synthesis from DIR/<commit>/ when it is there (as
                --save-cache kept it), else synthesize REF and keep it there. With REF's synthesis
                record at hand, only the stacks whose inputs differ from REF's are synthesized (the
                same code and the same app configuration make the same stack); the others are
                unchanged without synthesizing them. STACK arguments turn that off.
  --summary-out DIR
                With --changed-since: also write DIR/summary.json and DIR/summary.md naming the
                stacks skipped as unchanged and those removed since REF (no plans), for
                "flystack summarize --gather" to merge with the matrix jobs' plans.
  --artifact DIR
                Write the listed stacks' synthesized output to DIR/cdktf.out (with its synthesis
                record) and, with --changed-since, REF's synthesis of the same stacks to DIR/base.out:
                for plan jobs to plan exactly these files (flystack plan --skip-synth) and price
                the change (--cost-base REF --base-from DIR/base.out) without synthesizing again.
                It holds no secret and no state: only what synthesis wrote.
  --save-cache DIR
                Keep this synthesis (a full one) in DIR/<commit checked out>/, replacing what DIR
                held, for later runs' --base-cache DIR. Not with --changed-since.
  --help        Show this help.

Exit codes: 0 listed (also when there are none: [] with --json); 1 invalid configuration, no
stack matches a STACK argument, REF is not a commit (or does not synthesize), or the stacks'
environments outnumber --max-jobs.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, {
      json: { kind: "boolean" },
      "max-jobs": { kind: "string" },
      "skip-synth": { kind: "boolean" },
      "changed-since": { kind: "string" },
      "base-cache": { kind: "string" },
      "summary-out": { kind: "string" },
      artifact: { kind: "string" },
      "save-cache": { kind: "string" },
    });
    const ref = options["changed-since"];
    if (options["summary-out"] !== undefined && ref === undefined) throw new UsageError("--summary-out goes with --changed-since");
    if (options["base-cache"] !== undefined && ref === undefined) throw new UsageError("--base-cache goes with --changed-since");
    if (options["save-cache"] !== undefined && ref !== undefined) throw new UsageError("--save-cache keeps a full synthesis: not with --changed-since (which may leave unchanged stacks out)");
    if (options["save-cache"] !== undefined && options["skip-synth"]) throw new UsageError("--save-cache keeps this run's synthesis: not with --skip-synth");
    let maxJobs: number;
    try {
      maxJobs = parseMaxJobs(options["max-jobs"]);
    } catch (error) {
      if (error instanceof BatchError) throw new UsageError(error.message);
      throw error;
    }
    if (ref !== undefined) await assertCommit(ctx, ref, "--changed-since");

    // REF first: with its synthesis record, this checkout synthesizes only the stacks whose inputs differ.
    const base = ref !== undefined ? await synthesizeChangedSince(ctx, ref, options["base-cache"]) : undefined;
    try {
      const reuse = base?.record && positionals.length === 0 && !options["skip-synth"] ? base.record : undefined;
      let unchangedByInputs: readonly string[] = [];
      if (!options["skip-synth"]) {
        const synthesized = await synthesize(ctx, { select: positionals, unchangedSince: reuse });
        if (!synthesized.ok) return EXIT.error;
        unchangedByInputs = synthesized.unchanged;
      }
      let entries = unchangedByInputs.length > 0 && readManifest(path.join(ctx.cwd, "cdktf.out")).length === 0 ? [] : readStackEntries(ctx, positionals);
      if (base !== undefined && ref !== undefined) {
        const written = entries.length === 0 ? [] : selectStacks(readManifest(path.join(ctx.cwd, "cdktf.out")), positionals);
        const changes = compareWithRevision(ctx, written, base, ref, positionals, unchangedByInputs);
        const changed = new Set(changes.changed.map((s) => s.name));
        entries = entries.filter((e) => changed.has(e.stack));
        for (const name of changes.unchanged) ctx.stderr.write(`${name}: ${unchangedReason(ref)}\n`);
        for (const name of changes.removed) ctx.stderr.write(`${name}: ${removedReason(ref)}\n`);
        ctx.stderr.write(`${changes.changed.length} of ${changes.changed.length + changes.unchanged.length} stacks changed since ${ref}\n`);
        if (options["summary-out"] !== undefined) {
          const data = {
            stacks: [],
            changedSince: ref,
            skipped: changes.unchanged.map((stack) => ({ stack, reason: unchangedReason(ref) })),
            removed: changes.removed.map((stack) => ({ stack, reason: removedReason(ref) })),
          };
          writeSummary(path.resolve(ctx.cwd, options["summary-out"]), data, `<!-- flystack-plan:${changes.unchanged.length > 20 ? `${changes.unchanged.length}-unchanged` : changes.unchanged.join("+") || "none"} -->`);
        }
      }
      const dependencies = new Map(readManifestIfAny(ctx).map((s) => [s.name, s.dependencies]));
      const batches = batchStacks(entries, maxJobs, dependencies);
      if (options.artifact !== undefined) {
        const written = writeSynthesizedArtifact(ctx, path.resolve(ctx.cwd, options.artifact), entries.map((e) => e.stack), base);
        ctx.stderr.write(`wrote the synthesized output of ${entries.length} stack(s) to ${path.relative(ctx.cwd, written) || "."}/\n`);
      }
      if (options["save-cache"] !== undefined) {
        const commit = await currentCommit(ctx);
        if (!commit) throw new BaseRevisionError("--save-cache: this is not a git checkout: a synthesis is kept by its commit");
        const entry = saveSynthesis(ctx, options["save-cache"], commit);
        ctx.stderr.write(`kept this synthesis in ${path.relative(ctx.cwd, entry)}/ for later --base-cache ${options["save-cache"]}\n`);
      }
      if (options.json) {
        ctx.stdout.write(`${JSON.stringify(batches)}\n`);
        return EXIT.ok;
      }
      if (entries.length === 0) {
        ctx.stdout.write(ref !== undefined ? `no stack changed since ${ref}\n` : "no stacks in cdktf.out\n");
        return EXIT.ok;
      }
      const batchOf = new Map(batches.flatMap((b) => b.stacks.map((stack) => [stack, b.batch] as const)));
      const rows = [["stack", "environment", "protected", "batch", "secrets"], ...entries.map((e) => [e.stack, e.environment, e.protected ? "yes" : "no", batchOf.get(e.stack) ?? "", e.secrets.join(", ") || "(none)"])];
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
      ctx.stdout.write(`${rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n")}\n`);
      ctx.stderr.write(`${entries.length} stack(s) in ${batches.length} batch(es) of at most --max-jobs ${maxJobs}\n`);
      return EXIT.ok;
    } catch (error) {
      if (error instanceof BatchError) {
        ctx.stderr.write(`flystack stacks: ${error.message}\n`);
        return EXIT.error;
      }
      throw error;
    } finally {
      await base?.cleanup();
    }
  },
};

/** cdktf.out's stacks, or none when its manifest lists none (a synthesis that left every stack out). */
function readManifestIfAny(ctx: CliContext): readonly ManifestStack[] {
  return readManifest(path.join(ctx.cwd, "cdktf.out"));
}
